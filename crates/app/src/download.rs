//! Saving text as a file, entirely in the page: a Blob, an object URL and a click on an
//! `<a download>`. Nothing goes over the network.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// How long the object URL stays valid after the click (the browser reads it asynchronously).
const REVOKE_AFTER_MS: u32 = 60_000;

/// Offers `text` for download as `file_name` with the given MIME type.
pub fn text_file(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let anchor: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    let body = document.body();
    if let Some(body) = &body {
        body.append_child(&anchor)?;
    }
    anchor.click();
    anchor.remove();
    gloo::timers::callback::Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// A file name built from untrusted text: ASCII letters, digits and dashes, at most 60 of them.
pub fn file_stem(text: &str) -> String {
    let mut stem = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.len() >= 60 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() { "rule".to_string() } else { stem.to_string() }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn stems_are_plain() {
        assert_eq!(file_stem("Remote File Download via Script Interpreter"), "remote-file-download-via-script-interpreter");
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem("脚本"), "rule");
        assert_eq!(file_stem(&"a".repeat(100)).len(), 60);
    }
}
