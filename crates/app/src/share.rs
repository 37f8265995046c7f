//! Share links: the query, the events (up to [`MAX_SHARED_EVENTS`] bytes) and the settings,
//! compressed into the URL fragment. The fragment never reaches a server; nothing is uploaded.

use crate::protocol::RunSettings;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Events larger than this are left out of links (URLs of a few MB are unwieldy).
pub const MAX_SHARED_EVENTS: usize = 512 * 1024;

/// Compressed payloads larger than this are refused when reading a link.
const MAX_INFLATED: usize = 8 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub query: String,
    /// `None` when the events were too large to include.
    pub events: Option<String>,
    pub settings: RunSettings,
    pub lang: String,
}

/// `#s=<base64url(deflate(json))>`
pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("#s={}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment made by [`encode`]; anything else is an error, never a panic.
pub fn decode(fragment: &str) -> Result<Shared, String> {
    let data = fragment.trim_start_matches('#').strip_prefix("s=").ok_or("not a share link")?;
    let packed = URL_SAFE_NO_PAD.decode(data.trim()).map_err(|e| format!("damaged share link: {e}"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| "damaged share link: cannot decompress".to_string())?;
    serde_json::from_slice(&json).map_err(|e| format!("damaged share link: {e}"))
}

/// The events to put in a link, if they are small enough.
pub fn shareable_events(events: &str) -> Option<String> {
    (events.len() <= MAX_SHARED_EVENTS).then(|| events.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let shared = Shared {
            query: "process where true".into(),
            events: Some("{\"a\":1}\n".repeat(100)),
            settings: RunSettings::default(),
            lang: "zh-CN".into(),
        };
        let link = encode(&shared);
        assert!(link.len() < 200, "compressed: {}", link.len());
        assert_eq!(decode(&link), Ok(shared));
    }

    #[test]
    fn damaged_links_are_errors() {
        assert!(decode("#s=!!!").is_err());
        assert!(decode("#s=AAAA").is_err());
        assert!(decode("#other").is_err());
    }
}
