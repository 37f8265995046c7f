//! Rule exceptions as Kibana exports them (Security → Exceptions → Export: the list, its items,
//! a summary line) and as Kibana applies them to an EQL rule: every item becomes a clause of a
//! `must_not` in the `_eql/search` request's `filter`, so an event that matches any item is
//! invisible to the query — it cannot take part in a sequence, though other events still can.
//! Entries are AND-ed, items OR-ed. See `docs/research/kibana-eql-exceptions-and-schedule.md`
//! for the sources; fields are compared as `keyword` fields are (exact, case-sensitive).

use crate::fields::values;
use eql::compare::{Identity, Origin};
use eql::plan::wildcard::Wildcard;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One exception item.
#[derive(Debug, Clone)]
pub struct ExceptionItem {
    pub item_id: String,
    pub name: String,
    pub list_id: String,
    pub entries: Vec<Entry>,
    /// When set, the item applies to events of these operating systems only (`host.os.type`).
    pub os_types: Vec<String>,
    /// Items past this time are dropped before a run (RFC 3339).
    pub expire_time: Option<String>,
}

/// One entry: `negate` is Kibana's `operator: "excluded"` (is not, is not one of, …).
#[derive(Debug, Clone)]
pub enum Entry {
    /// `is` (`match`) and `is one of` (`match_any`): a `match_phrase` per value.
    Match { field: String, values: Vec<String>, negate: bool },
    Exists { field: String, negate: bool },
    /// `matches` (`wildcard`): a Lucene wildcard query, case-sensitive.
    Wildcard { field: String, pattern: Wildcard, negate: bool },
    /// `is in list`: a value list, kept in the cluster — it cannot be applied here.
    List { field: String, list_id: String, negate: bool },
    /// A `nested` query: some object under `field` satisfies every entry (named relative to it).
    Nested { field: String, entries: Vec<Entry> },
}

/// A line that is no exception item, or an item that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ExceptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The items of an exception list export, or of a rule export that carries its exception lists
/// (or any NDJSON of items, or one JSON array of them); lists, rules and summaries are skipped. All problems are returned, with the items read.
pub fn parse(text: &str) -> (Vec<ExceptionItem>, Vec<ExceptionError>) {
    let (mut items, mut errors) = (Vec::new(), Vec::new());
    let docs: Vec<(usize, Result<Value, String>)> = match serde_json::from_str::<Value>(text.trim()) {
        Ok(Value::Array(all)) => all.into_iter().map(|v| (1, Ok(v))).collect(),
        _ => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, serde_json::from_str::<Value>(l).map_err(|e| format!("not JSON: {e}"))))
            .collect(),
    };
    for (line, doc) in docs {
        let doc = match doc {
            Ok(doc) => doc,
            Err(message) => {
                errors.push(ExceptionError { line, message });
                continue;
            }
        };
        // The list itself, the export's summary, and — in a rule export, which carries the
        // rule's exception lists after it — the rules carry no entries.
        if doc.get("entries").is_none() {
            let known = ["list_id", "exported_exception_list_count", "exported_count", "rule_id"].iter().any(|k| doc.get(k).is_some());
            if !known {
                errors.push(ExceptionError { line, message: "neither an exception item, a list, a rule nor an export summary".into() });
            }
            continue;
        }
        match item(&doc) {
            Ok(item) => items.push(item),
            Err(message) => errors.push(ExceptionError { line, message }),
        }
    }
    (items, errors)
}

