//! `eqlplay schedule`: a rule run the way Kibana's detection engine runs it — every `interval`,
//! over the window `[run − look-back, run]` on its `timestamp_override` (else `@timestamp`),
//! keeping the `max_signals` most recent results, never alerting twice on the same events — and
//! the results no run would alert on, with the reason (`rules::simulate`, which the page's
//! timeline runs too). Sources: `docs/research/kibana-eql-exceptions-and-schedule.md` (§3).

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use crate::query_source::{self, QuerySource};
use crate::{diag, Status};
use eql::data::timestamp::{format_iso_millis, parse_iso};
use eql::output::{self, Inputs};
use eql::{InputFormat, ResultPosition, Settings};
use rules::simulate::{simulate, Scheduled};
use serde_json::{json, Value};

pub const HELP: &str = "\
Run a rule on Kibana's schedule over events: what each run would alert on, and which results no
run would ever alert on, and why.

Usage: eqlplay schedule --rule RULE [--start TIME] EVENTS...

  --rule RULE     a rule file; its interval, from, max_signals and timestamp_override are used
  --start TIME    the first run (RFC 3339); default: the first event's time, so the first
                  run's window ends at the first event
EVENTS are NDJSON files (or Windows logs, converted).

Each run looks at the events whose timestamp_override (else @timestamp) lies in
[run − look-back, run], both ends included, and keeps the max_signals most recent results, as
Kibana's request (size max_signals, Elasticsearch's default tail) does. A result alerted on by an
earlier run is not alerted on again (Kibana's alert ids come from the events). Runs go on every
interval until one has passed the last event.

Output: one JSON line per run
  {\"run_at\",\"window\":[from,to],\"alerts\":[results as `eqlplay match` prints them],
   \"suppressed_duplicates\":N,\"cut_by_max_signals\":N}
and last {\"never_alerted\":[results, each with \"reason\"]}: over all the events, the results no
run alerted on — a sequence whose events span more than the look-back, results cut by
max_signals in every run that saw them, or results outside every run's window.
The playground cannot know ingest delay: it takes every event as indexed when it happened.
Exit status: 0 ok, 2 usage error, invalid rule or unreadable file.
";

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let (mut rule, mut start, mut events) = (None, None, Vec::new());
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => events.push(path),
            Arg::Flag(f) => match f.as_str() {
                "--rule" => rule = Some(p.value(&f)?),
                "--start" => {
                    let text = p.value(&f)?;
                    start = Some(parse_iso(&text).ok_or_else(|| usage(format!("--start: `{text}` is not an RFC 3339 time")))?);
                }
                "-h" | "--help" => {
                    crate::print_stdout(HELP);
                    return Ok(Status::Ok);
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    let rule = rule.ok_or_else(|| usage("--rule RULE is needed"))?;
    if events.is_empty() {
        return Err(usage("no event files given (use - to read stdin)"));
    }
    match execute(&rule, start, &events) {
        Ok(out) => {
            crate::print_stdout(&out);
            Ok(Status::Ok)
        }
        Err(message) => {
            report!("{message}");
            Ok(Status::Invalid)
        }
    }
}

fn execute(rule_path: &str, start: Option<i64>, paths: &[String]) -> Result<String, String> {
    let query = query_source::load(QuerySource::Rule(rule_path.to_string()))?;
    let rule = query.rule.clone().ok_or("not a rule")?;
    let schedule = rules::Schedule::new(rule.interval.as_deref(), rule.from.as_deref())
        .ok_or_else(|| format!("{}: error: cannot read interval {:?} / from {:?}", display_name(rule_path), rule.interval, rule.from))?;
    let window_field = rule.timestamp_override.clone().filter(|f| !f.trim().is_empty());
    let (tiebreaker_field, event_category_field) = query.fields(None, None);
    let settings = Settings { tiebreaker_field, event_category_field, ..Settings::default() };
    let mut limited = settings.clone();
    limited.size = Some(rule.max_signals as usize);
    limited.result_position = ResultPosition::Tail;
    let plan = eql::compile_text(&query.text, &settings).map_err(|e| diag::render(&query.label, &e, &query.text))?;
    let plan_limited = eql::compile_text(&query.text, &limited).map_err(|e| diag::render(&query.label, &e, &query.text))?;

    let mut texts = Vec::new();
    for path in paths {
        let text = input::read_events(path)?;
        if eql::data::detect_format(&text) != InputFormat::Ndjson {
            return Err(format!("{}: error: schedule reads NDJSON events (and converted Windows logs)", display_name(path)));
        }
        texts.push(text);
    }
    let inputs = Inputs { paths, texts: &texts, with_file: paths.len() > 1, with_source: false };
    let as_json = |data: &eql::Dataset, m: &eql::Match, _: (i64, i64)| -> Value {
        let mut line = Vec::new();
        let _ = output::write_matches(&mut line, std::slice::from_ref(m), data, &inputs);
        serde_json::from_slice(&line).unwrap_or(Value::Null)
    };
    let scheduled = Scheduled {
        plan: &plan,
        limited: &plan_limited,
        schedule: &schedule,
        max_signals: rule.max_signals,
        window_field: window_field.as_deref(),
        start,
    };
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let simulation = simulate(&scheduled, &texts, as_json).map_err(|e| format!("error: {e}"))?;
    let mut out = String::new();
    for run in simulation.runs {
        let line = json!({
            "run_at": format_iso_millis(run.run_at),
            "window": [format_iso_millis(run.from), format_iso_millis(run.run_at)],
            "alerts": run.alerts,
            "suppressed_duplicates": run.suppressed_duplicates,
            "cut_by_max_signals": run.cut_by_max_signals,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    let never: Vec<Value> = simulation
        .never
        .into_iter()
        .map(|(mut json, missed)| {
            if let Some(o) = json.as_object_mut() {
                o.insert("reason".into(), missed.describe(&schedule, rule.max_signals).into());
            }
            json
        })
        .collect();
    out.push_str(&json!({ "never_alerted": never }).to_string());
    out.push('\n');
    Ok(out)
}
