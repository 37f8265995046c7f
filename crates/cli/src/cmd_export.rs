//! `eqlplay export`: everything needed to reproduce a playground result on a real cluster —
//! the events as `_bulk` NDJSON into a data stream named after the rule's first index pattern,
//! an index template typing the fields the rule reads as ECS types them, the `_eql/search`
//! request body, and the rule (edited query, exceptions) as Kibana's rule import NDJSON.
//! See `docs/elasticsearch.md`.

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use crate::query_source::{self, QuerySource};
use crate::{diag, Status};
use eql::data::detect_format;
use eql::InputFormat;
use rules::Rule;
use serde_json::{json, Map, Value};

pub const HELP: &str = "\
Export what a real Elasticsearch cluster needs to reproduce a playground result.

Usage: eqlplay export bulk     --rule R [--index NAME] EVENTS...
       eqlplay export template --rule R [--index NAME] [--query-file Q]
       eqlplay export search   --rule R [--query-file Q] EVENTS...
       eqlplay export rule     --rule R [--query-file Q] [--exceptions FILE]

  bulk       the events as `_bulk` NDJSON: a `create` action and the event, per event, into
             NAME (default: the rule's first index pattern with its wildcard made
             `playground`: logs-endpoint.events.network-* → logs-endpoint.events.network-playground)
  template   a composable index template for NAME: a data stream, the fields the query reads
             mapped with their ECS types (keyword, ip, date, long, ...; others keyword), priority
             above the built-in logs-*-* template
  search     the `_eql/search` body: the query, a filter on the events' time range,
             timestamp_field, tiebreaker_field, event_category_field and size (max_signals)
  rule       the rule as Kibana's rule import NDJSON (Security → Rules → Import): the query
             from --query-file if given; with --exceptions, their items as an exception list
             the rule refers to, then the export summary line
Output goes to stdout. Exit status: 0 ok, 2 usage error or unreadable input.
";

/// The data stream name the playground's events go into when no --index is given.
const FALLBACK_INDEX: &str = "logs-eql.playground-default";

#[derive(Default)]
struct Options {
    rule: Option<String>,
    index: Option<String>,
    query_file: Option<String>,
    exceptions: Option<String>,
    events: Vec<String>,
}