fn text(doc: &Value, key: &str) -> String {
    doc.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn item(doc: &Value) -> Result<ExceptionItem, String> {
    let name = text(doc, "name");
    let entries = doc["entries"].as_array().ok_or("`entries` is not a list")?;
    if entries.is_empty() {
        return Err(format!("item `{name}` has no entries"));
    }
    Ok(ExceptionItem {
        item_id: text(doc, "item_id"),
        list_id: text(doc, "list_id"),
        entries: entries.iter().map(|e| entry(e, "")).collect::<Result<_, _>>().map_err(|e| format!("item `{name}`: {e}"))?,
        os_types: doc.get("os_types").and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect(),
        expire_time: doc.get("expire_time").and_then(Value::as_str).map(String::from),
        name,
    })
}

fn entry(e: &Value, parent: &str) -> Result<Entry, String> {
    let field = text(e, "field");
    if field.is_empty() {
        return Err("an entry without a `field`".into());
    }
    let negate = match e.get("operator").and_then(Value::as_str) {
        Some("included") | None => false,
        Some("excluded") => true,
        Some(other) => return Err(format!("`{field}`: unknown operator `{other}`")),
    };
    let full = if parent.is_empty() { field.clone() } else { format!("{parent}.{field}") };
    let value = || e.get("value").and_then(Value::as_str).map(String::from).ok_or_else(|| format!("`{full}`: no text `value`"));
    Ok(match e.get("type").and_then(Value::as_str).unwrap_or("") {
        "match" => Entry::Match { field, values: vec![value()?], negate },
        "match_any" => {
            let values: Vec<String> = e.get("value").and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
            if values.is_empty() {
                return Err(format!("`{full}`: `is one of` without values"));
            }
            Entry::Match { field, values, negate }
        }
        "exists" => Entry::Exists { field, negate },
        "wildcard" => Entry::Wildcard { field, pattern: Wildcard::lucene(&value()?, false), negate },
        "list" => Entry::List { field, list_id: e.pointer("/list/id").and_then(Value::as_str).unwrap_or_default().to_string(), negate },
        "nested" if parent.is_empty() => {
            let inner = e.get("entries").and_then(Value::as_array).filter(|l| !l.is_empty()).ok_or_else(|| format!("`{full}`: nested without entries"))?;
            Entry::Nested { field: field.clone(), entries: inner.iter().map(|i| entry(i, &field)).collect::<Result<_, _>>()? }
        }
        "nested" => return Err(format!("`{full}`: nested entries do not nest further")),
        other => return Err(format!("`{full}`: unknown entry type `{other}`")),
    })
}

/// The operators of Kibana's exception editor, as it names them (and as [`Entry::written`]
/// takes them).
pub const OPERATORS: [&str; 8] = ["is", "is not", "is one of", "is not one of", "exists", "does not exist", "matches", "does not match"];

impl Entry {
    /// An entry as a person writes it in the exception editor: `is one of` takes values
    /// separated by commas; `exists` takes none.
    pub fn written(field: &str, operator: &str, value: &str) -> Result<Entry, String> {
        let field = field.trim().to_string();
        if field.is_empty() {
            return Err("an entry needs a field".into());
        }
        let negate = matches!(operator, "is not" | "is not one of" | "does not exist" | "does not match");
        let value = value.trim();
        let needs_value = || if value.is_empty() { Err(format!("`{field} {operator}` needs a value")) } else { Ok(value.to_string()) };
        Ok(match operator {
            "is" | "is not" => Entry::Match { values: vec![needs_value()?], field, negate },
            "is one of" | "is not one of" => {
                let values: Vec<String> = value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect();
                if values.is_empty() {
                    return Err(format!("`{field} {operator}` needs values, separated by commas"));
                }
                Entry::Match { field, values, negate }
            }
            "exists" | "does not exist" => Entry::Exists { field, negate },
            "matches" | "does not match" => Entry::Wildcard { pattern: Wildcard::lucene(&needs_value()?, false), field, negate },
            other => return Err(format!("unknown operator `{other}`")),
        })
    }

    /// The entry as Kibana's export writes it.
    fn to_json(&self) -> Value {
        let operator = |negate: &bool| if *negate { "excluded" } else { "included" };
        match self {
            Entry::Match { field, values, negate } if values.len() == 1 => {
                json!({"field": field, "operator": operator(negate), "type": "match", "value": values[0]})
            }
            Entry::Match { field, values, negate } => json!({"field": field, "operator": operator(negate), "type": "match_any", "value": values}),
            Entry::Exists { field, negate } => json!({"field": field, "operator": operator(negate), "type": "exists"}),
            Entry::Wildcard { field, pattern, negate } => {
                json!({"field": field, "operator": operator(negate), "type": "wildcard", "value": pattern.source()})
            }
            Entry::List { field, list_id, negate } => {
                json!({"field": field, "operator": operator(negate), "type": "list", "list": {"id": list_id, "type": "keyword"}})
            }
            Entry::Nested { field, entries } => json!({"field": field, "type": "nested", "entries": entries.iter().map(Entry::to_json).collect::<Vec<_>>()}),
        }
    }
}

/// An item written in the playground: its entries, each under the nested field it was written
/// for (empty: none) — entries under the same one go into one `nested` entry, as Kibana's
/// builder groups them.
pub fn written_item(item_id: &str, entries: Vec<(String, Entry)>) -> ExceptionItem {
    let mut out: Vec<Entry> = Vec::new();
    for (parent, entry) in entries {
        let parent = parent.trim().to_string();
        if parent.is_empty() {
            out.push(entry);
            continue;
        }
        match out.iter_mut().find_map(|e| match e {
            Entry::Nested { field, entries } if *field == parent => Some(entries),
            _ => None,
        }) {
            Some(inner) => inner.push(entry),
            None => out.push(Entry::Nested { field: parent, entries: vec![entry] }),
        }
    }
    let name = out.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(" AND ");
    ExceptionItem { item_id: item_id.into(), name, list_id: "playground".into(), entries: out, os_types: Vec::new(), expire_time: None }
}

/// An entry as Kibana's exception editor shows it: `process.name is one of a, b`.
impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not = |negate: &bool, yes: &'static str, no: &'static str| if *negate { no } else { yes };
        match self {
            Entry::Match { field, values, negate } if values.len() == 1 => write!(f, "{field} {} {}", not(negate, "is", "is not"), values[0]),
            Entry::Match { field, values, negate } => write!(f, "{field} {} {}", not(negate, "is one of", "is not one of"), values.join(", ")),
            Entry::Exists { field, negate } => write!(f, "{field} {}", not(negate, "exists", "does not exist")),
            Entry::Wildcard { field, pattern, negate } => write!(f, "{field} {} {}", not(negate, "matches", "does not match"), pattern.source()),
            Entry::List { field, list_id, negate } => write!(f, "{field} {} list {list_id}", not(negate, "is in", "is not in")),
            Entry::Nested { field, entries } => {
                let inner: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
                write!(f, "{field} {{ {} }}", inner.join(" AND "))
            }
        }
    }
}

