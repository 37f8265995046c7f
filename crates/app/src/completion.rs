//! What the query editor offers while you type: field names from the loaded events (with how
//! many events have each and a sample value), ECS field names, functions with their signatures,
//! and event categories (the loaded events' and ECS's) where a term begins. Plain functions over
//! text, so they are tested natively; the editor draws and applies them.

use crate::protocol::FieldHelp;
use eql::plan::functions::Func;

/// ECS's field names and event categories, beside the page (see `web/ecs/README.md`).
pub const ECS_FIELDS_PATH: &str = "web/ecs/fields.tsv";
pub const ECS_CATEGORIES_PATH: &str = "web/ecs/categories.tsv";

/// Suggestions listed at most.
pub const SHOWN: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A field some loaded event has.
    Field,
    Function,
    Category,
    /// An ECS field no loaded event has.
    Ecs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub kind: Kind,
    /// What replaces the word being typed.
    pub insert: String,
    /// What the list says beside it: counts and a sample, a signature, a description.
    pub detail: String,
}

/// ECS's field names and event categories (`web/ecs/`, fetched the first time completion opens).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ecs {
    /// (name, type, short description)
    pub fields: Vec<(String, String, String)>,
    /// (category, description)
    pub categories: Vec<(String, String)>,
}

impl Ecs {
    pub fn parse(fields: &str, categories: &str) -> Ecs {
        let fields = fields
            .lines()
            .filter_map(|l| {
                let mut parts = l.splitn(3, '\t');
                Some((parts.next()?.to_string(), parts.next()?.to_string(), parts.next().unwrap_or("").to_string()))
            })
            .collect();
        let categories = categories.lines().filter_map(|l| l.split_once('\t')).map(|(a, b)| (a.to_string(), b.to_string())).collect();
        Ecs { fields, categories }
    }
}

/// A character of a field name or function name as the editor completes them.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '@')
}

/// The word that ends at byte `caret`: where it starts, and its text.
pub fn word_before(text: &str, caret: usize) -> (usize, &str) {
    let caret = floor(text, caret);
    let start = text[..caret].char_indices().rev().take_while(|(_, c)| word_char(*c)).last().map_or(caret, |(i, _)| i);
    (start, &text[start..caret])
}