pub fn run(mut args: Vec<String>) -> Result<Status, Usage> {
    if args.first().is_some_and(|a| a == "-h" || a == "--help") || args.is_empty() {
        crate::print_stdout(HELP);
        return Ok(if args.is_empty() { Status::Invalid } else { Status::Ok });
    }
    let what = args.remove(0);
    let mut o = Options::default();
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => o.events.push(path),
            Arg::Flag(f) => match f.as_str() {
                "--rule" => o.rule = Some(p.value(&f)?),
                "--index" => o.index = Some(p.value(&f)?),
                "--query-file" => o.query_file = Some(p.value(&f)?),
                "--exceptions" => o.exceptions = Some(p.value(&f)?),
                "-h" | "--help" => {
                    crate::print_stdout(HELP);
                    return Ok(Status::Ok);
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    let rule_path = o.rule.clone().ok_or_else(|| usage("--rule R is needed"))?;
    let needs_events = matches!(what.as_str(), "bulk" | "search");
    if needs_events && o.events.is_empty() {
        return Err(usage("no event files given (use - to read stdin)"));
    }
    let result = match what.as_str() {
        "bulk" => bulk(&o, &rule_path),
        "template" => template(&o, &rule_path),
        "search" => search(&o, &rule_path),
        "rule" => rule_import(&o, &rule_path),
        other => return Err(usage(format!("unknown export `{other}`: bulk, template, search or rule"))),
    };
    match result {
        Ok(text) => {
            crate::print_stdout(&text);
            Ok(Status::Ok)
        }
        Err(message) => {
            report!("{message}");
            Ok(Status::Invalid)
        }
    }
}

/// The rule, and the query to export (an edited one from --query-file, else the rule's).
fn load(o: &Options, rule_path: &str) -> Result<(Rule, String), String> {
    let loaded = query_source::load(QuerySource::Rule(rule_path.to_string()))?;
    let rule = loaded.rule.ok_or("not a rule")?;
    let query = match &o.query_file {
        Some(path) => query_source::load(QuerySource::File(path.clone()))?.text,
        None => rule.query.clone(),
    };
    let settings = rules::pack::settings(&rule);
    eql::compile_text(&query, &settings).map_err(|e| diag::render(rule_path, &e, &query))?;
    Ok((rule, query.trim().to_string()))
}

/// The data stream a rule's events go into: its first index pattern, the wildcard made
/// `playground` (a data stream name has no wildcard).
pub fn index_name(rule: &Rule, given: Option<&str>) -> String {
    if let Some(name) = given {
        return name.to_string();
    }
    match rule.index.first().map(|p| p.trim()) {
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

/// Every event of the inputs, as a JSON object, with where it came from.
fn events(paths: &[String]) -> Result<Vec<(String, u32, Map<String, Value>)>, String> {
    let mut out = Vec::new();
    for path in paths {
        let text = input::read_events(path)?;
        let name = display_name(path).to_string();
        let docs: Vec<(u32, Value)> = match detect_format(&text) {
            InputFormat::Ndjson => text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| serde_json::from_str(l).map(|v| (i as u32 + 1, v)).map_err(|e| format!("{name}:{}: {e}", i + 1)))
                .collect::<Result<_, _>>()?,
            _ => match serde_json::from_str::<Value>(&text).map_err(|e| format!("{name}: {e}"))? {
                Value::Array(items) => items.into_iter().enumerate().map(|(i, v)| (i as u32 + 1, v)).collect(),
                Value::Object(response) => response
                    .get("hits")
                    .and_then(|h| h.get("hits"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .filter_map(|(i, hit)| Some((i as u32 + 1, hit.get("_source")?.clone())))
                    .collect(),
                _ => return Err(format!("{name}: error: not events")),
            },
        };
        for (line, doc) in docs {
            match doc {
                Value::Object(map) => out.push((name.clone(), line, map)),
                _ => return Err(format!("{name}:{line}: error: an event is a JSON object")),
            }
        }
    }
    Ok(out)
}

fn bulk(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, _) = load(o, rule_path)?;
    let index = index_name(&rule, o.index.as_deref());
    let mut out = String::new();
    let mut untimed = 0;
    for (name, line, doc) in events(&o.events)? {
        if !doc.contains_key("@timestamp") && rules::fields::values(&Value::Object(doc.clone()), "@timestamp").is_empty() {
            report!("{name}:{line}: warning: no @timestamp: a data stream refuses this event");
            untimed += 1;
        }
        out.push_str(&json!({ "create": { "_index": index } }).to_string());
        out.push('\n');
        out.push_str(&Value::Object(doc).to_string());
        out.push('\n');
    }
    if untimed > 0 {
        report!("{untimed} events without @timestamp");
    }
    Ok(out)
}

/// ECS 9.4's type of each field (`web/ecs/fields.tsv`).
fn ecs_type(path: &str) -> Option<&'static str> {
    const ECS: &str = include_str!("../../../web/ecs/fields.tsv");
    ECS.lines().find_map(|l| {
        let mut parts = l.split('\t');
        (parts.next()? == path).then_some(())?;
        parts.next()
    })
}

/// A mapping type Elasticsearch accepts for a field of this ECS type.
fn mapping_type(ecs: Option<&str>) -> &'static str {
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
        // keyword, flattened and anything the table does not know.
        _ => "keyword",
    }
}

fn template(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, query) = load(o, rule_path)?;
    let index = index_name(&rule, o.index.as_deref());
    let plan = eql::compile_text(&query, &rules::pack::settings(&rule)).map_err(|e| diag::render(rule_path, &e, &query))?;
    let mut paths: Vec<String> = (0..plan.fields.len()).map(|i| plan.fields.get(eql::data::FieldId(i as u32)).path.clone()).collect();
    paths.extend(["@timestamp".to_string(), "event.category".to_string()]);
    if let Some(t) = rule.timestamp_override.as_deref().filter(|t| !t.trim().is_empty()) {
        paths.push(t.trim().to_string());
    }
    paths.sort();
    paths.dedup();
    let mut properties = Map::new();
    for path in &paths {
        insert_property(&mut properties, path, mapping_type(ecs_type(path)));
    }
    let body = json!({
        "index_patterns": [index],
        "data_stream": {},
        // Above the built-in `logs-*-*` template (priority 100), so this one applies.
        "priority": 500,
        "template": { "mappings": { "properties": properties } },
        "_meta": { "description": format!("EQL Playground: the fields `{}` reads, typed as ECS types them", rule.name) }
    });
    serde_json::to_string_pretty(&body).map(|t| t + "\n").map_err(|e| e.to_string())
}

