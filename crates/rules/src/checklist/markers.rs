//! Osquery / Timeline placeholders in a note. Both forms are swapped for
//! private-use markers before Markdown parsing, because Kibana's inline form
//! carries JSON that Markdown would mangle (`\"` escapes, `*` emphasis):
//! - detection-rules: `$osquery_N` / `$investigate_N`, 0-based indexes into
//!   the rule's `[[transform.osquery]]` / `[[transform.investigate]]`;
//! - Kibana: `!{osquery{json}}`, `!{investigate{json}}`, `!{insight{json}}`.

use crate::model::{InvestigateBlock, OsqueryBlock, Transform};
use serde_json::Value;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

#[derive(Debug, Clone)]
pub(crate) enum Block {
    Osquery(OsqueryBlock),
    Investigate(InvestigateBlock),
}

impl Block {
    fn label(&self) -> &str {
        match self {
            Block::Osquery(b) => &b.label,
            Block::Investigate(b) => &b.label,
        }
    }
}

pub(crate) struct Prepared {
    pub text: String,
    pub blocks: Vec<Block>,
    pub warnings: Vec<String>,
}

/// Replaces every resolvable placeholder with a marker; unresolvable ones
/// stay as literal text and produce a warning.
pub(crate) fn prepare(note: &str, transform: &Transform) -> Prepared {
    // Markers must be unforgeable by the note itself.
    let note = note.replace([OPEN, CLOSE], "\u{FFFD}");
    let mut p = Prepared {
        text: String::with_capacity(note.len()),
        blocks: Vec::new(),
        warnings: Vec::new(),
    };
    let mut rest = note.as_str();
    while let Some(pos) = rest.find(['$', '!']) {
        p.text.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let found = match rest.starts_with('$') {
            true => dollar(rest, transform, &mut p.warnings),
            false => inline_plugin(rest, &mut p.warnings),
        };
        match found {
            Some((block, used)) => {
                p.text.push(OPEN);
                p.text.push_str(&p.blocks.len().to_string());
                p.text.push(CLOSE);
                p.blocks.push(block);
                rest = &rest[used..];
            }
            None => {
                p.text.push_str(&rest[..1]);
                rest = &rest[1..];
            }
        }
    }
    p.text.push_str(rest);
    p
}

