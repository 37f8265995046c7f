//! The sample event sets behind the page's buttons. The one shown on first load is built in;
//! the others are the site's own files (`web/samples/`), fetched the first time they are asked
//! for, so the page does not download them to open.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Sample events shown on first load.
pub const SAMPLE_EVENTS: &str = include_str!("../../../web/samples/script-download.ndjson");

/// Ordinary events that match nothing.
pub const BENIGN_EVENTS_PATH: &str = "web/samples/benign.ndjson";

/// A Sysmon lab capture as event XML: it becomes ECS events through the converter, as a
/// dropped `.evtx` does.
pub const LAB_SYSMON_PATH: &str = "web/samples/lab-sysmon.xml";

/// The text of one of the site's own files.
pub async fn fetch_own(path: &str) -> Result<String, String> {
    let failed = |e: wasm_bindgen::JsValue| format!("cannot load {path}: {}", e.as_string().unwrap_or_else(|| format!("{e:?}")));
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(format!("cannot load {path}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    text.as_string().ok_or_else(|| format!("cannot load {path}"))
}
