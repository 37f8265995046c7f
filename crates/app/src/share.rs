//! Share links: the query, the events (up to [`MAX_SHARED_EVENTS`] bytes) and the settings,
//! compressed into the URL fragment. The fragment never reaches a server; nothing is uploaded.
//! The browser compresses and inflates (`web/share.js`); this side is the session's JSON.

use crate::protocol::RunSettings;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Events larger than this are left out of links (URLs of a few MB are unwieldy).
pub const MAX_SHARED_EVENTS: usize = 512 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub query: String,
    /// `None` when the events were too large to include.
    pub events: Option<String>,
    pub settings: RunSettings,
    pub lang: String,
}

#[wasm_bindgen(raw_module = "./web/share.js")]
extern "C" {
    #[wasm_bindgen(js_name = openedLink)]
    fn opened_link() -> JsValue;
    #[wasm_bindgen(catch, js_name = packLink)]
    async fn pack_link(kind: &str, json: &str) -> Result<JsValue, JsValue>;
}

/// What a link the page was opened with holds.
pub enum Opened {
    Session(Shared),
    /// An exercise pack's files as JSON, for the trainer to read.
    Pack(String),
}

/// The fragment (`#s=…`) for `shared`.
pub async fn encode(shared: &Shared) -> Result<String, String> {
    let json = serde_json::to_string(shared).map_err(|e| e.to_string())?;
    fragment("s", &json).await
}

/// The fragment (`#p=…`) for an exercise pack's files (their JSON, from the trainer).
pub async fn encode_pack(json: &str) -> Result<String, String> {
    fragment("p", json).await
}

async fn fragment(kind: &str, json: &str) -> Result<String, String> {
    let fragment = pack_link(kind, json).await.map_err(|e| format!("cannot make a link: {e:?}"))?;
    fragment.as_string().ok_or_else(|| "cannot make a link".to_string())
}

/// The link the page was opened with: `None` without one, an error when it is damaged (never
/// a panic).
pub fn opened() -> Option<Result<Opened, String>> {
    let opened = opened_link();
    if opened.is_null() || opened.is_undefined() {
        return None;
    }
    let field = |name: &str| js_sys::Reflect::get(&opened, &name.into()).ok().and_then(|v| v.as_string());
    Some(match (field("kind").as_deref(), field("json"), field("error")) {
        (Some("p"), Some(json), _) => Ok(Opened::Pack(json)),
        (_, Some(json), _) => decode(&json).map(Opened::Session),
        (_, None, error) => Err(error.unwrap_or_else(|| "damaged share link".into())),
    })
}

fn decode(json: &str) -> Result<Shared, String> {
    serde_json::from_str(json).map_err(|e| format!("damaged share link: {e}"))
}

/// The events to put in a link, if they are small enough.
pub fn shareable_events(events: &str) -> Option<String> {
    (events.len() <= MAX_SHARED_EVENTS).then(|| events.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_round_trips_through_json() {
        let shared = Shared {
            query: "process where true".into(),
            events: Some("{\"a\":1}\n".repeat(100)),
            settings: RunSettings::default(),
            lang: "zh-CN".into(),
        };
        assert_eq!(decode(&serde_json::to_string(&shared).expect("json")), Ok(shared));
    }

    #[test]
    fn damaged_sessions_are_errors() {
        for json in ["", "{}", "{\"query\":1}", "[]"] {
            assert!(decode(json).is_err_and(|e| e.starts_with("damaged share link")), "{json}");
        }
    }
}