fn dollar(s: &str, transform: &Transform, warnings: &mut Vec<String>) -> Option<(Block, usize)> {
    let (prefix, table, len) = if s.starts_with("$osquery_") {
        ("$osquery_", "osquery", transform.osquery.len())
    } else if s.starts_with("$investigate_") {
        ("$investigate_", "investigate", transform.investigate.len())
    } else {
        return None;
    };
    let digits = s[prefix.len()..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 {
        return None;
    }
    let used = prefix.len() + digits;
    let block = s[prefix.len()..used]
        .parse::<usize>()
        .ok()
        .and_then(|i| match table {
            "osquery" => transform.osquery.get(i).cloned().map(Block::Osquery),
            _ => transform
                .investigate
                .get(i)
                .cloned()
                .map(Block::Investigate),
        });
    if block.is_none() {
        warnings.push(format!(
            "unresolved placeholder `{}`: the rule has {len} [[transform.{table}]] entr{}",
            &s[..used],
            if len == 1 { "y" } else { "ies" }
        ));
    }
    Some((block?, used))
}

fn inline_plugin(s: &str, warnings: &mut Vec<String>) -> Option<(Block, usize)> {
    let body = s.strip_prefix("!{")?;
    let name_len = body.bytes().take_while(u8::is_ascii_alphabetic).count();
    let name = &body[..name_len];
    let json = &body[name_len..];
    if name.is_empty() || !json.starts_with('{') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(json).into_iter::<Value>();
    let parsed = stream.next();
    let after = &json[stream.byte_offset()..];
    let (value, close) = match (parsed, after.trim_start().strip_prefix('}')) {
        (Some(Ok(v @ Value::Object(_))), Some(tail)) => (v, json.len() - tail.len()),
        _ => {
            warnings.push(format!(
                "malformed `!{{{name}{{...}}}}` block: expected JSON then `}}`"
            ));
            return None;
        }
    };
    let block = match name {
        "osquery" => serde_json::from_value(value).ok().map(Block::Osquery),
        "investigate" | "insight" => serde_json::from_value(value).ok().map(Block::Investigate),
        _ => return None,
    };
    if block.is_none() {
        warnings.push(format!(
            "malformed `!{{{name}{{...}}}}` block: unexpected field types"
        ));
    }
    Some((block?, 2 + name_len + close))
}

/// Removes markers from `text`, returning the blocks they stood for.
pub(crate) fn extract(text: &str, blocks: &[Block]) -> (String, Vec<Block>) {
    let mut found = Vec::new();
    let cleaned = rewrite(text, blocks, |b| {
        found.push(b.clone());
        String::new()
    });
    (tidy(&cleaned), found)
}

/// Replaces markers with their labels (where blocks cannot be attached).
pub(crate) fn labels_only(text: &str, blocks: &[Block]) -> String {
    tidy(&rewrite(text, blocks, |b| b.label().to_owned()))
}

pub(crate) fn has_marker(text: &str) -> bool {
    text.contains(OPEN)
}

fn rewrite(text: &str, blocks: &[Block], mut f: impl FnMut(&Block) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let end = after.find(CLOSE).unwrap_or(after.len());
        if let Some(b) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|i| blocks.get(i))
        {
            out.push_str(&f(b));
        }
        rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Trims the whitespace a removed marker leaves at line ends.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.trim().split('\n') {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transform(n: usize) -> Transform {
        let mut t = Transform::default();
        for i in 0..n {
            t.osquery.push(OsqueryBlock {
                label: format!("L{i}"),
                query: format!("Q{i}"),
                ..Default::default()
            });
        }
        t
    }

    #[test]
    fn resolves_dollar_placeholders() {
        let p = prepare("a $osquery_1 b $osquery_10 $osquery_x $5", &transform(2));
        assert_eq!(p.blocks.len(), 1);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(p.warnings[0].contains("`$osquery_10`"));
        let (text, found) = extract(&p.text, &p.blocks);
        assert_eq!(text, "a  b $osquery_10 $osquery_x $5");
        assert!(matches!(&found[..], [Block::Osquery(b)] if b.label == "L1"));
    }

    #[test]
    fn parses_kibana_inline_form() {
        let note = r#"- !{osquery{"label":"DNS","query":"SELECT \"x\" FROM t WHERE\na = 1","ecs_mapping":{}}} tail"#;
        let p = prepare(note, &Transform::default());
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let (text, found) = extract(&p.text, &p.blocks);
        assert_eq!(text, "-  tail");
        match &found[..] {
            [Block::Osquery(b)] => {
                assert_eq!(b.query, "SELECT \"x\" FROM t WHERE\na = 1");
                assert!(b.extra.contains_key("ecs_mapping"));
            }
            other => panic!("{other:?}"),
        }
        let p = prepare(
            r#"!{investigate{"label":"T","providers":[[]]}}"#,
            &Transform::default(),
        );
        assert!(matches!(&p.blocks[..], [Block::Investigate(b)] if b.label == "T"));
    }

    #[test]
    fn leaves_other_bang_text_alone() {
        for s in [
            "!{osquery{bad json}}",
            "wow! {x}",
            "!{other{\"a\":1}}",
            "!{osquery{\"a\":1}",
        ] {
            let p = prepare(s, &Transform::default());
            assert!(p.blocks.is_empty(), "{s}");
            assert_eq!(p.text, s);
        }
    }

    #[test]
    fn markers_cannot_be_forged() {
        let p = prepare("\u{E000}0\u{E001}", &transform(1));
        assert!(!has_marker(&p.text));
    }
}
