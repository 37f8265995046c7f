//! Windows event logs to ECS, offline: `.evtx` files ([`evtx_file`]), event XML ([`xml`]) and
//! winlogbeat NDJSON that still has `winlog.*` ([`beat`]) all become one [`Winlog`] record
//! shape, which [`ecs`] maps the way Elastic's Sysmon and Security pipelines do, adding the
//! fields an agent would add (and saying which ones the playground supplied).
//!
//! Data flows one way: bytes → [`detect`] → reader → `Winlog` → [`ecs::map`] → a JSON event.
//! No I/O: the caller hands over bytes, so the same code runs natively and in the browser.

pub mod beat;
pub mod ecs;
#[cfg(feature = "evtx")]
pub mod evtx_file;
pub mod record;
pub mod xml;

pub use ecs::{HostId, Options};
pub use record::Winlog;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A record that could not be read; the others still are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub record_id: Option<u64>,
    /// 1-based line in a text input; 0 when there is none (an `.evtx` record).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.record_id, self.line) {
            (Some(id), 0) => write!(f, "record {id}: {}", self.message),
            (Some(id), line) => write!(f, "line {line} (record {id}): {}", self.message),
            (None, 0) => write!(f, "{}", self.message),
            (None, line) => write!(f, "line {line}: {}", self.message),
        }
    }
}

/// The first bytes of every `.evtx` file.
pub const EVTX_MAGIC: &[u8] = b"ElfFile\0";

/// The kinds of input this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Evtx,
    Xml,
    Winlog,
}

impl Format {
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "evtx" => Some(Format::Evtx),
            "xml" => Some(Format::Xml),
            "winlog" => Some(Format::Winlog),
            _ => None,
        }
    }
}

/// What `bytes` hold, if it is one of the formats: an `.evtx` by its signature, XML by its first
/// `<`, winlogbeat NDJSON by a first line that names `winlog` and `event_id` but has no
/// `category` yet. A look at the bytes, not a parse (the page asks this of every file it opens);
/// lines that turn out to be mapped already pass through [`convert`] unchanged.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(EVTX_MAGIC) {
        return Some(Format::Evtx);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().position(|b| !b.is_ascii_whitespace()).map(|i| text[i])?;
    match first {
        b'<' => Some(Format::Xml),
        b'{' => {
            let line = text.split(|&b| b == b'\n').find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))?;
            let has = |needle: &[u8]| memchr::memmem::find(line, needle).is_some();
            (has(b"\"winlog\"") && has(b"\"event_id\"") && !has(b"\"category\"")).then_some(Format::Winlog)
        }
        _ => None,
    }
}

/// The ECS events of one input, and what could not be converted.
#[derive(Debug, Default)]
pub struct Conversion {
    pub events: Vec<Value>,
    pub errors: Vec<RecordError>,
    /// Events kept with the generic fields only (no mapping for their id), by channel and id.
    pub generic: BTreeMap<(String, u32), usize>,
}

impl Conversion {
    /// The events as NDJSON, one per line.
    pub fn ndjson(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            out.push_str(&e.to_string());
            out.push('\n');
        }
        out
    }

    fn add(&mut self, read: Result<Winlog, RecordError>, options: &Options) {
        match read {
            Ok(w) => {
                let (event, specific) = ecs::map(&w, options);
                if !specific {
                    *self.generic.entry((w.channel.clone(), w.event_id)).or_default() += 1;
                }
                self.events.push(event);
            }
            Err(e) => self.errors.push(e),
        }
    }
}

/// Converts `bytes` (in `format`) to ECS events.
pub fn convert(bytes: Vec<u8>, format: Format, options: &Options) -> Result<Conversion, String> {
    let mut out = Conversion::default();
    match format {
        #[cfg(feature = "evtx")]
        Format::Evtx => {
            for read in evtx_file::read(bytes) {
                out.add(read, options);
            }
        }
        #[cfg(not(feature = "evtx"))]
        Format::Evtx => return Err("this build reads no .evtx files".into()),
        Format::Xml => {
            let text = String::from_utf8(bytes).map_err(|_| "the XML is not UTF-8 text".to_string())?;
            for read in xml::read(&text) {
                out.add(read, options);
            }
        }
        Format::Winlog => {
            let text = String::from_utf8(bytes).map_err(|_| "the NDJSON is not UTF-8 text".to_string())?;
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let at = |message: String| RecordError { record_id: None, line: i + 1, message };
                match serde_json::from_str::<Value>(line) {
                    // Lines already in ECS (or not events of a Windows log) pass through as they are.
                    Ok(doc) if !beat::is_unmapped(&doc) => out.events.push(doc),
                    Ok(doc) => out.add(beat::winlog(&doc).map_err(at), options),
                    Err(e) => out.errors.push(at(format!("not JSON: {e}"))),
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(detect(b"ElfFile\0rest"), Some(Format::Evtx));
        assert_eq!(detect(b"\xEF\xBB\xBF  <?xml version='1.0'?><Events>"), Some(Format::Xml));
        assert_eq!(detect(b"\n{\"winlog\":{\"event_id\":1}}\n"), Some(Format::Winlog));
        assert_eq!(detect(b"{\"winlog\":{\"event_id\":1},\"event\":{\"category\":[\"process\"]}}"), None, "already ECS");
        assert_eq!(detect(b"{\"process\":{\"name\":\"a\"}}"), None);
        assert_eq!(detect(b""), None);
    }
}
