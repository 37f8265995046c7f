//! The worker's state: the event text, the dataset read for the current query's fields, the
//! last run (for the events table and explanations), and how results are shaped for the page.

use crate::protocol::{
    ConditionView, EventRef, EventView, ExplainView, FieldView, InputProblem, JsonLine, MatchView, NearMissView, Outcome, QueryProblem, RowFilter,
    RowView, RunSettings, Stamp, TermView, WaitingView, MAX_CARDS, MAX_PROBLEMS,
};
use crate::protocol::{ComparisonView, Tuning};
use crate::tuning::{self, Baseline, BaselineKey, Filter, Version};
use eql::explain::words::Language;
use eql::{Dataset, Plan, Settings, Slot};
use std::collections::HashMap;

/// Near misses sent with each result.
const NEAR_MISSES_SHOWN: usize = 50;

#[derive(Default)]
pub struct Session {
    text: String,
    /// The page's number for `text`, and for the run that was asked for last: every answer is
    /// stamped with them.
    stamp: Stamp,
    /// The dataset and the field paths it was read for (reused while they and the exception
    /// filter do not change).
    cached: Option<(Vec<String>, Dataset)>,
    /// The enabled exception items and the events they hide (`None`: no items).
    filter: Option<Filter>,
    /// The pinned baseline's run (or why it cannot run).
    baseline: Option<(BaselineKey, Result<Baseline, String>)>,
    last: Option<LastRun>,
}

/// What the table and the explanations need from the last successful run.
struct LastRun {
    plan: Plan,
    query: String,
    settings: RunSettings,
    /// event → (result, term) pairs.
    matched: HashMap<usize, Vec<(usize, usize)>>,
}

/// The engine's settings for the page's.
pub fn engine_settings(run: &RunSettings) -> Settings {
    Settings {
        timestamp_field: run.timestamp_field.trim().to_string(),
        tiebreaker_field: Some(run.tiebreaker_field.trim().to_string()).filter(|s| !s.is_empty()),
        event_category_field: run.event_category_field.trim().to_string(),
        ..Settings::default()
    }
}

/// The time now, in nanoseconds since the epoch (expired exception items are not applied).
fn now() -> i64 {
    #[cfg(target_arch = "wasm32")]
    let millis = js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64);
    (millis * 1e6) as i64
}

fn text_at(v: &serde_json::Value, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut cur = v;
    for i in 0..parts.len() {
        // Dotted keys (`"process.name"`) and nested objects are the same field.
        if let Some(found) = cur.get(parts[i..].join(".")) {
            return Some(show(found));
        }
        cur = cur.get(parts[i])?;
    }
    None
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn describe(raw: &str, settings: &RunSettings) -> (String, String, String) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else { return Default::default() };
    let ts = text_at(&v, &settings.timestamp_field).unwrap_or_default();
    let cat = text_at(&v, &settings.event_category_field).unwrap_or_default();
    let parts: Vec<String> = ["host.name", "process.name", "destination.ip", "file.path", "event.action"]
        .iter()
        .filter_map(|f| text_at(&v, f).map(|x| format!("{f}: {x}")))
        .collect();
    (ts, cat, parts.join(" · "))
}

fn query_problems(errors: &[eql::QueryError], query: &str) -> Vec<QueryProblem> {
    errors
        .iter()
        .map(|e| QueryProblem { position: e.position(query).to_string(), rendered: e.render(query), start: e.span.start, end: e.span.end })
        .collect()
}

/// The event's JSON, pretty-printed, each line marked when it holds a field the query reads.
fn json_lines(raw: &str, wanted: &[String]) -> Vec<JsonLine> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
        return vec![JsonLine { text: raw.to_string(), hot: false }];
    };
    let mut out = Vec::new();
    write_json(&value, "", 0, None, wanted, &mut out);
    out
}