/// Puts `path` (dotted) into nested `properties` with `ty`. A field that is also a parent of
/// another (rare in ECS) stays an object.
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
        let object = match entry.as_object_mut() {
            Some(o) => o,
            None => return,
        };
        if !object.contains_key("properties") {
            // A leaf that is also a parent: make it an object holding its children.
            object.clear();
            object.insert("properties".into(), json!({}));
        }
        node = match object.get_mut("properties").and_then(Value::as_object_mut) {
            Some(n) => n,
            None => return,
        };
    }
}

fn search(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, query) = load(o, rule_path)?;
    let settings = rules::pack::settings(&rule);
    let times: Vec<i64> = events(&o.events)?
        .into_iter()
        .filter_map(|(_, _, doc)| {
            let doc = Value::Object(doc);
            rules::fields::values(&doc, &settings.timestamp_field).first().and_then(|v| v.as_str()).and_then(eql::data::timestamp::parse_iso)
        })
        .collect();
    let mut body = json!({ "query": query });
    if let (Some(from), Some(to)) = (times.iter().min(), times.iter().max()) {
        body["filter"] = json!({ "range": { settings.timestamp_field.clone(): {
            "gte": eql::data::timestamp::format_iso_millis(*from),
            "lte": eql::data::timestamp::format_iso_millis(*to),
            "format": "strict_date_optional_time"
        } } });
    }
    body["timestamp_field"] = settings.timestamp_field.clone().into();
    if let Some(t) = &settings.tiebreaker_field {
        body["tiebreaker_field"] = t.clone().into();
    }
    body["event_category_field"] = settings.event_category_field.clone().into();
    body["size"] = rule.max_signals.into();
    serde_json::to_string_pretty(&body).map(|t| t + "\n").map_err(|e| e.to_string())
}

fn rule_import(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, query) = load(o, rule_path)?;
    let mut object = rules::export::kibana_rule(&rule, &query);
    let mut lines = Vec::new();
    let mut items = Vec::new();
    if let Some(path) = &o.exceptions {
        let text = input::read_reporting(path)?;
        let (read, errors) = rules::exceptions::parse(&text);
        if let Some(e) = errors.first() {
            return Err(format!("{}: error: {e}", display_name(path)));
        }
        items = rules::exceptions::of_rule(read, Some(&rule));
    }
    let list_id = format!("{}-exceptions", object.get("rule_id").and_then(Value::as_str).unwrap_or("eql-playground"));
    if !items.is_empty() {
        object.insert(
            "exceptions_list".into(),
            json!([{ "id": list_id, "list_id": list_id, "type": "detection", "namespace_type": "single" }]),
        );
    }
    lines.push(Value::Object(object));
    if !items.is_empty() {
        lines.push(json!({
            "id": list_id, "list_id": list_id, "name": format!("{} exceptions", rule.name),
            "description": "Exported from the EQL Playground", "type": "detection", "namespace_type": "single",
            "os_types": [], "tags": []
        }));
        for item in &items {
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
    Ok(lines.into_iter().map(|l| l.to_string() + "\n").collect())
}
