//! Results as JSON lines: one JSON object per result, one result per line. This is the stable
//! output of `eqlplay match` and the playground's results download, so both give the same text.
//!
//! ```text
//! {"kind":"sequence","join_keys":["h1","p1"],"events":[{"line":14},{"line":15}]}
//! ```
//! `file` is added to each event when several inputs were given, `source` with `--with-source`;
//! a missing-event slot is `{"missing":true}`.

use crate::{Dataset, Match, MatchKind, Slot};
use serde::Serialize;
use serde_json::value::RawValue;
use std::io::{self, Write};

/// What the writer needs to know about the inputs.
pub struct Inputs<'a> {
    /// The paths as given.
    pub paths: &'a [String],
    /// Each input's text, for `--with-source`.
    pub texts: &'a [String],
    pub with_file: bool,
    pub with_source: bool,
}

#[derive(Serialize)]
struct OutMatch<'a> {
    kind: MatchKind,
    join_keys: Vec<serde_json::Value>,
    events: Vec<OutSlot<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutSlot<'a> {
    Event {
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<&'a str>,
        line: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<Box<RawValue>>,
    },
    Missing {
        missing: bool,
    },
}

/// Writes every result, one per line.
pub fn write_matches(
    out: &mut impl Write,
    matches: &[Match],
    data: &Dataset,
    inputs: &Inputs,
) -> io::Result<()> {
    for m in matches {
        let events = m
            .events
            .iter()
            .map(|slot| match *slot {
                Slot::Event { event, .. } => event_slot(event, data, inputs),
                Slot::Missing { .. } => OutSlot::Missing { missing: true },
            })
            .collect();
        let out_match = OutMatch {
            kind: m.kind,
            join_keys: m.join_keys.iter().map(|v| v.to_json()).collect(),
            events,
        };
        serde_json::to_writer(&mut *out, &out_match).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn event_slot<'a>(event: usize, data: &Dataset, inputs: &Inputs<'a>) -> OutSlot<'a> {
    let origin = data.origin(event);
    let input = origin.input as usize;
    let file = match inputs.with_file {
        true => inputs.paths.get(input).map(String::as_str),
        false => None,
    };
    let source = match inputs.with_source {
        true => inputs
            .texts
            .get(input)
            .and_then(|t| t.get(origin.offset..origin.offset.saturating_add(origin.len as usize)))
            .and_then(|slice| RawValue::from_string(minify(slice)).ok()),
        false => None,
    };
    OutSlot::Event {
        file,
        line: origin.line,
        source,
    }
}

/// Removes the whitespace between JSON tokens so that a pretty-printed event stays on one line;
/// strings, numbers and key order are kept exactly as written.
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn minify_keeps_strings() {
        assert_eq!(
            minify("{ \"a b\" : [1, \"x\\\" y\"],\n \"c\":\t{} }"),
            "{\"a b\":[1,\"x\\\" y\"],\"c\":{}}"
        );
    }
}