impl ExceptionItem {
    /// The item as one line of Kibana's exception list export (what Security → Exceptions →
    /// Import takes back).
    pub fn to_json(&self) -> Value {
        let mut item = json!({
            "item_id": self.item_id,
            "list_id": self.list_id,
            "name": self.name,
            // Kibana's import requires one.
            "description": self.name,
            "type": "simple",
            "namespace_type": "single",
            "os_types": self.os_types,
            "tags": [],
            "entries": self.entries.iter().map(Entry::to_json).collect::<Vec<_>>(),
        });
        if let (Some(expire), Some(object)) = (&self.expire_time, item.as_object_mut()) {
            object.insert("expire_time".into(), expire.clone().into());
        }
        item
    }

    /// Why this item cannot be applied offline (it names a value list), if it cannot.
    pub fn unsupported(&self) -> Option<String> {
        let list = |e: &Entry| match e {
            Entry::List { list_id, .. } => Some(list_id.clone()),
            _ => None,
        };
        let lists: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| match e {
                Entry::Nested { entries, .. } => entries.iter().filter_map(list).collect(),
                e => list(e).into_iter().collect::<Vec<_>>(),
            })
            .collect();
        (!lists.is_empty()).then(|| format!("it uses value lists ({}), which live in the cluster", lists.join(", ")))
    }

        /// Whether the item has expired by `now` (nanoseconds since the epoch): Kibana drops such
    /// items before each run (`removeExpiredExceptions`). An unreadable time never expires.
    pub fn expired(&self, now: i64) -> bool {
        self.expire_time.as_deref().and_then(eql::data::timestamp::parse_iso).is_some_and(|t| t < now)
    }

    /// Why this item is not applied at `now`: it names a value list, or it has expired.
    pub fn not_applied(&self, now: i64) -> Option<String> {
        match (self.unsupported(), &self.expire_time) {
            (Some(why), _) => Some(why),
            (None, Some(at)) if self.expired(now) => Some(format!("it expired at {at}")),
            _ => None,
        }
    }

    /// Whether the item matches `event` (then Kibana's filter hides the event from the rule).
    /// Items that [`unsupported`](Self::unsupported) names never match.
    pub fn matches(&self, event: &Value) -> bool {
        if self.unsupported().is_some() {
            return false;
        }
        let os_ok = self.os_types.is_empty()
            || values(event, "host.os.type").iter().chain(values(event, "host.os.name.caseless").iter()).any(|v| {
                v.as_str().is_some_and(|v| self.os_types.iter().any(|os| os == v))
            });
        os_ok && self.entries.iter().all(|e| holds(e, event))
    }
}

