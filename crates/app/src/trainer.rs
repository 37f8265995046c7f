//! The page's side of the trainer module (fetched the first time the Learn tab opens): the
//! built-in course's view, a pack file's (TOML or zip) or a pack link's, and grading. Answers are postcard bytes of `Result<…, String>`.

use exercises::view::CourseView;
use exercises::Report;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/on-demand.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = openBuiltinCourse)]
    async fn open_builtin_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = openPack)]
    async fn open_pack_js(bytes: &[u8], name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = openLinkedPack)]
    async fn open_link_js(json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = packJson)]
    async fn pack_json_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = checkAnswer)]
    async fn check_js(exercise: &str, is_query: bool, text: &str, lang: &str, hints_taken: usize, details: bool) -> Result<JsValue, JsValue>;
}

fn answer<T: DeserializeOwned>(answer: Result<JsValue, JsValue>) -> Result<T, String> {
    let bytes = crate::on_demand::bytes(answer, "trainer")?;
    postcard::from_bytes::<Result<T, String>>(&bytes).map_err(|e| format!("the trainer's answer is unreadable: {e}"))?
}

pub async fn open_builtin() -> Result<CourseView, String> {
    answer(open_builtin_js().await)
}

/// A pack file with its events inline, or a zip of a pack and its data; it replaces the open
/// course.
pub async fn open_pack(bytes: &[u8], name: &str) -> Result<CourseView, String> {
    answer(open_pack_js(bytes, name).await)
}

/// The pack a link carried (its files as JSON); it replaces the open course.
pub async fn open_link(json: &str) -> Result<CourseView, String> {
    answer(open_link_js(json).await)
}

/// The open pack's files as JSON, to put in a link.
pub async fn pack_json() -> Result<String, String> {
    answer(pack_json_js().await)
}

pub async fn check(exercise: &str, is_query: bool, text: &str, lang: &str, hints_taken: usize, details: bool) -> Result<Report, String> {
    answer(check_js(exercise, is_query, text, lang, hints_taken, details).await)
}
