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
use serde_json::{Map, Value};

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
    let index = o.index.clone().unwrap_or_else(|| rules::export::index_name(Some(&rule)));
    let mut out = String::new();
    for (name, line, doc) in events(&o.events)? {
        let event = serde_json::Value::Object(doc).to_string();
        let (text, refused) = rules::export::bulk(&index, std::iter::once(event.as_str()));
        if !refused.is_empty() {
            report!("{name}:{line}: warning: no @timestamp: a data stream refuses this event");
        }
        out.push_str(&text);
    }
    Ok(out)
}

/// ECS 9.4's type of each field (`web/ecs/fields.tsv`, which the page fetches for the same).
/// ECS's field table, as the page fetches it.
const ECS_FIELDS: &str = include_str!("../../../web/ecs/fields.tsv");

fn template(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, query) = load(o, rule_path)?;
    let index = o.index.clone().unwrap_or_else(|| rules::export::index_name(Some(&rule)));
    let plan = eql::compile_text(&query, &rules::pack::settings(&rule)).map_err(|e| diag::render(rule_path, &e, &query))?;
    let paths: Vec<String> = (0..plan.fields.len()).map(|i| plan.fields.get(eql::data::FieldId(i as u32)).path.clone()).collect();
    let body = rules::export::template(Some(&rule), &index, &paths, &|p| rules::export::ecs_type(ECS_FIELDS, p).map(String::from));
    serde_json::to_string_pretty(&body).map(|t| t + "\n").map_err(|e| e.to_string())
}

fn search(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, query) = load(o, rule_path)?;
    let settings = rules::pack::settings(&rule);
    let lines: Vec<String> = events(&o.events)?.into_iter().map(|(_, _, doc)| serde_json::Value::Object(doc).to_string()).collect();
    let range = rules::export::time_range(lines.iter().map(String::as_str), &settings.timestamp_field);
    let body = rules::export::search(&query, &settings, rule.max_signals, range);
    serde_json::to_string_pretty(&body).map(|t| t + "\n").map_err(|e| e.to_string())
}

fn rule_import(o: &Options, rule_path: &str) -> Result<String, String> {
    let (rule, query) = load(o, rule_path)?;
    let mut items = Vec::new();
    if let Some(path) = &o.exceptions {
        let text = input::read_reporting(path)?;
        let (read, errors) = rules::exceptions::parse(&text);
        if let Some(e) = errors.first() {
            return Err(format!("{}: error: {e}", display_name(path)));
        }
        items = rules::exceptions::of_rule(read, Some(&rule));
    }
    Ok(rules::export::rule_import(&rule, &query, &items))
}
