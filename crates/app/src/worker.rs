//! The worker side: receives requests, keeps the [`Session`], answers with results. Reading
//! files and matching happen here, off the page's thread. A Windows event log is converted to
//! ECS by the converter module, fetched the first time one is opened; requests that arrive
//! meanwhile wait, so each is answered over the events it was sent after.

use crate::protocol::{self, ConversionNote, Outcome, Request, Response, Stamp};
use crate::session::Session;
use std::future::Future;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes read per chunk; progress is reported after each.
const CHUNK: f64 = 8.0 * 1024.0 * 1024.0;

/// Rule packs report progress at most this often (milliseconds).
const PACK_PROGRESS_MS: f64 = 250.0;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
    /// The rule pack the page loaded last, if the pack runner read it: its number, and the data
    /// version of the view last sent (the runner keeps that run's alerts; the page, its view).
    static PACK: RefCell<Option<(u32, Option<u32>)>> = const { RefCell::new(None) };
    /// While a conversion or a pack's reading runs: the requests that came after it, in order.
    static WAITING: RefCell<Option<Vec<(Request, JsValue)>>> = const { RefCell::new(None) };
}

#[wasm_bindgen(module = "/js/on-demand.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = convertWindowsLog)]
    async fn convert_js(bytes: Vec<u8>, format: &str, host_id: &str) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/js/on-demand.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = readRulePack)]
    async fn read_rule_pack_js(files: Vec<u8>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = packRule)]
    async fn pack_rule_js(index: usize, languages: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = packRuleExceptions)]
    async fn pack_rule_exceptions_js(index: usize) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = packAlerts)]
    async fn pack_alerts_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = runRulePack)]
    async fn run_rule_pack_js(id: u32, text: &JsValue, progress: &JsValue) -> Result<JsValue, JsValue>;
}

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>().ok()
}

fn post(response: &Response) {
    if let Some(scope) = scope() {
        let bytes = js_sys::Uint8Array::from(&protocol::encode(response)[..]);
        // Hand the buffer over rather than copy it: answers can be large.
        let _ = scope.post_message_with_transfer(&bytes, &js_sys::Array::of1(&bytes.buffer()));
    }
}