fn write_json(v: &serde_json::Value, path: &str, depth: usize, key: Option<&str>, wanted: &[String], out: &mut Vec<JsonLine>) {
    let indent = "  ".repeat(depth);
    let label = key.map(|k| format!("{}: ", serde_json::Value::from(k))).unwrap_or_default();
    let hot = !path.is_empty() && wanted.iter().any(|w| w == path);
    match v {
        serde_json::Value::Object(map) if !map.is_empty() && depth < 32 => {
            out.push(JsonLine { text: format!("{indent}{label}{{"), hot });
            for (i, (k, child)) in map.iter().enumerate() {
                let child_path = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                let before = out.len();
                write_json(child, &child_path, depth + 1, Some(k), wanted, out);
                if i + 1 < map.len() {
                    if let Some(last) = out.last_mut() {
                        last.text.push(',');
                    }
                }
                let _ = before;
            }
            out.push(JsonLine { text: format!("{indent}}}"), hot });
        }
        other => out.push(JsonLine { text: format!("{indent}{label}{other}"), hot }),
    }
}

impl Session {
    pub fn set_text(&mut self, text: String, version: u32) {
        self.text = text;
        self.stamp.version = version;
        self.cached = None;
        self.filter = None;
        self.baseline = None;
        self.last = None;
    }

    /// The events the query sees: the text with the events exception items hide blanked.
    fn seen(&self) -> &str {
        self.filter.as_ref().map_or(&self.text, |f| &f.text)
    }

    /// Applies these exception items (kept while they stay the same).
    fn set_exceptions(&mut self, lines: &[String]) {
        if self.filter.as_ref().map_or(&[][..], |f| &f.lines[..]) == lines {
            return;
        }
        self.filter = (!lines.is_empty()).then(|| Filter::new(lines, &self.text, now()));
        self.cached = None;
    }