/// The items a rule applies: those of the exception lists its `exceptions_list` names (by
/// `list_id`, as Kibana finds them), or every item when the rule names none (a bare query, or
/// a rule written without references: the file given is taken as its list).
pub fn of_rule(items: Vec<ExceptionItem>, rule: Option<&crate::Rule>) -> Vec<ExceptionItem> {
    let lists = referenced_lists(rule);
    match lists.is_empty() {
        true => items,
        false => items.into_iter().filter(|i| lists.contains(&i.list_id)).collect(),
    }
}

/// The `list_id`s of a rule's `exceptions_list` references.
pub fn referenced_lists(rule: Option<&crate::Rule>) -> Vec<String> {
    rule.and_then(|r| r.extra.get("exceptions_list"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("list_id").and_then(Value::as_str).map(String::from))
        .collect()
}

/// Blanks the lines of NDJSON `text` whose event an applicable item matches, with spaces, so
/// every other line keeps its number and its byte offsets; says which (1-based line, first item
/// that matched) were hidden.
pub fn hide_events(text: &str, items: &[ExceptionItem]) -> (String, Vec<(u32, usize)>) {
    let mut hidden = Vec::new();
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let event = serde_json::from_str::<Value>(line.trim()).ok();
        match event.as_ref().and_then(|e| items.iter().position(|i| i.matches(e))) {
            Some(i) => {
                hidden.push((n as u32 + 1, i));
                let body = line.trim_end_matches(['\n', '\r']);
                out.extend(std::iter::repeat_n(' ', body.len()));
                out.push_str(&line[body.len()..]);
            }
            None => out.push_str(line),
        }
    }
    (out, hidden)
}

/// What the items did to a query's results: for each item, the results it suppressed (those of
/// the run without exceptions that the run with them lacks, holding an event the item hid),
/// and how many results only the run with exceptions has (a sequence that took another event
/// once the hidden one was gone).
pub fn suppressed(without: &[Identity], with: &[Identity], hidden: &HashMap<Origin, usize>, items: usize) -> (Vec<usize>, usize) {
    let with_set: HashSet<&Identity> = with.iter().collect();
    let without_set: HashSet<&Identity> = without.iter().collect();
    let mut per_item = vec![0; items];
    for id in without.iter().filter(|id| !with_set.contains(id)) {
        let mut by: Vec<usize> = id.events.iter().flatten().filter_map(|o| hidden.get(o).copied()).filter(|&i| i < items).collect();
        by.sort_unstable();
        by.dedup();
        by.into_iter().for_each(|i| per_item[i] += 1);
    }
    let only_with = with.iter().filter(|id| !without_set.contains(id)).count();
    (per_item, only_with)
}

fn holds(entry: &Entry, event: &Value) -> bool {
    match entry {
        Entry::Match { field, values: wanted, negate } => {
            let found = values(event, field).iter().any(|v| wanted.iter().any(|w| phrase(v, w)));
            found != *negate
        }
        Entry::Exists { field, negate } => values(event, field).iter().any(|v| !v.is_null()) != *negate,
        Entry::Wildcard { field, pattern, negate } => {
            let found = values(event, field).iter().any(|v| v.as_str().is_some_and(|s| pattern.matches(s)));
            found != *negate
        }
        Entry::List { .. } => false,
        // Each nested entry's field is read within one object of the array.
        Entry::Nested { field, entries } => values(event, field).iter().any(|object| entries.iter().all(|e| holds(e, object))),
    }
}

