//! Reading events from NDJSON, JSON arrays and `_search` responses, extracting only the fields a
//! query needs. Each event is read once by a hand-written scanner (`scan`) that picks out the
//! wanted fields (the field trie, `trie`) and checks and skips the rest; an event it is not sure
//! of (a bad one included) is read again with serde_json, which also words the error.
//! Bad lines become [`InputError`]s with their line number; every good line is still read.
// `cfg(fuzzing)` is set by cargo-fuzz.
#![allow(unexpected_cfgs)]

use super::dataset::{Dataset, InputError, Origin, Stored};
use super::fields::FieldTable;
use super::mapping::FieldType;
use super::parallel;
use super::scan;
use super::trie::Trie;
use super::timestamp::{from_epoch_millis, DateFormat};
use super::value::{format_float, Value};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// How deeply an event's JSON may nest (serde_json stops at 128 anyway; this is ours).
pub(super) const MAX_NESTING: usize = 100;

/// Turns input text into a [`Dataset`] for one field table.
pub struct Reader {
    trie: Trie,
    dataset: Dataset,
    pending: Vec<(u32, Stored)>,
    /// The fast path's buffer for strings with escapes.
    scratch: String,
    types: Vec<FieldType>,
    /// Per input, field types from that input's own mapping (indices differ in formats).
    input_types: std::collections::HashMap<u32, Vec<FieldType>>,
    /// How many threads a large NDJSON input may be read on (see `parallel`).
    threads: usize,
}

/// What kind of document an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Ndjson,
    JsonArray,
    /// An Elasticsearch `_search` response: the events are `hits.hits[]._source`.
    SearchResponse,
}

/// Guesses the format from the first non-blank character and a quick look at the top level.
pub fn detect_format(text: &str) -> InputFormat {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('[') {
        return InputFormat::JsonArray;
    }
    // A single pretty-printed object spanning lines with "hits" at its top is a search response.
    if trimmed.starts_with('{') {
        let first_line = trimmed.lines().next().unwrap_or("");
        let one_line_object = serde_json::from_str::<IgnoredAny>(first_line).is_ok();
        if !one_line_object || trimmed.lines().nth(1).is_none() {
            if let Ok(top) = serde_json::from_str::<SearchTop>(trimmed) {
                if top.hits.is_some() {
                    return InputFormat::SearchResponse;
                }
            }
        }
    }
    InputFormat::Ndjson
}

#[derive(serde::Deserialize)]
struct SearchTop<'a> {
    #[serde(borrow)]
    hits: Option<SearchHits<'a>>,
}

#[derive(serde::Deserialize)]
struct SearchHits<'a> {
    #[serde(borrow, default)]
    hits: Vec<SearchHit<'a>>,
}

#[derive(serde::Deserialize)]
struct SearchHit<'a> {
    #[serde(borrow, rename = "_source")]
    source: Option<&'a serde_json::value::RawValue>,
}

impl Reader {
    pub fn new(fields: FieldTable) -> Reader {
        let types = fields.iter().map(|(_, f)| f.ty.clone()).collect();
        Reader {
            trie: Trie::new(&fields),
            dataset: Dataset::new(fields),
            pending: Vec::new(),
            scratch: String::new(),
            types,
            input_types: Default::default(),
            threads: parallel::default_threads(),
        }
    }

