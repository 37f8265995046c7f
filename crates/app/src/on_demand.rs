//! The modules fetched when first needed (`js/on-demand.js`: the rule reader and the trainer in
//! the page, the converter and the pack runner in the worker) answer with bytes; this turns such
//! an answer, or the failure to load the module, into one result.

use wasm_bindgen::{JsCast, JsValue};

/// The bytes `module` answered with, or why there are none.
pub fn bytes(answer: Result<JsValue, JsValue>, module: &str) -> Result<Vec<u8>, String> {
    let value = answer.map_err(|e| format!("the {module} did not load: {}", e.as_string().unwrap_or_else(|| format!("{e:?}"))))?;
    let bytes = value.dyn_into::<js_sys::Uint8Array>().map_err(|_| format!("the {module} gave no answer"))?;
    Ok(bytes.to_vec())
}
