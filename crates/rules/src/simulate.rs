//! A rule run the way Kibana's detection engine runs it — every `interval`, over the window
//! `[run − look-back, run]` on its `timestamp_override` (else `@timestamp`), keeping the
//! `max_signals` most recent results, never alerting twice on the same events — and the results
//! no run would alert on, with the reason. `eqlplay schedule` and the page's timeline both run
//! this. Sources: `docs/research/kibana-eql-exceptions-and-schedule.md` (§3).

use crate::fields::values;
use crate::Schedule;
use eql::compare::{Identity, Origin};
use eql::data::timestamp::parse_iso;
use eql::{Dataset, InputFormat, Match, Plan, Reader};
use serde_json::Value;
use std::collections::HashSet;

/// Runs simulated at most (a tiny interval over a long capture).
pub const MAX_RUNS: usize = 100_000;
pub const NANOS: i64 = 1_000_000_000;

/// The rule as the schedule runs it.
pub struct Scheduled<'a> {
    /// The query with no `size`: every result a window holds.
    pub plan: &'a Plan,
    /// The query as Kibana sends it: `size` = `max_signals`, the most recent results (applied
    /// to `plan`'s results, which is the same as running it).
    pub limited: &'a Plan,
    pub schedule: &'a Schedule,
    pub max_signals: u32,
    /// `timestamp_override`, if the rule has one.
    pub window_field: Option<&'a str>,
    /// The first run (nanoseconds since the epoch); `None`: at the first event's time.
    pub start: Option<i64>,
}

/// One scheduled run; results are `T`, whatever the caller shapes them into.
pub struct Run<T> {
    pub run_at: i64,
    /// The window's start (its end is `run_at`).
    pub from: i64,
    pub alerts: Vec<T>,
    /// Results this run found that an earlier run had alerted on.
    pub suppressed_duplicates: usize,
    /// Results in the window beyond the `max_signals` most recent.
    pub cut_by_max_signals: usize,
}

/// Why no run alerted on a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missed {
    /// Its events span `span` nanoseconds, more than the look-back: no window holds them all.
    LongerThanLookback { span: i64 },
    /// Every run whose window held it kept `max_signals` more recent results.
    CutByMaxSignals,
    /// Before the first run's window or after the last run.
    OutsideEveryWindow,
}

impl Missed {
    /// In words, as `eqlplay schedule` prints it.
    pub fn describe(&self, schedule: &Schedule, max_signals: u32) -> String {
        match self {
            Missed::LongerThanLookback { span } => format!(
                "its events span {}, longer than the {} each run looks back ({})",
                seconds(*span),
                seconds(schedule.lookback_secs as i64 * NANOS),
                schedule.from
            ),
            Missed::CutByMaxSignals => format!("cut by max_signals ({max_signals}) in every run whose window held it"),
            Missed::OutsideEveryWindow => "no run's window held all its events (before the first run or after the last)".into(),
        }
    }
}

pub struct Simulation<T> {
    pub runs: Vec<Run<T>>,
    /// Over all the events, the results no run alerted on.
    pub never: Vec<(T, Missed)>,
    /// The events' time range on the window field.
    pub first: i64,
    pub last: i64,
}