    /// The data version and the generation of the last run: what answers are computed from.
    /// The events' text (NDJSON).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn stamp(&self) -> Stamp {
        self.stamp
    }

    /// Runs the query as run `generation`; the table, explanations and export then describe it.
    pub fn run(&mut self, generation: u32, query: &str, run: &RunSettings, tuning: &Tuning) -> Outcome {
        self.stamp.generation = generation;
        self.last = None;
        self.set_exceptions(&tuning.exceptions);
        let settings = engine_settings(run);
        let plan = match eql::compile_text(query, &settings) {
            Ok(p) => p,
            Err(errors) => return Outcome::QueryErrors(query_problems(&errors, query)),
        };
        let paths: Vec<String> = plan.fields.iter().map(|(_, f)| f.path.clone()).collect();
        if self.cached.as_ref().map(|(p, _)| p) != Some(&paths) {
            self.cached = Some((paths, tuning::read(&plan, self.seen())));
        }
        self.prepare_baseline(tuning, run, &settings);
        let Some((_, data)) = &self.cached else { return Outcome::QueryErrors(Vec::new()) };
        let problems =
            data.errors().iter().take(MAX_PROBLEMS).map(|e| InputProblem { line: e.line, message: e.message.clone() }).collect();
        let problem_total = data.errors().len();
        let bound = match plan.bind(data) {
            Ok(bound) => bound,
            Err(errors) => return Outcome::QueryErrors(query_problems(&errors, query)),
        };
        // A sequence runs once, observed: the near-miss report carries its matches too.
        let (found, report) = if matches!(plan.kind, eql::plan::PlanKind::Sequence { .. }) {
            let mut report = eql::explain::near_misses(&plan, &bound, data, NEAR_MISSES_SHOWN);
            (eql::engine::limit(std::mem::take(&mut report.matches), &plan), Some(report))
        } else {
            match eql::run(&plan, data) {
                Ok(results) => (results.matches, None),
                Err(errors) => return Outcome::QueryErrors(query_problems(&errors, query)),
            }
        };
        let mut matched: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (i, m) in found.iter().enumerate() {
            for slot in &m.events {
                if let Slot::Event { event, term } = *slot {
                    matched.entry(event).or_default().push((i, term));
                }
            }
        }
        let matches = found
            .iter()
            .take(MAX_CARDS)
            .map(|m| MatchView {
                join_keys: m.join_keys.iter().map(|k| k.key_text()).collect(),
                events: m.events.iter().map(|slot| self.event_view(data, slot, run)).collect(),
                sample: m.kind == eql::MatchKind::Sample,
            })
            .collect();
        let (near_misses, near_miss_total) = match report {
            Some(report) => {
                let line = |e: usize| data.origin(e).line;
                let views = report
                    .near_misses
                    .iter()
                    .map(|n| {
                        let reason = serde_json::to_value(n.end).unwrap_or_default();
                        NearMissView {
                            join_keys: n.join_keys.iter().map(|k| k.key_text()).collect(),
                            lines: n.events.iter().map(|&e| line(e)).collect(),
                            matched: n.matched,
                            stages: n.stages,
                            reason: reason.get("reason").and_then(|r| r.as_str()).unwrap_or("").to_string(),
                            by_line: reason.get("by").and_then(|b| b.as_u64()).map(|b| line(b as usize)),
                            waiting: waiting_view(&plan, data, n),
                        }
                    })
                    .collect();
                (views, report.total)
            }
            None => (Vec::new(), 0),
        };
        let exceptions = self.filter.as_ref().map(|f| f.view(&plan, &self.text, &found, data));
        let warnings = query_problems(&bound.warnings, query);
        let current = Version { plan: &plan, bound: &bound, data, matches: &found, query };
        let lang = if tuning.chinese { Language::Chinese } else { Language::English };
        let comparison = self.baseline.as_ref().map(|(key, baseline)| match baseline {
            Err(error) => (key.0.clone(), ComparisonView::BaselineInvalid(error.clone())),
            Ok(baseline) => (key.0.clone(), tuning::compare(&baseline.version(), &current, lang)),
        });
        let schedule = tuning.schedule.as_ref().map(|spec| tuning::schedule(spec, query, &settings, &plan, self.seen()));
        self.last = Some(LastRun { plan, query: query.to_string(), settings: run.clone(), matched });
        Outcome::Ran {
            warnings,
            schedule,
            comparison,
            exceptions,
            matches,
            events: data.len(),
            problems,
            problem_total,
            millis: 0.0,
            total: found.len(),
            near_misses,
            near_miss_total,
        }
    }

    /// Runs the pinned baseline over the events the query sees, unless its last run still holds.
    fn prepare_baseline(&mut self, tuning: &Tuning, run: &RunSettings, settings: &Settings) {
        let Some(query) = &tuning.baseline else {
            self.baseline = None;
            return;
        };
        let key: BaselineKey = (query.clone(), run.clone(), tuning.exceptions.clone());
        if self.baseline.as_ref().is_none_or(|(k, _)| *k != key) {
            self.baseline = Some((key, Baseline::new(query, settings, self.seen())));
        }
    }

    fn raw(&self, data: &Dataset, event: usize) -> &str {
        let o = data.origin(event);
        self.text.get(o.offset..o.offset + o.len as usize).unwrap_or("")
    }

    fn event_view(&self, data: &Dataset, slot: &Slot, run: &RunSettings) -> EventView {
        match *slot {
            Slot::Event { event, term } => {
                let (timestamp, category, summary) = describe(self.raw(data, event), run);
                EventView { index: event, line: data.origin(event).line, term, timestamp, category, summary, missing: false }
            }
            Slot::Missing { term, .. } => EventView {
                index: usize::MAX,
                line: 0,
                term,
                timestamp: String::new(),
                category: String::new(),
                summary: String::new(),
                missing: true,
            },
        }
    }

    /// A window of the events table, and how many rows the filter keeps in all.
    pub fn rows(&self, start: usize, count: usize, filter: RowFilter) -> (usize, Vec<RowView>) {
        let (Some((_, data)), Some(last)) = (&self.cached, &self.last) else { return (0, Vec::new()) };
        let keep = |e: &usize| match filter {
            RowFilter::All => true,
            RowFilter::Matched => last.matched.contains_key(e),
            RowFilter::Unmatched => !last.matched.contains_key(e),
        };
        let total = match filter {
            RowFilter::All => data.len(),
            RowFilter::Matched => last.matched.len(),
            RowFilter::Unmatched => data.len() - last.matched.len(),
        };
        let rows = (0..data.len())
            .filter(keep)
            .skip(start)
            .take(count.min(500))
            .map(|e| {
                let (timestamp, category, summary) = describe(self.raw(data, e), &last.settings);
                RowView {
                    index: e,
                    line: data.origin(e).line,
                    timestamp,
                    category,
                    summary,
                    matched: last.matched.get(&e).cloned().unwrap_or_default(),
                }
            })
            .collect();
        (total, rows)
    }

    /// Each term of the query (as written) against one event, predicate by predicate.
    /// The last run's results in `eqlplay match --with-source` form: the same query and events
    /// give the same text in the browser and on the command line.
    pub fn export_results(&self) -> Option<String> {
        let (Some((_, data)), Some(last)) = (&self.cached, &self.last) else { return None };
        let results = eql::run(&last.plan, data).ok()?;
        let inputs = eql::output::Inputs {
            paths: &[],
            texts: std::slice::from_ref(&self.text),
            with_file: false,
            with_source: true,
        };
        let mut out = Vec::new();
        eql::output::write_matches(&mut out, &results.matches, data, &inputs).ok()?;
        String::from_utf8(out).ok()
    }

    pub fn explain(&self, event: usize) -> Option<ExplainView> {
        let (Some((_, data)), Some(last)) = (&self.cached, &self.last) else { return None };
        if event >= data.len() {
            return None;
        }
        let bound = last.plan.bind(data).ok()?;
        let mut terms = Vec::new();
        let mut seen = Vec::new();
        for t in 0..=bound.filters.len() {
            let Some(exp) = eql::explain::explain_event(&last.plan, &bound, data, &last.query, event, t) else { continue };
            if !exp.until && seen.contains(&exp.source_term) {
                continue; // `runs` repeats a term; explain it once
            }
            seen.push(exp.source_term);
            let condition = condition_view(&exp.condition);
            terms.push(TermView { source_term: exp.source_term, until: exp.until, verdict: exp.verdict, condition });
        }
        let wanted: Vec<String> = last.plan.fields.iter().map(|(_, f)| f.path.clone()).collect();
        Some(ExplainView { event, line: data.origin(event).line, json: json_lines(self.raw(data, event), &wanted), terms })
    }
}

