//! The converter the page's worker loads on demand (the first time a Windows event log is
//! opened): bytes of an `.evtx`, event XML or winlogbeat NDJSON in, ECS NDJSON and a summary out.
//! A module of its own, so the page carries no `.evtx` or XML reader until one is needed.

use wasm_bindgen::prelude::wasm_bindgen;

/// The format of `bytes` (`evtx`, `xml`, `winlog`), or an empty string when it is none of them.
#[wasm_bindgen]
pub fn detect(bytes: &[u8]) -> String {
    match winlog::detect(bytes) {
        Some(winlog::Format::Evtx) => "evtx",
        Some(winlog::Format::Xml) => "xml",
        Some(winlog::Format::Winlog) => "winlog",
        None => "",
    }
    .into()
}

/// Converts `bytes` in `format`; `host_id` is empty for "from the computer name". Answers JSON:
/// `{"ndjson", "events", "errors": [text], "generic": [{"channel","event_id","count"}]}` or
/// `{"error"}`.
#[wasm_bindgen]
pub fn convert(bytes: Vec<u8>, format: &str, host_id: &str) -> String {
    let Some(format) = winlog::Format::from_name(format) else {
        return serde_json::json!({ "error": format!("unknown format {format:?}") }).to_string();
    };
    let options = winlog::Options {
        host_id: match host_id {
            "" => winlog::HostId::ComputerName,
            id => winlog::HostId::Fixed(id.to_string()),
        },
    };
    match winlog::convert(bytes, format, &options) {
        Ok(c) => serde_json::json!({
            "ndjson": c.ndjson(),
            "events": c.events.len(),
            "errors": c.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "generic": c.generic.iter().map(|((channel, id), n)| serde_json::json!({"channel": channel, "event_id": id, "count": n})).collect::<Vec<_>>(),
        })
        .to_string(),
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    }
}