fn floor(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether a word at `start` begins a term (`[` before it, or the query's first word): there an
/// event category goes.
pub fn at_term_start(text: &str, start: usize) -> bool {
    let before = text[..floor(text, start)].trim_end();
    before.is_empty() || before.ends_with('[')
}

/// Suggestions for the word being typed. `word` may be empty (asked for with Ctrl+Space).
pub fn suggest(word: &str, term_start: bool, help: Option<&FieldHelp>, ecs: Option<&Ecs>, zh: bool) -> Vec<Suggestion> {
    let lower = word.to_lowercase();
    // A prefix of the whole name first, then of one of its dotted parts (`name` → `process.name`).
    let rank = |name: &str| -> Option<u8> {
        let name = name.to_lowercase();
        if name.starts_with(&lower) {
            Some(0)
        } else if !lower.is_empty() && name.split('.').skip(1).any(|part| part.starts_with(&lower)) {
            Some(1)
        } else {
            None
        }
    };
    let events_word = if zh { "个事件" } else { "events" };
    let mut out: Vec<(u8, u8, Suggestion)> = Vec::new();
    if term_start {
        let present: Vec<&(String, usize)> = help.map(|h| h.categories.iter().collect()).unwrap_or_default();
        for (name, count) in &present {
            if let Some(r) = rank(name) {
                out.push((r, 0, Suggestion { kind: Kind::Category, insert: format!("{name} where "), detail: format!("{count} {events_word}") }));
            }
        }
        for (name, description) in ecs.map(|e| e.categories.as_slice()).unwrap_or_default() {
            if !present.iter().any(|(p, _)| p == name) {
                if let Some(r) = rank(name) {
                    out.push((r, 1, Suggestion { kind: Kind::Category, insert: format!("{name} where "), detail: format!("ECS — {description}") }));
                }
            }
        }
        if rank("any").is_some() {
            let detail = if zh { "任意类别" } else { "any category" };
            out.push((rank("any").unwrap_or(0), 2, Suggestion { kind: Kind::Category, insert: "any where ".into(), detail: detail.into() }));
        }
    } else {
        for f in help.map(|h| h.fields.as_slice()).unwrap_or_default() {
            if let Some(r) = rank(&f.path) {
                let detail = match f.sample.is_empty() {
                    true => format!("{} {events_word}", f.count),
                    false => format!("{} {events_word} · {}", f.count, f.sample),
                };
                out.push((r, 0, Suggestion { kind: Kind::Field, insert: f.path.clone(), detail }));
            }
        }
        for func in Func::ALL {
            if let Some(r) = rank(func.name()) {
                out.push((r, 1, Suggestion { kind: Kind::Function, insert: format!("{}(", func.name()), detail: func.signature().to_string() }));
            }
        }
        let present = |name: &str| help.is_some_and(|h| h.fields.iter().any(|f| f.path == name));
        let none = if zh { "已加载的事件中没有" } else { "in no loaded event" };
        for (name, kind, short) in ecs.map(|e| e.fields.as_slice()).unwrap_or_default() {
            if let Some(r) = rank(name).filter(|_| !present(name)) {
                out.push((r, 2, Suggestion { kind: Kind::Ecs, insert: name.clone(), detail: format!("ECS {kind} — {short} ({none})") }));
            }
        }
    }
    // Within a rank and group, the sources' own order (most common fields first).
    let mut order: Vec<(u8, u8, usize)> = out.iter().enumerate().map(|(i, (rank, group, _))| (*rank, *group, i)).collect();
    order.sort_unstable();
    order.into_iter().map(|(_, _, i)| &out[i].2).filter(|s| s.insert != word).take(SHOWN).cloned().collect()
}

/// The text with the word at `start..caret` replaced by `insert`, and where the caret goes.
pub fn apply(text: &str, start: usize, caret: usize, insert: &str) -> (String, usize) {
    let (start, caret) = (floor(text, start), floor(text, caret).max(floor(text, start)));
    (format!("{}{insert}{}", &text[..start], &text[caret..]), start + insert.len())
}

/// A byte offset of `text` as a UTF-16 index (what a textarea's selection counts in), and back.
pub fn utf16_of(text: &str, byte: usize) -> u32 {
    text[..floor(text, byte)].encode_utf16().count() as u32
}

pub fn byte_of(text: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 as usize {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::FieldInfo;

    fn help() -> FieldHelp {
        let f = |path: &str, count, sample: &str| FieldInfo { path: path.into(), count, sample: sample.into() };
        FieldHelp {
            version: 1,
            category_field: "event.category".into(),
            events: 59,
            fields: vec![f("process.name", 59, "wscript.exe"), f("process.parent.name", 40, "explorer.exe"), f("network.protocol", 12, "dns")],
            categories: vec![("network".into(), 20), ("process".into(), 30)],
        }
    }

    fn ecs() -> Ecs {
        Ecs::parse("process.name\tkeyword\tProcess name.\nprocess.pe.original_file_name\tkeyword\tInternal name of the file.\n", "network\tNetwork events.\nregistry\tRegistry events.\n")
    }

    #[test]
    fn fields_of_the_events_come_first_with_counts_then_functions_then_ecs() {
        let got = suggest("proc", false, Some(&help()), Some(&ecs()), false);
        let inserts: Vec<&str> = got.iter().map(|s| s.insert.as_str()).collect();
        assert_eq!(inserts, ["process.name", "process.parent.name", "process.pe.original_file_name"]);
        assert_eq!(got[0].detail, "59 events · wscript.exe");
        assert!(got[2].detail.starts_with("ECS keyword — Internal name of the file. (in no loaded event)"));
        // A dotted part matches too, after whole-name prefixes.
        let got = suggest("name", false, Some(&help()), Some(&ecs()), false);
        assert_eq!(got[0].insert, "process.name");
        let functions = suggest("ends", false, None, None, false);
        assert_eq!(functions[0], Suggestion { kind: Kind::Function, insert: "endsWith(".into(), detail: "endsWith~(<string>, <substring>)".into() });
    }

    #[test]
    fn where_a_term_begins_categories_are_offered() {
        assert!(at_term_start("sequence by host.id\n  [net", 23));
        assert!(at_term_start("pro", 0));
        assert!(!at_term_start("process where pro", 14));
        let got = suggest("", true, Some(&help()), Some(&ecs()), false);
        let inserts: Vec<&str> = got.iter().map(|s| s.insert.as_str()).collect();
        assert_eq!(inserts, ["network where ", "process where ", "registry where ", "any where "]);
        assert_eq!(got[0].detail, "20 events");
    }

    #[test]
    fn the_word_before_the_caret_is_replaced() {
        let text = "process where proc.na == \"x\"";
        let (start, word) = word_before(text, 21);
        assert_eq!((start, word), (14, "proc.na"));
        assert_eq!(apply(text, start, 21, "process.name"), ("process where process.name == \"x\"".into(), 26));
        assert_eq!(word_before("a == 'é", 7), (6, ""), "a caret inside a character goes back to its start");
        let text = "é where x";
        assert_eq!(utf16_of(text, text.len()), 9);
        assert_eq!(byte_of(text, 9), text.len());
        assert_eq!(byte_of(text, 1), 2);
    }
}
