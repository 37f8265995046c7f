//! The playground page. The page thread draws (Yew); a worker running the same WebAssembly
//! module reads events and matches (see `worker` and `bridge`). Nothing is sent anywhere.

mod bridge;
mod completion;
mod components;
mod download;
mod i18n;
mod inventory;
mod languages;
mod link;
mod on_demand;
mod progress;
mod protocol;
mod rule_source;
mod samples;
mod session;
mod share;
mod state;
mod storage;
mod sync;
mod trainer;
mod tuning;
mod worker;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    // The worker loads this module too; only a page has a document to draw in. (Asking for
    // `window()` in a worker throws: `Window` is not defined there.)
    let global = js_sys::global();
    if js_sys::Reflect::has(&global, &"document".into()).unwrap_or(false) {
        yew::Renderer::<components::app::App>::new().render();
    }
}