/// Called by `web/worker.js` once the module is initialised.
#[wasm_bindgen]
pub fn worker_main() {
    let Some(scope) = scope() else { return };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let data = event.data();
        let parts: js_sys::Array = data.dyn_into().unwrap_or_default();
        let bytes = js_sys::Uint8Array::new(&parts.get(0)).to_vec();
        let attachment = parts.get(1);
        match protocol::decode::<Request>(&bytes, "page") {
            Ok(request) => {
                let queued = WAITING.with(|w| match w.borrow_mut().as_mut() {
                    Some(queue) => {
                        queue.push((request, attachment));
                        None
                    }
                    None => Some((request, attachment)),
                });
                if let Some((request, attachment)) = queued {
                    handle(request, attachment);
                }
            }
            Err(message) => post(&Response::Failed { stamp: Stamp::default(), message }),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

fn handle(request: Request, attachment: JsValue) {
    let stamp = || SESSION.with(|s| s.borrow().stamp());
    match request {
        Request::SetText { version } => {
            let text = attachment.as_string().unwrap_or_default();
            SESSION.with(|s| s.borrow_mut().set_text(text, version));
        }
        Request::LoadFile { version, host_id, .. } => {
            let bytes = match read_file(attachment, version) {
                Ok(bytes) => bytes,
                Err(message) => {
                    post(&Response::Failed { stamp: Stamp { generation: 0, version }, message });
                    Vec::new()
                }
            };
            match winlog::detect(&bytes) {
                Some(format) => convert(bytes, format, version, host_id),
                None => SESSION.with(|s| s.borrow_mut().set_text(text_of(bytes), version)),
            }
        }
        Request::Fields { category_field } => {
            let help = SESSION.with(|s| {
                let s = s.borrow();
                crate::inventory::inventory(s.text(), &category_field, s.stamp().version)
            });
            post(&Response::Fields(help));
        }
        Request::ExportBulk { index } => {
            let (version, text) = SESSION.with(|s| {
                let s = s.borrow();
                (s.stamp().version, rules::export::bulk(&index, s.text().lines()).0)
            });
            post(&Response::Download { version, name: "events.bulk.ndjson".into(), mime: "application/x-ndjson".into(), text });
        }
        Request::ExportSearch { query, settings, size } => {
            let settings = crate::session::engine_settings(&settings);
            let (version, range) = SESSION.with(|s| {
                let s = s.borrow();
                (s.stamp().version, rules::export::time_range(s.text().lines(), &settings.timestamp_field))
            });
            let body = rules::export::search(&query, &settings, size, range);
            let text = serde_json::to_string_pretty(&body).unwrap_or_default() + "\n";
            post(&Response::Download { version, name: "eql-search.json".into(), mime: "application/json".into(), text });
        }
        Request::ExportEvents => {
            let (version, ndjson) = SESSION.with(|s| (s.borrow().stamp().version, s.borrow().text().to_string()));
            post(&Response::ExportedEvents { version, ndjson });
        }
        Request::Run { generation, query, settings, tuning, pack } => {
            let start = js_sys::Date::now();
            let mut outcome = SESSION.with(|s| s.borrow_mut().run(generation, &query, &settings, &tuning));
            if let Outcome::Ran { millis, .. } = &mut outcome {
                *millis = js_sys::Date::now() - start;
            }
            let stamp = stamp();
            // The loaded pack's view is the one sent (`Ok`) if it is over these events, else the
            // pack runs.
            let ran = pack.and_then(|id| {
                PACK.with(|p| match *p.borrow() {
                    Some((loaded, ran_on)) if loaded == id => Some(if ran_on == Some(stamp.version) { Ok(()) } else { Err(id) }),
                    _ => None,
                })
            });
            match ran {
                Some(Ok(())) => post(&Response::Results { stamp, outcome, pack: Some(protocol::PackResult::Unchanged) }),
                Some(Err(id)) => run_pack(id, stamp, outcome),
                None => post(&Response::Results { stamp, outcome, pack: None }),
            }
        }
        Request::LoadPack { pack } => {
            let files = read_files(&attachment);
            hold_while(async move {
                let answer = read_rule_pack_js(rules::collection::Collection::files_to_bytes(&files)).await;
                match crate::on_demand::bytes(answer, "pack runner") {
                    Ok(_) => PACK.with(|p| *p.borrow_mut() = Some((pack, None))),
                    Err(message) => {
                        PACK.with(|p| *p.borrow_mut() = None);
                        let version = SESSION.with(|s| s.borrow().stamp().version);
                        post(&Response::Failed { stamp: Stamp { generation: 0, version }, message });
                    }
                }
            });
        }
        Request::ExportPackAlerts { pack } => {
            // The alerts of the pack's last run, over the data version it ran on.
            let ran_on = PACK.with(|p| p.borrow().as_ref().filter(|p| p.0 == pack).and_then(|p| p.1));
            if let Some(version) = ran_on {
                wasm_bindgen_futures::spawn_local(async move {
                    match pack_alerts_js().await {
                        Ok(text) => post(&Response::Download {
                            version,
                            name: "pack-alerts.ndjson".into(),
                            mime: "application/x-ndjson".into(),
                            text: text.as_string().unwrap_or_default(),
                        }),
                        Err(e) => post(&Response::Failed { stamp: Stamp::default(), message: format!("the pack runner did not answer: {e:?}") }),
                    }
                });
            }
        }
        Request::OpenPackRule { pack, index } => {
            if PACK.with(|p| p.borrow().as_ref().is_some_and(|p| p.0 == pack)) {
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = pack_rule_js(index, &crate::languages::CODES.join(",")).await;
                    let exceptions = pack_rule_exceptions_js(index).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
                    match crate::on_demand::bytes(answer, "pack runner") {
                        Ok(bundle) => post(&Response::PackRule { pack, bundle, exceptions }),
                        Err(message) => post(&Response::Failed { stamp: Stamp::default(), message }),
                    }
                });
            }
        }
        Request::Rows { start, count, filter } => {
            let (total, rows) = SESSION.with(|s| s.borrow().rows(start, count, filter));
            post(&Response::Rows { stamp: stamp(), start, filter, total, rows });
        }
        Request::Explain { event } => match SESSION.with(|s| s.borrow().explain(event)) {
            Some(view) => post(&Response::Explained { stamp: stamp(), view }),
            None => post(&Response::Failed { stamp: stamp(), message: format!("no event {event} to explain") }),
        },
        Request::ExportResults => match SESSION.with(|s| s.borrow().export_results()) {
            Some(ndjson) => post(&Response::Exported { stamp: stamp(), ndjson }),
            None => post(&Response::Failed { stamp: stamp(), message: "no results to export".into() }),
        },
    }
}

/// Runs pack `id` over the session's events in the pack runner module, reporting progress, and
/// answers the run with the query's `outcome` and the pack's view (kept for these events).
fn run_pack(id: u32, stamp: Stamp, outcome: Outcome) {
    let text = SESSION.with(|s| JsValue::from_str(s.borrow().text()));
    hold_while(async move {
        let start = js_sys::Date::now();
        let mut reported = start;
        let progress = Closure::<dyn FnMut(f64, f64)>::new(move |done: f64, total: f64| {
            let now = js_sys::Date::now();
            if now - reported >= PACK_PROGRESS_MS {
                reported = now;
                post(&Response::PackProgress { pack: id, done: done as usize, total: total as usize });
            }
        });
        let answer = run_rule_pack_js(id, &text, progress.as_ref()).await;
        let view = crate::on_demand::bytes(answer, "pack runner").and_then(|b| rules::overview::decode(&b));
        match view {
            Ok(mut view) => {
                view.millis = js_sys::Date::now() - start;
                PACK.with(|p| *p.borrow_mut() = Some((id, Some(stamp.version))));
                post(&Response::Results { stamp, outcome, pack: Some(protocol::PackResult::View(view)) });
            }
            Err(message) => {
                post(&Response::Results { stamp, outcome, pack: None });
                post(&Response::Failed { stamp: Stamp { generation: 0, version: stamp.version }, message });
            }
        }
    });
}

