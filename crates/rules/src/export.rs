//! What a real Elasticsearch cluster needs to reproduce a playground result — one builder per
//! format, for `eqlplay export` and the page alike (`docs/elasticsearch.md`; the formats'
//! sources in `docs/research/elasticsearch-export-formats.md`):
//! - the events as `_bulk` NDJSON (`create` into a data stream named after the rule's index);
//! - an index template typing the fields the query reads as ECS types them;
//! - the `_eql/search` body;
//! - the rule as Kibana's rule import takes it (Security → Rules → Import): the model's own
//!   fields under Kibana's names, the query given (an edited one, say), the investigation guide
//!   with detection-rules' `$osquery_N` / `$investigate_N` placeholders written inline as
//!   Kibana's `!{osquery{…}}` / `!{investigate{…}}` (as detection-rules does when it builds a
//!   Kibana rule), what Kibana requires filled in, and its exception list.

use crate::exceptions::ExceptionItem;
use crate::Rule;
use serde_json::{json, Map, Value};

/// The data stream the playground's events go into when the rule names no index.
pub const FALLBACK_INDEX: &str = "logs-eql.playground-default";

/// The data stream a rule's events go into: its first index pattern, the wildcard made
/// `playground` (a data stream name has no wildcard).
pub fn index_name(rule: Option<&Rule>) -> String {
    match rule.and_then(|r| r.index.first()).map(|p| p.trim()) {
        Some(p) if !p.is_empty() => {
            let stem = p.trim_end_matches('*').trim_end_matches('-');
            match stem.is_empty() || stem.contains('*') {
                true => FALLBACK_INDEX.to_string(),
                false => format!("{stem}-playground"),
            }
        }
        _ => FALLBACK_INDEX.to_string(),
    }
}

/// `_bulk` NDJSON: a `create` action into `index` and the event, for each event (a JSON object;
/// a data stream takes only `create`). Lines that are no JSON object are skipped; returns the
/// text and the 1-based lines skipped or lacking `@timestamp` (a data stream refuses those).
/// Each event is its line as given, not re-serialized: the cluster gets the user's bytes, and
/// the page and the CLI write the same file whatever serde_json's key order.
pub fn bulk<'a>(index: &str, events: impl Iterator<Item = &'a str>) -> (String, Vec<usize>) {
    let action = json!({ "create": { "_index": index } }).to_string();
    let (mut out, mut refused) = (String::new(), Vec::new());
    for (n, line) in events.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = line.trim();
        let doc = match serde_json::from_str::<Value>(line) {
            Ok(doc @ Value::Object(_)) => doc,
            _ => {
                refused.push(n + 1);
                continue;
            }
        };
        if crate::fields::values(&doc, "@timestamp").is_empty() {
            refused.push(n + 1);
        }
        out.push_str(&action);
        out.push('\n');
        out.push_str(line);
        out.push('\n');
    }
    (out, refused)
}

/// A mapping type Elasticsearch accepts for a field of this ECS type (keyword for the rest).
pub fn mapping_type(ecs: Option<&str>) -> &'static str {
    match ecs {
        Some("date") => "date",
        Some("ip") => "ip",
        Some("long") => "long",
        Some("integer") => "integer",
        Some("short") => "short",
        Some("byte") => "byte",
        Some("float") | Some("half_float") => "float",
        Some("scaled_float") | Some("double") => "double",
        Some("boolean") => "boolean",
        Some("wildcard") => "wildcard",
        Some("match_only_text") | Some("text") => "match_only_text",
        Some("geo_point") => "geo_point",
        Some("unsigned_long") => "unsigned_long",
        Some("constant_keyword") => "constant_keyword",
        _ => "keyword",
    }
}

/// A field's type in ECS's field table (`web/ecs/fields.tsv`: path, type, description, one
/// field per line, tab-separated).
pub fn ecs_type<'a>(table: &'a str, path: &str) -> Option<&'a str> {
    table.lines().find_map(|l| {
        let mut parts = l.split('\t');
        (parts.next()? == path).then_some(())?;
        parts.next()
    })
}