    /// Caps the threads a large NDJSON input is read on (1 reads on the calling thread only; at
    /// most 64). The default is the machine's parallelism, up to 8; results are the same for any
    /// value.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.clamp(1, parallel::MAX_THREADS_ASKED);
    }

    pub(super) fn threads(&self) -> usize {
        self.threads
    }

    /// A reader for the same fields and mappings with an empty dataset: one per thread.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn fork(&self) -> Reader {
        Reader {
            trie: self.trie.clone(),
            dataset: Dataset::new(self.dataset.fields.clone()),
            pending: Vec::new(),
            scratch: String::new(),
            types: self.types.clone(),
            input_types: self.input_types.clone(),
            threads: 1,
        }
    }

    /// Appends what another reader (a [`Reader::fork`]) read, after everything read so far.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn append(&mut self, other: Reader) {
        self.dataset.append(other.dataset);
    }

    /// Reads `input` with its own index mapping, as when several indices are searched together
    /// and a field's date format differs between them.
    pub fn set_input_mapping(&mut self, input: u32, mapping: &super::Mapping) {
        let types = self
            .dataset
            .fields
            .iter()
            .map(|(_, f)| mapping.get(&f.path).map_or_else(|| f.ty.clone(), |m| m.ty.clone()))
            .collect();
        self.input_types.insert(input, types);
    }

    /// Reads one input in the given (or detected) format.
    pub fn add(&mut self, input: u32, text: &str, format: Option<InputFormat>) {
        match format.unwrap_or_else(|| detect_format(text)) {
            InputFormat::Ndjson => self.add_ndjson(input, text),
            InputFormat::JsonArray => self.add_json_array(input, text),
            InputFormat::SearchResponse => self.add_search_response(input, text),
        }
    }

    /// NDJSON: one object per line; blank lines are skipped. A large input is read on several
    /// threads (natively; see [`Reader::set_threads`]).
    pub fn add_ndjson(&mut self, input: u32, text: &str) {
        parallel::add_ndjson(self, input, text);
    }

    /// The NDJSON lines of `text` from byte `from` (a line start) to `to` (a line end, or the
    /// end), numbered from `first_line`. Offsets in origins are into the whole `text`.
    pub(super) fn add_ndjson_lines(&mut self, input: u32, text: &str, from: usize, to: usize, first_line: u32) {
        // The pieces of `text.split('\n')`, found with memchr.
        let to = to.min(text.len());
        let mut offset = from;
        for i in 0usize.. {
            let rest = text.as_bytes().get(offset..to).unwrap_or_default();
            let end = memchr::memchr(b'\n', rest).map_or(to, |p| offset + p);
            let raw_line = text.get(offset..end).unwrap_or_default();
            // Saturates past 4G lines rather than wrapping (or panicking in debug builds).
            let line_no = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
            let mut start = offset;
            let line = if offset == 0 {
                start += raw_line.len() - raw_line.trim_start_matches('\u{feff}').len();
                line.strip_prefix('\u{feff}').unwrap_or(line)
            } else {
                line
            };
            if line.starts_with('{') || !line.trim().is_empty() {
                self.add_event(Origin { input, line: line_no, offset: start, len: line.len() as u32 }, line);
            }
            if end >= to {
                break;
            }
            offset = end + 1;
        }
    }

    /// A JSON array of objects; "line" numbers are 1-based element positions.
    pub fn add_json_array(&mut self, input: u32, text: &str) {
        match serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) {
            Ok(items) => self.add_raw_items(input, text, items.into_iter().map(Some)),
            Err(e) => self.dataset.push_error(InputError {
                input,
                line: e.line() as u32,
                message: format!("not a JSON array of events: {e}"),
            }),
        }
    }

    /// An Elasticsearch `_search` response: events are the hits' `_source`.
    pub fn add_search_response(&mut self, input: u32, text: &str) {
        match serde_json::from_str::<SearchTop>(text) {
            Ok(top) => {
                let hits = top.hits.map(|h| h.hits).unwrap_or_default();
                self.add_raw_items(input, text, hits.into_iter().map(|h| h.source));
            }
            Err(e) => self.dataset.push_error(InputError {
                input,
                line: e.line() as u32,
                message: format!("not a search response: {e}"),
            }),
        }
    }

    fn add_raw_items<'a>(
        &mut self,
        input: u32,
        text: &'a str,
        items: impl Iterator<Item = Option<&'a serde_json::value::RawValue>>,
    ) {
        for (i, item) in items.enumerate() {
            let line = (i + 1) as u32;
            let Some(raw) = item else {
                self.dataset.push_error(InputError { input, line, message: "hit without _source".into() });
                continue;
            };
            let body = raw.get();
            let offset = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            self.add_event(Origin { input, line, offset, len: body.len() as u32 }, body);
        }
    }

    /// Reads one JSON object; on failure records the error and keeps nothing of it.
    pub fn add_event(&mut self, origin: Origin, json: &str) {
        // The fast path first; when it gives up, serde_json reads the event from scratch and
        // reports the error, if any (see `scan`).
        let mark = self.dataset.strings_len();
        let types = self.input_types.get(&origin.input).unwrap_or(&self.types);
        let mut ex = Extract { trie: &self.trie, types, dataset: &mut self.dataset, pending: &mut self.pending, depth: 0 };
        if scan::read_event(&mut ex, json, &mut self.scratch).is_ok() {
            // Under `cargo fuzz`, every event the fast path reads is checked against serde_json.
            #[cfg(fuzzing)]
            self.assert_serde_agrees(origin.input, json);
            self.dataset.push_event(origin, &mut self.pending);
            return;
        }
        self.pending.clear();
        self.dataset.truncate_strings(mark);
        self.add_event_serde(origin, json);
    }

    /// Panics unless the serde path reads `json` as the fast path just did (into `pending`).
    #[cfg(fuzzing)]
    fn assert_serde_agrees(&mut self, input: u32, json: &str) {
        let resolve = |pending: &[(u32, Stored)], data: &Dataset| -> Vec<(u32, Value)> {
            pending.iter().map(|(f, v)| (*f, data.to_val(v).to_owned_value())).collect()
        };
        let fast = resolve(&self.pending, &self.dataset);
        let kept = std::mem::take(&mut self.pending);
        let mark = self.dataset.strings_len();
        let types = self.input_types.get(&input).unwrap_or(&self.types);
        let mut ex = Extract { trie: &self.trie, types, dataset: &mut self.dataset, pending: &mut self.pending, depth: 0 };
        let ok = extract_serde(&mut ex, json).is_ok();
        let slow = resolve(&self.pending, &self.dataset);
        self.pending = kept;
        self.dataset.truncate_strings(mark);
        assert!(ok, "the fast path read an event serde_json rejects: {json:?}");
        assert_eq!(fast, slow, "the fast path and serde_json read {json:?} differently");
    }

    /// The serde_json path of [`Reader::add_event`].
    fn add_event_serde(&mut self, origin: Origin, json: &str) {
        let types = self.input_types.get(&origin.input).unwrap_or(&self.types);
        let mut ex = Extract { trie: &self.trie, types, dataset: &mut self.dataset, pending: &mut self.pending, depth: 0 };
        match extract_serde(&mut ex, json) {
            Ok(()) => self.dataset.push_event(origin, &mut self.pending),
            Err(e) => {
                self.pending.clear();
                let message = if e.is_data() && e.to_string().starts_with("expected a JSON object") {
                    "expected a JSON object".to_string()
                } else {
                    format!("invalid JSON: {e}")
                };
                self.dataset.push_error(InputError { input: origin.input, line: origin.line, message });
            }
        }
    }

    pub fn finish(mut self) -> Dataset {
        self.dataset.shrink();
        self.dataset
    }

    pub fn len(&self) -> usize {
        self.dataset.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dataset.is_empty()
    }
}

