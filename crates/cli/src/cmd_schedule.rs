//! `eqlplay schedule`: a rule run the way Kibana's detection engine runs it — every `interval`,
//! over the window `[run − look-back, run]` on its `timestamp_override` (else `@timestamp`),
//! keeping the `max_signals` most recent results, never alerting twice on the same events — and
//! the results no run would alert on, with the reason. Sources:
//! `docs/research/kibana-eql-exceptions-and-schedule.md` (§3).

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use crate::query_source::{self, QuerySource};
use crate::{diag, Status};
use eql::compare::{Identity, Origin};
use eql::data::timestamp::{format_iso_millis, parse_iso};
use eql::output::{self, Inputs};
use eql::{InputFormat, Reader, ResultPosition, Settings};
use serde_json::{json, Value};
use std::collections::HashSet;

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

/// Runs simulated at most (a tiny interval over a long capture).
const MAX_RUNS: u64 = 100_000;
const NANOS: i64 = 1_000_000_000;

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
    let (interval, lookback) = (schedule.interval_secs as i64 * NANOS, schedule.lookback_secs as i64 * NANOS);
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
    // Each event's time on the window field, by (input, line).
    let times: Vec<Vec<Option<i64>>> = texts.iter().map(|t| t.lines().map(|l| window_time(l, window_field.as_deref())).collect()).collect();
    let all: Vec<i64> = times.iter().flatten().flatten().copied().collect();
    let (Some(&first), Some(&last)) = (all.iter().min(), all.iter().max()) else {
        return Err("error: no event has a time to schedule by".into());
    };
    let time_of = |o: &Origin| times.get(o.0 as usize).and_then(|t| t.get((o.1 as usize).checked_sub(1)?)).copied().flatten();

    let run_over = |plan: &eql::plan::Plan, from: i64, to: i64| -> Result<(eql::Dataset, Vec<eql::Match>), String> {
        let mut reader = Reader::new(plan.fields.clone());
        for (i, (text, t)) in texts.iter().zip(&times).enumerate() {
            // Events outside the window are blank lines: every other keeps its line number.
            let windowed: String = text
                .lines()
                .zip(t)
                .map(|(line, time)| if time.is_some_and(|x| x >= from && x <= to) { format!("{line}\n") } else { "\n".to_string() })
                .collect();
            reader.add(i as u32, &windowed, Some(InputFormat::Ndjson));
        }
        let data = reader.finish();
        let matches = eql::run(plan, &data).map_err(|e| diag::render(&query.label, &e, &query.text))?.matches;
        Ok((data, matches))
    };
    let inputs = Inputs { paths, texts: &texts, with_file: paths.len() > 1, with_source: false };
    let as_json = |data: &eql::Dataset, m: &eql::Match| -> Value {
        let mut line = Vec::new();
        let _ = output::write_matches(&mut line, std::slice::from_ref(m), data, &inputs);
        serde_json::from_slice(&line).unwrap_or(Value::Null)
    };

    let mut out = String::new();
    let mut alerted: HashSet<Identity> = HashSet::new();
    let mut seen_in_window: HashSet<Identity> = HashSet::new();
    let mut run_at = start.unwrap_or(first);
    let mut runs = 0;
    loop {
        let from = run_at - lookback;
        let (data, kept) = run_over(&plan_limited, from, run_at)?;
        let (_, all_here) = run_over(&plan, from, run_at)?;
        let (mut alerts, mut duplicates) = (Vec::new(), 0);
        for m in &kept {
            let id = Identity::of(&data, m);
            if alerted.insert(id) {
                alerts.push(as_json(&data, m));
            } else {
                duplicates += 1;
            }
        }
        for m in &all_here {
            seen_in_window.insert(Identity::of(&data, m));
        }
        let line = json!({
            "run_at": format_iso_millis(run_at),
            "window": [format_iso_millis(from), format_iso_millis(run_at)],
            "alerts": alerts,
            "suppressed_duplicates": duplicates,
            "cut_by_max_signals": all_here.len().saturating_sub(kept.len()),
        });
        out.push_str(&line.to_string());
        out.push('\n');
        runs += 1;
        if run_at >= last || runs >= MAX_RUNS {
            break;
        }
        run_at += interval;
    }

    // Over all the events, what no run alerted on.
    let (data, everything) = run_over(&plan, i64::MIN, i64::MAX)?;
    let mut never = Vec::new();
    for m in &everything {
        let id = Identity::of(&data, m);
        if alerted.contains(&id) {
            continue;
        }
        let span_times: Vec<i64> = id.events.iter().flatten().filter_map(|o| time_of(o)).collect();
        let span = span_times.iter().max().zip(span_times.iter().min()).map_or(0, |(a, b)| a - b);
        let reason = if span > lookback {
            format!("its events span {}, longer than the {} each run looks back ({})", seconds(span), seconds(lookback), schedule.from)
        } else if seen_in_window.contains(&id) {
            format!("cut by max_signals ({}) in every run whose window held it", rule.max_signals)
        } else {
            "no run's window held all its events (before the first run or after the last)".to_string()
        };
        let mut json = as_json(&data, m);
        if let Some(o) = json.as_object_mut() {
            o.insert("reason".into(), reason.into());
        }
        never.push(json);
    }
    out.push_str(&json!({ "never_alerted": never }).to_string());
    out.push('\n');
    Ok(out)
}

/// An event line's time on `field` (falling back to `@timestamp` when the event lacks it, as
/// Kibana's range filter does unless the fallback is disabled).
fn window_time(line: &str, field: Option<&str>) -> Option<i64> {
    let doc: Value = serde_json::from_str(line).ok()?;
    let read = |path: &str| rules::fields::values(&doc, path).first().and_then(|v| v.as_str()).and_then(parse_iso);
    field.and_then(read).or_else(|| read("@timestamp"))
}

fn seconds(nanos: i64) -> String {
    let s = nanos / NANOS;
    match s {
        s if s % 3600 == 0 && s > 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 && s > 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