/// A composable index template for the data stream `index`: `paths` (the fields the query
/// reads) mapped by `ecs_type`, plus `@timestamp`, the category field and `timestamp_override`.
pub fn template(rule: Option<&Rule>, index: &str, paths: &[String], ecs_type: &dyn Fn(&str) -> Option<String>) -> Value {
    let settings = rule.map(crate::pack::settings).unwrap_or_default();
    let mut all: Vec<String> = paths.to_vec();
    all.extend([settings.timestamp_field.clone(), settings.event_category_field.clone()]);
    if let Some(t) = rule.and_then(|r| r.timestamp_override.as_deref()).map(str::trim).filter(|t| !t.is_empty()) {
        all.push(t.to_string());
    }
    all.sort();
    all.dedup();
    let mut properties = Map::new();
    for path in &all {
        let ty = if path == "@timestamp" { "date" } else { mapping_type(ecs_type(path).as_deref()) };
        insert_property(&mut properties, path, ty);
    }
    let name = rule.map_or("the query", |r| r.name.as_str());
    json!({
        "index_patterns": [index],
        "data_stream": {},
        // Above the built-in `logs-*-*` template (100) and Fleet's integration templates (≤ 200).
        "priority": 500,
        "template": { "mappings": { "properties": properties } },
        "_meta": { "description": format!("EQL Playground: the fields {name} reads, typed as ECS types them") }
    })
}

/// Puts `path` (dotted) into nested `properties` with `ty`. A field that is also a parent of
/// another (rare in ECS) becomes an object holding its children.
fn insert_property(properties: &mut Map<String, Value>, path: &str, ty: &str) {
    let mut node = properties;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let entry = node.entry(part.to_string()).or_insert_with(|| match last {
            true => json!({ "type": ty }),
            false => json!({ "properties": {} }),
        });
        if last {
            return;
        }
        let Some(object) = entry.as_object_mut() else { return };
        if !object.contains_key("properties") {
            object.clear();
            object.insert("properties".into(), json!({}));
        }
        let Some(next) = object.get_mut("properties").and_then(Value::as_object_mut) else { return };
        node = next;
    }
}

/// The `_eql/search` body: the query, a filter on the events' time range (nanoseconds, both
/// ends included), the settings' fields, and `size` (a rule's `max_signals`).
pub fn search(query: &str, settings: &eql::Settings, size: u32, range: Option<(i64, i64)>) -> Value {
    let mut body = json!({ "query": query.trim() });
    if let Some((from, to)) = range {
        let at = eql::data::timestamp::format_iso_millis;
        body["filter"] = json!({ "range": { settings.timestamp_field.clone(): {
            "gte": at(from), "lte": at(to), "format": "strict_date_optional_time"
        } } });
    }
    body["timestamp_field"] = settings.timestamp_field.clone().into();
    if let Some(t) = &settings.tiebreaker_field {
        body["tiebreaker_field"] = t.clone().into();
    }
    body["event_category_field"] = settings.event_category_field.clone().into();
    body["size"] = size.into();
    body
}

/// The events' time range on `field` (NDJSON lines), for [`search`]'s filter.
pub fn time_range<'a>(events: impl Iterator<Item = &'a str>, field: &str) -> Option<(i64, i64)> {
    let times: Vec<i64> = events
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|doc| crate::fields::values(&doc, field).first().and_then(|v| v.as_str()).and_then(eql::data::timestamp::parse_iso))
        .collect();
    Some((*times.iter().min()?, *times.iter().max()?))
}

/// The rule as Kibana's rule import NDJSON: the rule; with `items`, an exception list it refers
/// to and the items; then the export summary line.
pub fn rule_import(rule: &Rule, query: &str, items: &[ExceptionItem]) -> String {
    let mut object = kibana_rule(rule, query);
    let list_id = format!("{}-exceptions", object.get("rule_id").and_then(Value::as_str).unwrap_or("eql-playground"));
    if !items.is_empty() {
        object.insert("exceptions_list".into(), json!([{ "id": list_id, "list_id": list_id, "type": "detection", "namespace_type": "single" }]));
    }
    let mut lines = vec![Value::Object(object)];
    if !items.is_empty() {
        lines.push(json!({
            "id": list_id, "list_id": list_id, "name": format!("{} exceptions", rule.name),
            "description": "Exported from the EQL Playground", "type": "detection", "namespace_type": "single",
            "os_types": [], "tags": []
        }));
        for item in items {
            let mut v = item.to_json();
            v["list_id"] = list_id.clone().into();
            lines.push(v);
        }
    }
    lines.push(json!({
        "exported_count": lines.len(),
        "exported_rules_count": 1,
        "missing_rules": [],
        "missing_rules_count": 0,
        "exported_exception_list_count": usize::from(!items.is_empty()),
        "exported_exception_list_item_count": items.len(),
        "missing_exception_list_item_count": 0,
        "missing_exception_list_items": [],
        "missing_exception_lists": [],
        "missing_exception_lists_count": 0,
        "exported_action_connector_count": 0,
        "missing_action_connection_count": 0,
        "missing_action_connections": [],
        "excluded_action_connection_count": 0,
        "excluded_action_connections": []
    }));
    lines.into_iter().map(|l| l.to_string() + "\n").collect()
}