/// Reads one event with serde_json into `ex`.
fn extract_serde(ex: &mut Extract<'_, '_>, json: &str) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    de::Deserializer::deserialize_any(&mut de, TopSeed(ex)).and_then(|()| de.end())
}

/// Where extracted values go, for one event: both read paths (serde's visitor and `scan`).
pub(super) struct Extract<'t, 'd> {
    pub(super) trie: &'t Trie,
    types: &'t [FieldType],
    dataset: &'d mut Dataset,
    pending: &'d mut Vec<(u32, Stored)>,
    /// The serde path's count of open containers.
    depth: usize,
}

impl Extract<'_, '_> {
    fn field_type(&self, field: u32) -> &FieldType {
        &self.types[field as usize]
    }

    pub(super) fn push(&mut self, field: u32, value: Value) {
        let converted = convert(self.field_type(field), value);
        if let Some(stored) = converted.and_then(|v| self.dataset.stored_from_value(&v)) {
            self.pending.push((field, stored));
        }
    }

    pub(super) fn push_str(&mut self, field: u32, s: &str) {
        let stored = match self.field_type(field) {
            FieldType::Dynamic | FieldType::Keyword | FieldType::Text | FieldType::Wildcard | FieldType::Ip
            | FieldType::Version | FieldType::Other(_) | FieldType::Object => Some(self.dataset.intern_str(s)),
            // As `convert` does for a `Value::Str`, without the copy.
            FieldType::Long => match s.trim().parse::<i64>() {
                Ok(i) => Some(Stored::Int(i)),
                Err(_) => s.trim().parse::<f64>().ok().map(|f| Stored::Int(f.trunc() as i64)),
            },
            FieldType::Double => s.trim().parse().ok().map(Stored::Float),
            FieldType::Date(fmt) | FieldType::DateNanos(fmt) => fmt.parse_str(s).map(Stored::Int),
            FieldType::Boolean => match s {
                "true" => Some(Stored::Bool(true)),
                "false" | "" => Some(Stored::Bool(false)),
                _ => None,
            },
        };
        if let Some(stored) = stored {
            self.pending.push((field, stored));
        }
    }