/// Runs `work` (which awaits another module), holding the requests that arrive meanwhile and
/// answering them after, in order — so each is answered over what it was sent after.
fn hold_while(work: impl Future<Output = ()> + 'static) {
    WAITING.with(|w| *w.borrow_mut() = Some(Vec::new()));
    wasm_bindgen_futures::spawn_local(async move {
        work.await;
        let mut queue = WAITING.with(|w| w.borrow_mut().take()).unwrap_or_default().into_iter();
        while let Some((request, attachment)) = queue.next() {
            handle(request, attachment);
            // That request began a hold of its own: the rest wait for it too.
            if WAITING.with(|w| w.borrow_mut().as_mut().map(|held| held.extend(queue.by_ref())).is_some()) {
                break;
            }
        }
    });
}

/// The files sent with a pack: `[file, path]` pairs (the path in a chosen or dropped folder).
fn read_files(attachment: &JsValue) -> Vec<(String, Vec<u8>)> {
    let Ok(reader) = FileReaderSync::new() else { return Vec::new() };
    js_sys::Array::from(attachment)
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            let file: web_sys::File = pair.get(0).dyn_into().ok()?;
            let path = pair.get(1).as_string().unwrap_or_else(|| file.name());
            let buffer = reader.read_as_array_buffer(&file).ok()?;
            Some((path, js_sys::Uint8Array::new(&buffer).to_vec()))
        })
        .collect()
}

/// Converts a Windows event log (in the converter module) into the events of `version`, holding
/// the requests that arrive meanwhile and answering them after.
fn convert(bytes: Vec<u8>, format: winlog::Format, version: u32, host_id: String) {
    let name = match format {
        winlog::Format::Evtx => "evtx",
        winlog::Format::Xml => "xml",
        winlog::Format::Winlog => "winlog",
    };
    hold_while(async move {
        let answer = convert_js(bytes, name, &host_id).await;
        let text = match converted(answer, name) {
            Ok((ndjson, note)) => {
                post(&Response::Converted { version, note });
                ndjson
            }
            Err(message) => {
                post(&Response::Failed { stamp: Stamp { generation: 0, version }, message });
                String::new()
            }
        };
        SESSION.with(|s| s.borrow_mut().set_text(text, version));
    });
}

/// The converter's JSON answer: the NDJSON and what to tell the user.
fn converted(answer: Result<JsValue, JsValue>, format: &str) -> Result<(String, ConversionNote), String> {
    let text = answer.map_err(|e| format!("the converter did not load: {}", e.as_string().unwrap_or_else(|| format!("{e:?}"))))?;
    let json: serde_json::Value = serde_json::from_str(&text.as_string().unwrap_or_default()).map_err(|e| format!("the converter's answer is unreadable: {e}"))?;
    if let Some(error) = json["error"].as_str() {
        return Err(error.to_string());
    }
    let note = ConversionNote {
        format: format.to_string(),
        events: json["events"].as_u64().unwrap_or(0) as usize,
        errors: json["errors"].as_array().into_iter().flatten().filter_map(|e| e.as_str().map(String::from)).collect(),
        generic: json["generic"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| (g["channel"].as_str().unwrap_or("").to_string(), g["event_id"].as_u64().unwrap_or(0) as u32, g["count"].as_u64().unwrap_or(0) as usize))
            .collect(),
    };
    Ok((json["ndjson"].as_str().unwrap_or("").to_string(), note))
}

/// Text from a file's bytes; invalid UTF-8 is replaced, not fatal.
fn text_of(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Reads a File/Blob in chunks, reporting progress.
fn read_file(attachment: JsValue, version: u32) -> Result<Vec<u8>, String> {
    let blob: Blob = attachment.dyn_into().map_err(|_| "no file was sent".to_string())?;
    let reader = FileReaderSync::new().map_err(|_| "cannot read files here".to_string())?;
    let total = blob.size();
    let mut bytes: Vec<u8> = Vec::with_capacity(total as usize);
    let mut at = 0.0;
    while at < total {
        let end = (at + CHUNK).min(total);
        let part = blob.slice_with_f64_and_f64(at, end).map_err(|_| "cannot slice the file".to_string())?;
        let buffer = reader.read_as_array_buffer(&part).map_err(|_| "cannot read the file".to_string())?;
        bytes.extend_from_slice(&js_sys::Uint8Array::new(&buffer).to_vec());
        at = end;
        post(&Response::Progress { version, loaded: at as u64, total: total as u64 });
    }
    Ok(bytes)
}