pub fn kibana_rule(rule: &Rule, query: &str) -> Map<String, Value> {
    let mut object = match serde_json::to_value(rule) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    };
    // The playground's own: translations, detection-rules' tables, the derived schedule.
    for ours in ["note_i18n", "metadata", "transform", "schedule"] {
        object.remove(ours);
    }
    if let Some(note) = &rule.note {
        object.insert("note".into(), inline_placeholders(note, rule).into());
    }
    object.insert("query".into(), query.trim().into());
    object.insert("type".into(), "eql".into());
    object.insert("language".into(), "eql".into());
    let id = rule.rule_id.clone().unwrap_or_else(|| format!("eql-playground-{:016x}", fnv(&rule.name)));
    object.insert("rule_id".into(), id.into());
    object.entry("risk_score").or_insert(json!(21));
    object.entry("severity").or_insert(json!("low"));
    if rule.description.trim().is_empty() {
        object.insert("description".into(), format!("{} (exported from the EQL Playground)", rule.name).into());
    }
    object.entry("enabled").or_insert(json!(false));
    object.entry("from").or_insert(json!(crate::schedule::DEFAULT_FROM));
    object.entry("interval").or_insert(json!(crate::schedule::DEFAULT_INTERVAL));
    object.insert("max_signals".into(), rule.max_signals.into());
    // Older Kibana import schemas require it; newer ones default custom rules to 1.
    object.entry("version").or_insert(json!(1));
    object
}

/// `$osquery_N` and `$investigate_N` replaced by Kibana's inline form of the transform entry.
fn inline_placeholders(note: &str, rule: &Rule) -> String {
    let mut out = String::with_capacity(note.len());
    let mut rest = note;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let entry = [("$osquery_", "osquery"), ("$investigate_", "investigate")].iter().find_map(|(prefix, kind)| {
            let digits: String = tail.strip_prefix(prefix)?.chars().take_while(char::is_ascii_digit).collect();
            let n: usize = digits.parse().ok()?;
            let block = match *kind {
                "osquery" => serde_json::to_value(rule.transform.osquery.get(n)?).ok()?,
                _ => serde_json::to_value(rule.transform.investigate.get(n)?).ok()?,
            };
            Some((prefix.len() + digits.len(), format!("!{{{kind}{block}}}")))
        });
        match entry {
            Some((len, inline)) => {
                out.push_str(&inline);
                rest = &tail[len..];
            }
            None => {
                out.push('$');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A stable id for a rule without one (FNV-1a of its name).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(all(test, feature = "read"))]
mod tests {
    use super::*;

    #[test]
    fn the_seed_rule_goes_out_with_its_osquery_steps_inline_and_comes_back_the_same() {
        let seed = crate::seed_rule().expect("seed");
        let out = kibana_rule(&seed, &seed.query);
        let note = out["note"].as_str().expect("note");
        assert!(!note.contains("$osquery_") && note.contains("!{osquery{\"label\":"), "{note}");
        let back = crate::load_rule(&Value::Object(out).to_string()).expect("loads back");
        assert_eq!((back.name.as_str(), back.query.trim(), back.rule_id.as_deref()), (seed.name.as_str(), seed.query.trim(), seed.rule_id.as_deref()));
        let steps = |r: &Rule| crate::build_checklist(r, None).map(|c| format!("{:?}", c.sections)).unwrap_or_default();
        assert_eq!(steps(&back), steps(&seed), "the checklist, osquery steps included, is the same");
    }
}