    pub(super) fn push_null(&mut self, field: u32) {
        if let Some(v) = self.dataset.fields.get(super::fields::FieldId(field)).null_value.clone() {
            self.push(field, v);
        }
    }
}

/// A JSON value as the field's mapping type would index it; `None` when it cannot be.
fn convert(ty: &FieldType, value: Value) -> Option<Value> {
    Some(match (ty, value) {
        (_, Value::Null) => return None,
        (FieldType::Keyword | FieldType::Text | FieldType::Wildcard | FieldType::Ip | FieldType::Version, v) => {
            Value::Str(match v {
                Value::Str(s) => s,
                Value::Int(i) => i.to_string(),
                Value::Float(f) => format_float(f),
                Value::Bool(b) => b.to_string(),
                Value::Null => return None,
            })
        }
        (FieldType::Long, Value::Str(s)) => match s.trim().parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Int(s.trim().parse::<f64>().ok()?.trunc() as i64),
        },
        (FieldType::Long, Value::Float(f)) => Value::Int(f.trunc() as i64),
        (FieldType::Double, Value::Str(s)) => Value::Float(s.trim().parse().ok()?),
        (FieldType::Double, Value::Int(i)) => Value::Float(i as f64),
        (FieldType::Date(fmt) | FieldType::DateNanos(fmt), Value::Str(s)) => Value::Int(fmt.parse_str(&s)?),
        (FieldType::Date(_) | FieldType::DateNanos(_), Value::Int(i)) => Value::Int(from_epoch_millis(i as f64)?),
        (FieldType::Date(_) | FieldType::DateNanos(_), Value::Float(f)) => Value::Int(from_epoch_millis(f)?),
        (FieldType::Boolean, Value::Str(s)) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" | "" => Value::Bool(false),
            _ => return None,
        },
        (_, v) => v,
    })
}

/// The top level must be an object.
struct TopSeed<'a, 't, 'd>(&'a mut Extract<'t, 'd>);

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        visit_object(self.0, 0, map)
    }
}

fn visit_object<'de, A: MapAccess<'de>>(ex: &mut Extract<'_, '_>, node: u32, mut map: A) -> Result<(), A::Error> {
    if ex.depth >= MAX_NESTING {
        return Err(de::Error::custom("event nests too deeply"));
    }
    ex.depth += 1;
    while let Some(target) = map.next_key_seed(KeySeed { trie: ex.trie, node })? {
        match target {
            Some(child) => map.next_value_seed(ValueSeed { ex, node: child })?,
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    ex.depth -= 1;
    Ok(())
}

/// Resolves an object key against the trie without allocating.
struct KeySeed<'t> {
    trie: &'t Trie,
    node: u32,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<u32>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<u32>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<u32>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<u32>, E> {
        Ok(self.trie.walk(self.node, key.as_bytes()))
    }
}

/// A value at a trie node: recorded when the node is a field, searched when it has children.
struct ValueSeed<'a, 't, 'd> {
    ex: &'a mut Extract<'t, 'd>,
    node: u32,
}

impl ValueSeed<'_, '_, '_> {
    fn field(&self) -> Option<u32> {
        self.ex.trie.field(self.node)
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        if let Some(f) = self.field() {
            self.ex.push(f, Value::Bool(v));
        }
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        if let Some(f) = self.field() {
            self.ex.push(f, Value::Int(v));
        }
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        if let Some(f) = self.field() {
            let value = i64::try_from(v).map_or(Value::Float(v as f64), Value::Int);
            self.ex.push(f, value);
        }
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if let Some(f) = self.field() {
            self.ex.push(f, Value::Float(v));
        }
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if let Some(f) = self.field() {
            self.ex.push_str(f, v);
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        if let Some(f) = self.field() {
            self.ex.push_null(f);
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.ex.depth >= MAX_NESTING {
            return Err(de::Error::custom("event nests too deeply"));
        }
        self.ex.depth += 1;
        // Arrays flatten: every element is a value of the same field (or holds its children).
        while seq.next_element_seed(ValueSeed { ex: &mut *self.ex, node: self.node })?.is_some() {}
        self.ex.depth -= 1;
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        visit_object(self.ex, self.node, map)
    }
}

/// The date format of a date-typed field, for timestamps typed by the mapping.
pub fn date_format(ty: &FieldType) -> DateFormat {
    match ty {
        FieldType::Date(f) | FieldType::DateNanos(f) => f.clone(),
        _ => DateFormat::Default,
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
