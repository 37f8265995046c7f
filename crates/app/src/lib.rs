//! The playground page: the rule and its query, the events, and the matches the engine finds,
//! computed in the browser. Nothing is sent anywhere.

mod analysis;
mod components;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
