//! The worker side: receives requests, keeps the [`Session`], answers with results. Reading
//! files and matching happen here, off the page's thread.

use crate::protocol::{self, Outcome, Request, Response, Stamp};
use crate::session::Session;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes read per chunk; progress is reported after each.
const CHUNK: f64 = 8.0 * 1024.0 * 1024.0;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
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
            Ok(request) => handle(request, attachment),
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
        Request::LoadFile { version, .. } => {
            let text = match read_file(attachment, version) {
                Ok(text) => text,
                Err(message) => {
                    post(&Response::Failed { stamp: Stamp { generation: 0, version }, message });
                    String::new()
                }
            };
            SESSION.with(|s| s.borrow_mut().set_text(text, version));
        }
        Request::Run { generation, query, settings } => {
            let start = js_sys::Date::now();
            let mut outcome = SESSION.with(|s| s.borrow_mut().run(generation, &query, &settings));
            if let Outcome::Ran { millis, .. } = &mut outcome {
                *millis = js_sys::Date::now() - start;
            }
            post(&Response::Results { stamp: stamp(), outcome });
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

/// Reads a File/Blob in chunks, reporting progress; invalid UTF-8 is replaced, not fatal.
fn read_file(attachment: JsValue, version: u32) -> Result<String, String> {
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
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}