/// Runs `rule` on its schedule over NDJSON `texts` (input `i` is `texts[i]`); `shape` turns a
/// result — with the dataset it was read into, and its earliest and latest event times on the
/// window field — into what the caller keeps.
pub fn simulate<T>(rule: &Scheduled, texts: &[&str], shape: impl Fn(&Dataset, &Match, (i64, i64)) -> T) -> Result<Simulation<T>, String> {
    let interval = (rule.schedule.interval_secs as i64 * NANOS).max(1);
    let lookback = rule.schedule.lookback_secs as i64 * NANOS;
    // Each line's byte range and its time on the window field, per input.
    let lines: Vec<Vec<(usize, usize, Option<i64>)>> = texts
        .iter()
        .map(|t| {
            let mut at = 0;
            t.split_inclusive('\n')
                .map(|l| {
                    let start = at;
                    at += l.len();
                    (start, at, window_time(l.trim_end(), rule.window_field))
                })
                .collect()
        })
        .collect();
    // Every timed event, (time, input, line index), in time order: a window is a slice of it.
    let mut timed: Vec<(i64, usize, usize)> =
        lines.iter().enumerate().flat_map(|(i, ls)| ls.iter().enumerate().filter_map(move |(n, l)| Some((l.2?, i, n)))).collect();
    timed.sort_unstable();
    let (Some(&(first, ..)), Some(&(last, ..))) = (timed.first(), timed.last()) else {
        return Err("no event has a time to schedule by".into());
    };
    let time_of = |o: &Origin| lines.get(o.0 as usize).and_then(|t| t.get((o.1 as usize).checked_sub(1)?)).and_then(|l| l.2);
    let span = |id: &Identity| {
        let t: Vec<i64> = id.events.iter().flatten().filter_map(|o| time_of(o)).collect();
        (t.iter().min().copied().unwrap_or(0), t.iter().max().copied().unwrap_or(0))
    };
    // Every result of the query over the events in [from, to]: those events at their lines,
    // the others blank (so every event keeps its line number).
    let run_over = |from: i64, to: i64| -> Result<(Dataset, Vec<Match>), String> {
        let window = &timed[timed.partition_point(|e| e.0 < from)..timed.partition_point(|e| e.0 <= to)];
        let mut reader = Reader::new(rule.plan.fields.clone());
        for (i, (text, ls)) in texts.iter().zip(&lines).enumerate() {
            let mut keep: Vec<usize> = window.iter().filter(|e| e.1 == i).map(|e| e.2).collect();
            keep.sort_unstable();
            let mut windowed = String::new();
            let mut next = 0;
            for n in keep {
                windowed.extend(std::iter::repeat_n('\n', n - next));
                let (start, end, _) = ls[n];
                windowed.push_str(text[start..end].trim_end_matches(['\r', '\n']));
                windowed.push('\n');
                next = n + 1;
            }
            reader.add(i as u32, &windowed, Some(InputFormat::Ndjson));
        }
        let data = reader.finish();
        let matches = eql::run(rule.plan, &data).map_err(|e| format!("{e:?}"))?.matches;
        Ok((data, matches))
    };

    let mut runs = Vec::new();
    let mut alerted: HashSet<Identity> = HashSet::new();
    let mut seen_in_window: HashSet<Identity> = HashSet::new();
    let mut run_at = rule.start.unwrap_or(first);
    loop {
        let from = run_at - lookback;
        let mut run = Run { run_at, from, alerts: Vec::new(), suppressed_duplicates: 0, cut_by_max_signals: 0 };
        // A window without events finds nothing: no need to read them.
        if timed.get(timed.partition_point(|e| e.0 < from)).is_some_and(|e| e.0 <= run_at) {
            let (data, all_here) = run_over(from, run_at)?;
            // What Kibana's request keeps: `size` = max_signals, the most recent.
            let kept = eql::engine::limit(all_here.clone(), rule.limited);
            for m in &kept {
                let id = Identity::of(&data, m);
                let times = span(&id);
                if alerted.insert(id) {
                    run.alerts.push(shape(&data, m, times));
                } else {
                    run.suppressed_duplicates += 1;
                }
            }
            seen_in_window.extend(all_here.iter().map(|m| Identity::of(&data, m)));
            run.cut_by_max_signals = all_here.len().saturating_sub(kept.len());
        }
        runs.push(run);
        if run_at >= last || runs.len() >= MAX_RUNS {
            break;
        }
        run_at += interval;
    }

    let (data, everything) = run_over(i64::MIN, i64::MAX)?;
    let mut never = Vec::new();
    for m in &everything {
        let id = Identity::of(&data, m);
        if alerted.contains(&id) {
            continue;
        }
        let times = span(&id);
        let missed = if times.1 - times.0 > lookback {
            Missed::LongerThanLookback { span: times.1 - times.0 }
        } else if seen_in_window.contains(&id) {
            Missed::CutByMaxSignals
        } else {
            Missed::OutsideEveryWindow
        };
        never.push((shape(&data, m, times), missed));
    }
    Ok(Simulation { runs, never, first, last })
}

/// An event line's time on `field` (falling back to `@timestamp` when the event lacks it, as
/// Kibana's range filter does unless the fallback is disabled).
fn window_time(line: &str, field: Option<&str>) -> Option<i64> {
    let doc: Value = serde_json::from_str(line).ok()?;
    let read = |path: &str| values(&doc, path).first().and_then(|v| v.as_str()).and_then(parse_iso);
    field.and_then(read).or_else(|| read("@timestamp"))
}

/// A span in the largest unit that divides it: `540 s` → `9m`.
pub fn seconds(nanos: i64) -> String {
    let s = nanos / NANOS;
    match s {
        s if s % 3600 == 0 && s > 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 && s > 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