/// A condition as the page draws it: kinds and outcomes by their JSON names, values as JSON text.
fn condition_view(c: &eql::explain::Condition) -> ConditionView {
    ConditionView {
        kind: json_name(&c.kind),
        text: c.text.clone(),
        outcome: json_name(&c.outcome),
        negated: c.negated,
        fields: c
            .fields
            .iter()
            .map(|f| FieldView {
                field: f.field.clone(),
                status: json_name(&f.status),
                values: f.values.iter().map(|v| serde_json::to_string(v).unwrap_or_default()).collect(),
            })
            .collect(),
        // The parser bounds a query's nesting, so this recursion is bounded too.
        children: c.children.iter().map(condition_view).collect(),
    }
}

/// A unit enum's name as `eqlplay explain --json` writes it.
fn json_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A near miss's closest events, with lines and the awaited term as the query numbers it.
fn waiting_view(plan: &eql::Plan, data: &Dataset, n: &eql::explain::NearMiss) -> Option<WaitingView> {
    let w = n.waiting.as_ref()?;
    let eql::plan::PlanKind::Sequence { terms, maxspan, .. } = &plan.kind else { return None };
    let awaited = terms.get(n.next_term?)?;
    let at = |event: usize| EventRef { index: event, line: data.origin(event).line };
    Some(WaitingView {
        term: awaited.source_term,
        within_maxspan: maxspan.is_some(),
        earlier_same_key: w.earlier_same_key.map(at),
        later_same_key: w.later_same_key.map(at),
        later_other_key: w.later_other_key.as_ref().map(|o| {
            (at(o.event), o.differences.iter().map(|(field, value)| (field.clone(), value.key_text())).collect())
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{MissedView, ScheduleSpec, ScheduleView};
    use crate::samples::SAMPLE_EVENTS;
    use eql::Reader;

    fn seeded() -> (Session, Outcome) {
        let rule = rules::seed_rule().expect("seed rule");
        let mut s = Session::default();
        s.set_text(SAMPLE_EVENTS.to_string(), 1);
        let outcome = s.run(1, &rule.query, &RunSettings::default(), &Tuning::default());
        (s, outcome)
    }

    #[test]
    fn seed_rule_finds_one_match_in_the_sample() {
        match seeded().1 {
            Outcome::Ran { matches, problems, near_misses, .. } => {
                assert_eq!(matches.len(), 1);
                assert!(problems.is_empty());
                assert_eq!(matches[0].events.iter().map(|e| e.line).collect::<Vec<_>>(), vec![14, 15]);
                assert!(near_misses.iter().any(|n| n.lines == vec![13] && n.reason == "replaced" && n.by_line == Some(14)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pending_near_misses_point_at_their_closest_events() {
        let Outcome::Ran { near_misses, .. } = seeded().1 else { panic!("ran") };
        let line40 = near_misses.iter().find(|n| n.lines == vec![40]).expect("line 40 is a near miss");
        let w = line40.waiting.as_ref().expect("pending");
        assert_eq!(w.term, 1);
        assert_eq!(w.later_same_key.map(|e| e.line), Some(41));
        let (other, differences) = w.later_other_key.as_ref().expect("line 45");
        assert_eq!(other.line, 45);
        let fields: Vec<&str> = differences.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["host.id", "process.entity_id"]);
        assert!(differences[0].1.starts_with("2889bdc2-"), "{differences:?}");
        // Line 48's write happens on another host with the same entity id: only host.id differs.
        let line48 = near_misses.iter().find(|n| n.lines == vec![48]).expect("line 48 is a near miss");
        let (other, differences) = line48.waiting.as_ref().and_then(|w| w.later_other_key.clone()).expect("line 50");
        assert_eq!(other.line, 50);
        assert_eq!(differences.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["host.id"]);
        let line57 = near_misses.iter().find(|n| n.lines == vec![57]).expect("line 57 is a near miss");
        assert_eq!(line57.waiting.as_ref().and_then(|w| w.earlier_same_key).map(|e| e.line), Some(56));
        let line13 = near_misses.iter().find(|n| n.lines == vec![13]).expect("line 13 is a near miss");
        assert_eq!(line13.waiting, None);
    }

    #[test]
    fn results_are_the_engines_after_the_pipes() {
        let mut s = Session::default();
        s.set_text(SAMPLE_EVENTS.to_string(), 1);
        let query = "sequence by host.id [any where true] [any where true] | head 5 | tail 2";
        let Outcome::Ran { matches, near_misses, .. } = s.run(1, query, &RunSettings::default(), &Tuning::default()) else { panic!("ran") };
        let plan = eql::compile_text(query, &Settings::default()).expect("compiles");
        let mut reader = Reader::new(plan.fields.clone());
        reader.add(0, SAMPLE_EVENTS, None);
        let data = reader.finish();
        let want: Vec<Vec<u32>> = eql::run(&plan, &data)
            .expect("runs")
            .matches
            .iter()
            .map(|m| m.events.iter().filter_map(Slot::event).map(|e| data.origin(e).line).collect())
            .collect();
        let got: Vec<Vec<u32>> = matches.iter().map(|m| m.events.iter().map(|e| e.line).collect()).collect();
        assert_eq!(want.len(), 2);
        assert_eq!(got, want);
        assert!(!near_misses.is_empty());
    }

    #[test]
    fn exported_results_are_the_command_lines() {
        let (s, _) = seeded();
        let text = s.export_results().expect("a run to export");
        let lines: Vec<serde_json::Value> =
            text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["kind"], "sequence");
        assert_eq!(lines[0]["events"][0]["line"], 14);
        assert_eq!(lines[0]["events"][1]["line"], 15);
        let line14: serde_json::Value = serde_json::from_str(SAMPLE_EVENTS.lines().nth(13).expect("line 14")).expect("json");
        assert_eq!(lines[0]["events"][0]["source"], line14);
        assert!(Session::default().export_results().is_none());
    }

    #[test]
    fn cards_and_malformed_lines_are_capped_but_counted() {
        let mut text = SAMPLE_EVENTS.repeat(20);
        text.push_str(&"{bad\n".repeat(30));
        let mut s = Session::default();
        s.set_text(text, 1);
        let Outcome::Ran { matches, total, problems, problem_total, events, .. } =
            s.run(1, "any where true", &RunSettings::default(), &Tuning::default())
        else {
            panic!("ran")
        };
        assert_eq!((events, total, matches.len()), (1180, 1180, MAX_CARDS));
        assert_eq!((problem_total, problems.len()), (30, MAX_PROBLEMS));
        assert_eq!(problems[0].line, 1181);
    }

    #[test]
    fn answers_are_stamped_with_the_events_and_the_run_they_describe() {
        let mut s = Session::default();
        s.set_text(SAMPLE_EVENTS.to_string(), 7);
        assert_eq!(s.stamp(), Stamp { generation: 0, version: 7 });
        s.run(3, "process where true", &RunSettings::default(), &Tuning::default());
        assert_eq!(s.stamp(), Stamp { generation: 3, version: 7 });
        // A failed run still names itself, and leaves no rows of an older run behind.
        s.run(4, "process where", &RunSettings::default(), &Tuning::default());
        assert_eq!(s.stamp(), Stamp { generation: 4, version: 7 });
        assert_eq!(s.rows(0, 10, RowFilter::All), (0, Vec::new()));
        assert!(s.explain(0).is_none() && s.export_results().is_none());
    }

    #[test]
    fn rows_filter_and_mark_matches() {
        let (s, _) = seeded();
        let (total, rows) = s.rows(0, 10, RowFilter::Matched);
        assert_eq!(total, 2);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![14, 15]);
        assert_eq!(rows[1].matched, vec![(0, 1)]);
        let (all, _) = s.rows(0, 10, RowFilter::All);
        let (unmatched, _) = s.rows(0, 10, RowFilter::Unmatched);
        assert_eq!(all, unmatched + 2);
    }

    const LOOSER: &str = r#"sequence by host.id, process.entity_id
  [network where process.name : ("wscript.exe", "cscript.exe") and network.protocol != "dns"]
  [file where event.type == "creation" and file.extension : ("exe", "dll")]"#;

    #[test]
    fn an_edit_compared_with_the_rule_gains_results_each_with_its_reason() {
        let rule = rules::seed_rule().expect("seed rule");
        let mut s = Session::default();
        s.set_text(SAMPLE_EVENTS.to_string(), 1);
        let tuning = Tuning { baseline: Some(rule.query.clone()), ..Tuning::default() };
        let Outcome::Ran { comparison, .. } = s.run(1, LOOSER, &RunSettings::default(), &tuning) else { panic!("ran") };
        let Some((_, ComparisonView::Compared { gained, lost, kept, changes })) = comparison else { panic!("{comparison:?}") };
        assert_eq!((gained, lost, kept), (3, 0, 1));
        let lines: Vec<Vec<u32>> = changes.iter().map(|c| c.events.iter().flatten().map(|e| e.line).collect()).collect();
        assert_eq!(lines, [vec![19, 20], vec![44, 45], vec![53, 54]]);
        assert!(changes[0].absent.contains(r#"`destination.ip != "127.0.0.1"` is false (destination.ip = "127.0.0.1")"#), "{}", changes[0].absent);
        assert!(changes[0].present.starts_with("line 19: "), "{}", changes[0].present);
        // The other way round, in Chinese: the same results lost.
        let back = Tuning { baseline: Some(LOOSER.into()), chinese: true, ..Tuning::default() };
        let Outcome::Ran { comparison, .. } = s.run(2, &rule.query, &RunSettings::default(), &back) else { panic!("ran") };
        let Some((baseline, ComparisonView::Compared { lost, changes, .. })) = comparison else { panic!("compared") };
        assert_eq!(baseline, LOOSER);
        assert_eq!(lost, 3);
        assert!(changes.iter().all(|c| !c.gained && c.absent.contains("第 ")), "{changes:?}");
        // A baseline that does not parse says so; the run itself still shows.
        let broken = Tuning { baseline: Some("process where".into()), ..Tuning::default() };
        let Outcome::Ran { comparison, total, .. } = s.run(3, &rule.query, &RunSettings::default(), &broken) else { panic!("ran") };
        assert_eq!(total, 1);
        assert!(matches!(comparison, Some((_, ComparisonView::BaselineInvalid(e))) if e.contains("1:14")));
    }

    #[test]
    fn an_exception_hiding_one_event_of_a_sequence_lets_an_earlier_one_form() {
        let rule = rules::seed_rule().expect("seed rule");
        let mut s = Session::default();
        s.set_text(SAMPLE_EVENTS.to_string(), 1);
        // Line 14's network event; line 13 is the same process's earlier connection.
        let item = r#"{"item_id":"one","name":"one event","entries":[{"field":"event.id","operator":"included","type":"match","value":"mm3OAGix7wOkBA6AyLfg"}]}"#;
        let tuning = Tuning { exceptions: vec![item.into()], ..Tuning::default() };
        let Outcome::Ran { matches, exceptions, .. } = s.run(1, &rule.query, &RunSettings::default(), &tuning) else { panic!("ran") };
        assert_eq!(matches.iter().map(|m| m.events.iter().map(|e| e.line).collect::<Vec<_>>()).collect::<Vec<_>>(), [vec![13, 15]]);
        let x = exceptions.expect("exceptions applied");
        assert_eq!((x.items.clone(), x.only_with), (vec![(item.to_string(), 1, 1)], 1));
        // The rows and the explanations still read the events at their places.
        let (_, rows) = s.rows(0, 80, RowFilter::Matched);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [13, 15]);
        assert!(rows[0].summary.contains("wscript.exe"), "{}", rows[0].summary);
        // Turned off again, the rule's own result is back.
        let Outcome::Ran { matches, exceptions, .. } = s.run(2, &rule.query, &RunSettings::default(), &Tuning::default()) else { panic!("ran") };
        assert_eq!(matches[0].events.iter().map(|e| e.line).collect::<Vec<_>>(), [14, 15]);
        assert!(exceptions.is_none());
    }

    /// The sample's download (lines 14 and 15) at 10:02, and the same two events again for
    /// another process, the download 15 minutes after the connection.
    fn planted() -> String {
        let line = |n: usize| serde_json::from_str::<serde_json::Value>(SAMPLE_EVENTS.lines().nth(n - 1).expect("line")).expect("json");
        let at = |mut v: serde_json::Value, time: &str, entity: &str| {
            v["@timestamp"] = time.into();
            v["process"]["entity_id"] = entity.into();
            format!("{v}\n")
        };
        [
            at(line(14), "2026-03-02T10:02:00.000Z", "A"),
            at(line(15), "2026-03-02T10:02:01.000Z", "A"),
            at(line(14), "2026-03-02T10:20:00.000Z", "B"),
            at(line(15), "2026-03-02T10:35:00.000Z", "B"),
        ]
        .concat()
    }

    #[test]
    fn on_its_schedule_the_rule_alerts_once_and_never_on_a_sequence_longer_than_its_look_back() {
        let rule = rules::seed_rule().expect("seed rule");
        let mut s = Session::default();
        s.set_text(planted(), 1);
        let spec = ScheduleSpec {
            interval: "5m".into(),
            from: "now-9m".into(),
            max_signals: 100,
            timestamp_override: String::new(),
            start: "2026-03-02T10:00:00Z".into(),
        };
        let tuning = Tuning { schedule: Some(spec.clone()), ..Tuning::default() };
        let Outcome::Ran { total, schedule, .. } = s.run(1, &rule.query, &RunSettings::default(), &tuning) else { panic!("ran") };
        assert_eq!(total, 2, "over all the events, both sequences form");
        let Some(ScheduleView::Simulated { runs, never, runs_total, lookback, .. }) = schedule else { panic!("{schedule:?}") };
        // Runs at 10:00, 10:05 … 10:35: the one at 10:05 alerts; the one at 10:10 sees the same
        // events again (windows overlap by the 4m additional look-back) and does not alert twice.
        assert_eq!(runs_total, 8);
        assert_eq!(runs.iter().map(|r| r.alerts.len()).sum::<usize>(), 1);
        assert_eq!(runs.iter().map(|r| r.suppressed_duplicates).sum::<usize>(), 1);
        assert_eq!(runs[0].alerts[0].lines, [1, 2]);
        assert_eq!(lookback, "9m");
        assert_eq!(never.len(), 1);
        assert_eq!((never[0].0.lines.clone(), never[0].1.clone()), (vec![3, 4], MissedView::LongerThanLookback { span: "15m".into() }));
        // A start that is no time is named, not guessed.
        let bad = Tuning { schedule: Some(ScheduleSpec { start: "yesterday".into(), ..spec }), ..Tuning::default() };
        let Outcome::Ran { schedule, .. } = s.run(2, &rule.query, &RunSettings::default(), &bad) else { panic!("ran") };
        assert!(matches!(schedule, Some(ScheduleView::Invalid(e)) if e.contains("yesterday")));
    }

    #[test]
    fn explains_the_loopback_near_miss() {
        let (s, _) = seeded();
        let view = s.explain(18).expect("line 19");
        assert_eq!(view.line, 19);
        assert!(!view.terms[0].verdict);
        let text = serde_json::to_string(&view.terms[0]).expect("json");
        assert!(text.contains("destination.ip != \\\"127.0.0.1\\\""), "{text}");
        assert!(view.json.iter().any(|l| l.hot && l.text.contains("127.0.0.1")));
    }
}
