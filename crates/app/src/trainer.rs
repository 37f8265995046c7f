//! The page's side of the trainer module (fetched the first time the Learn tab opens): the
//! built-in course's view, a pack file's, and grading. Answers are postcard bytes of `Result<…, String>`.

use exercises::view::CourseView;
use exercises::Report;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/trainer.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = openBuiltinCourse)]
    async fn open_builtin_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = openPack)]
    async fn open_pack_js(text: &str, name: &str) -> Result<JsValue, JsValue>;
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

/// A pack file with its events inline; it replaces the open course.
pub async fn open_pack(text: &str, name: &str) -> Result<CourseView, String> {
    answer(open_pack_js(text, name).await)
}

pub async fn check(exercise: &str, is_query: bool, text: &str, lang: &str, hints_taken: usize, details: bool) -> Result<Report, String> {
    answer(check_js(exercise, is_query, text, lang, hints_taken, details).await)
}