/// `match_phrase` of `wanted` on a keyword-like value: the same text; a number or boolean
/// compares as the text Elasticsearch would index for it.
fn phrase(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(s) => s == wanted,
        Value::Number(n) => wanted.trim().parse::<f64>().ok().zip(n.as_f64()).is_some_and(|(w, n)| w == n),
        Value::Bool(b) => wanted == if *b { "true" } else { "false" },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An export as Kibana writes it: the list, two items, the summary (written for this test).
    const EXPORT: &str = r#"{"id":"l1","list_id":"admin-tools","name":"Admin tools","namespace_type":"single","type":"detection","os_types":[],"tags":[]}
{"entries":[{"field":"process.name","operator":"included","type":"match","value":"svchost.exe"},{"field":"host.name","operator":"included","type":"match_any","value":["build-01","build-02"]}],"item_id":"svchost-build","list_id":"admin-tools","name":"svchost on build hosts","os_types":[],"type":"simple"}
{"entries":[{"field":"file.path","operator":"included","type":"wildcard","value":"C:\\\\Temp\\\\*"},{"field":"process.Ext.code_signature","type":"nested","entries":[{"field":"trusted","operator":"included","type":"match","value":"true"}]}],"item_id":"temp-signed","list_id":"admin-tools","name":"temp signed","os_types":["windows"],"type":"simple"}
{"exported_exception_list_count":1,"exported_exception_list_item_count":2,"missing_exception_list_item_count":0,"missing_exception_list_items":[],"missing_exception_lists":[],"missing_exception_lists_count":0}
"#;

    #[test]
    fn an_export_reads_as_its_items() {
        let (items, errors) = parse(EXPORT);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(items.iter().map(|i| i.item_id.as_str()).collect::<Vec<_>>(), ["svchost-build", "temp-signed"]);
    }

    #[test]
    fn entries_and_items_combine_as_kibanas_filter_does() {
        let (items, _) = parse(EXPORT);
        let build = &items[0];
        assert!(build.matches(&json!({"process": {"name": "svchost.exe"}, "host": {"name": "build-02"}})));
        assert!(!build.matches(&json!({"process": {"name": "svchost.exe"}, "host": {"name": "ws-01"}})), "entries are AND-ed");
        assert!(!build.matches(&json!({"process": {"name": "SVCHOST.EXE"}, "host": {"name": "build-01"}})), "case-sensitive");
        assert!(build.matches(&json!({"process.name": "svchost.exe", "host": {"name": ["x", "build-01"]}})), "dotted keys and arrays");
        let temp = &items[1];
        let event = |os: &str| json!({"host": {"os": {"type": os}}, "file": {"path": "C:\\Temp\\a.exe"}, "process": {"Ext": {"code_signature": [{"trusted": false}, {"trusted": true}]}}});
        assert!(temp.matches(&event("windows")));
        assert!(!temp.matches(&event("linux")), "os_types");
    }

    #[test]
    fn negated_entries_and_exists() {
        let item = |entries: Value| parse(&json!({"item_id": "i", "name": "i", "entries": entries}).to_string()).0.remove(0);
        let not_admin = item(json!([{"field": "user.name", "operator": "excluded", "type": "match", "value": "admin"}]));
        assert!(not_admin.matches(&json!({"user": {"name": "bob"}})));
        assert!(not_admin.matches(&json!({})), "an event without the field is not `admin`");
        assert!(!not_admin.matches(&json!({"user": {"name": "admin"}})));
        let no_parent = item(json!([{"field": "process.parent.name", "operator": "excluded", "type": "exists"}]));
        assert!(no_parent.matches(&json!({"process": {"name": "a"}})) && !no_parent.matches(&json!({"process": {"parent": {"name": "b"}}})));
        let port = item(json!([{"field": "destination.port", "operator": "included", "type": "match", "value": "443"}]));
        assert!(port.matches(&json!({"destination": {"port": 443}})));
    }

    #[test]
    fn expired_items_are_not_applied() {
        let (items, _) = parse(r#"{"item_id":"e","name":"e","expire_time":"2026-01-01T00:00:00.000Z","entries":[{"field":"a","operator":"included","type":"exists"}]}"#);
        let at = |t: &str| eql::data::timestamp::parse_iso(t).expect("time");
        assert!(items[0].not_applied(at("2025-12-31T23:59:59Z")).is_none());
        assert_eq!(items[0].not_applied(at("2026-01-02T00:00:00Z")).as_deref(), Some("it expired at 2026-01-01T00:00:00.000Z"));
    }

    #[test]
    fn value_lists_are_named_and_never_applied() {
        let (items, _) = parse(r#"{"item_id":"l","name":"l","entries":[{"field":"source.ip","operator":"included","type":"list","list":{"id":"bad-ips","type":"ip"}}]}"#);
        assert!(items[0].unsupported().is_some_and(|w| w.contains("bad-ips")));
        assert!(!items[0].matches(&json!({"source": {"ip": "10.0.0.1"}})));
    }

    #[test]
    fn a_rule_export_with_its_lists_reads_as_its_items() {
        let rule = r#"{"rule_id":"r1","name":"R","type":"eql","language":"eql","query":"process where true","exceptions_list":[{"id":"l1","list_id":"admin-tools","type":"detection","namespace_type":"single"}]}"#;
        let export = format!("{rule}\n{EXPORT}{{\"exported_count\":4,\"exported_rules_count\":1,\"exported_exception_list_count\":1}}\n");
        let (items, errors) = parse(&export);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn items_go_back_out_as_kibana_writes_them() {
        let (items, _) = parse(EXPORT);
        let back: String = items.iter().map(|i| format!("{}\n", i.to_json())).collect();
        let (again, errors) = parse(&back);
        assert!(errors.is_empty(), "{errors:?}");
        for (a, b) in items.iter().zip(&again) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        let shown: Vec<String> = items[1].entries.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown, ["file.path matches C:\\\\Temp\\\\*", "process.Ext.code_signature { trusted is true }"]);
    }

    #[test]
    fn entries_are_written_as_in_kibanas_editor() {
        let hosts = Entry::written("host.name", "is not one of", " build-01, build-02 ,").expect("an entry");
        assert_eq!(hosts.to_string(), "host.name is not one of build-01, build-02");
        assert!(matches!(Entry::written("process.name", "is", "  "), Err(e) if e.contains("needs a value")));
        assert!(Entry::written(" ", "exists", "").is_err());
        let item = ExceptionItem {
            item_id: "x".into(),
            name: "x".into(),
            list_id: String::new(),
            // Lucene's wildcard syntax: a backslash escapes the next character.
            entries: vec![Entry::written("file.path", "matches", "C:\\\\Temp\\\\*").expect("entry"), hosts],
            os_types: vec![],
            expire_time: None,
        };
        assert!(item.matches(&json!({"file": {"path": "C:\\Temp\\a.exe"}, "host": {"name": "ws-1"}})));
        assert!(!item.matches(&json!({"file": {"path": "C:\\Temp\\a.exe"}, "host": {"name": "build-02"}})));
    }

    #[test]
    fn a_rule_applies_only_the_lists_it_names() {
        let other = r#"{"entries":[{"field":"a","operator":"included","type":"exists"}],"item_id":"o","list_id":"other-list","name":"other","type":"simple"}"#;
        let (items, _) = parse(&format!("{EXPORT}{other}\n"));
        assert_eq!(items.len(), 3);
        let mut rule: crate::Rule = serde_json::from_value(json!({"name": "R", "query": "process where true"})).expect("rule");
        assert_eq!(of_rule(items.clone(), Some(&rule)).len(), 3, "a rule without references takes the file as its list");
        rule.extra.insert("exceptions_list".into(), json!([{"id": "l1", "list_id": "admin-tools", "type": "detection", "namespace_type": "single"}]));
        let kept: Vec<String> = of_rule(items, Some(&rule)).into_iter().map(|i| i.item_id).collect();
        assert_eq!(kept, ["svchost-build", "temp-signed"]);
    }

    #[test]
    fn written_entries_under_one_nested_field_go_together() {
        let e = |f: &str, v: &str| Entry::written(f, "is", v).expect("entry");
        let item = written_item("p1", vec![
            (String::new(), e("file.path", "x")),
            ("process.Ext.code_signature".into(), e("trusted", "true")),
            ("process.Ext.code_signature".into(), e("subject_name", "Acme")),
        ]);
        assert_eq!(item.name, "file.path is x AND process.Ext.code_signature { trusted is true AND subject_name is Acme }");
        let signed = json!({"file": {"path": "x"}, "process": {"Ext": {"code_signature": [{"trusted": true, "subject_name": "Other"}, {"trusted": true, "subject_name": "Acme"}]}}});
        assert!(item.matches(&signed));
        let split = json!({"file": {"path": "x"}, "process": {"Ext": {"code_signature": [{"trusted": true, "subject_name": "Other"}, {"trusted": false, "subject_name": "Acme"}]}}});
        assert!(!item.matches(&split), "both entries hold within one object of the array");
        let (back, _) = parse(&item.to_json().to_string());
        assert_eq!(format!("{:?}", back[0].entries), format!("{:?}", item.entries));
    }

    #[test]
    fn bad_lines_are_named() {
        let (items, errors) = parse("{\"item_id\":\"a\",\"name\":\"a\",\"entries\":[{\"field\":\"x\",\"type\":\"regex\",\"value\":\"y\"}]}\nnot json\n{\"hello\":1}\n");
        assert!(items.is_empty());
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(errors[0].message.contains("unknown entry type `regex`"));
    }
}
