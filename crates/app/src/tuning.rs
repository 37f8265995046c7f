//! The worker's half of tuning a rule: exception items hiding events from it (as Kibana's
//! `must_not` filter does), the run compared with a pinned baseline — gained, lost and kept
//! results (`eql::compare`), each change with its reason (`eql::explain::words`) — and the rule
//! on Kibana's schedule (`rules::simulate`).

use crate::protocol::{
    ChangeView, ComparisonView, EventRef, ExceptionsView, MissedView, RunSettings, RunView, ScheduleSpec, ScheduleView, ScheduledResult,
    MAX_CHANGES, MAX_RUNS_SHOWN,
};
use eql::data::timestamp::{format_iso_millis, parse_iso};
use eql::ResultPosition;
use rules::simulate::{seconds, simulate, Missed, Scheduled, NANOS};
use eql::compare::{self, Change, Identity, Origin};
use eql::explain::why;
use eql::explain::words::{self, Language};
use eql::plan::Bound;
use eql::{Dataset, Match, Plan, Reader, Settings};
use rules::exceptions::{self, ExceptionItem};
use std::collections::HashMap;

/// The events as one query reads them.
pub fn read(plan: &Plan, text: &str) -> Dataset {
    let mut reader = Reader::new(plan.fields.clone());
    reader.add(0, text, None);
    reader.finish()
}

/// The enabled exception items and what they hide.
pub struct Filter {
    /// The items as the page sent them (the filter is reused while they stay the same).
    pub lines: Vec<String>,
    items: Vec<ExceptionItem>,
    /// The events with the hidden ones blanked: same lines, same byte offsets.
    pub text: String,
    /// Hidden events by origin → the item (index into `lines`) that hid them.
    hidden: HashMap<Origin, usize>,
    unsupported: Vec<String>,
    /// The events without the items, read for a query's fields (kept while the fields stay the
    /// same, so typing with exceptions on does not read the events twice per run).
    unfiltered: std::cell::RefCell<Option<(Vec<String>, std::rc::Rc<Dataset>)>>,
}

impl Filter {
    /// The items (lines of Kibana's export) as they apply at `now` (nanoseconds since the epoch).
    pub fn new(lines: &[String], text: &str, now: i64) -> Filter {
        // One item per line, so the counts line up with the page's list even if one is unreadable;
        // an item that does not apply (a value list, expired) stays in place and matches nothing.
        let read: Vec<ExceptionItem> = lines
            .iter()
            .map(|line| exceptions::parse(line).0.into_iter().next().unwrap_or_else(|| never(line)))
            .collect();
        let unsupported = read.iter().filter_map(|i| i.not_applied(now).map(|why| format!("{}: {why}", i.name))).collect();
        let items: Vec<ExceptionItem> = read.into_iter().map(|i| if i.not_applied(now).is_some() { never(&i.name) } else { i }).collect();
        let (hidden_text, hidden) = exceptions::hide_events(text, &items);
        Filter {
            lines: lines.to_vec(),
            items,
            text: hidden_text,
            hidden: hidden.into_iter().map(|(line, item)| ((0, line), item)).collect(),
            unsupported,
            unfiltered: Default::default(),
        }
    }

    /// What the items did to a query's results (`with`, over `data` read from [`Filter::text`]).
    pub fn view(&self, plan: &Plan, original: &str, with: &[Match], data: &Dataset) -> ExceptionsView {
        let paths: Vec<String> = plan.fields.iter().map(|(_, f)| f.path.clone()).collect();
        let cached = self.unfiltered.borrow().as_ref().filter(|(p, _)| *p == paths).map(|(_, d)| d.clone());
        let unfiltered = cached.unwrap_or_else(|| {
            let data = std::rc::Rc::new(read(plan, original));
            *self.unfiltered.borrow_mut() = Some((paths, data.clone()));
            data
        });
        let without = eql::run(plan, &unfiltered).map(|r| r.matches).unwrap_or_default();
        let with_ids: Vec<Identity> = with.iter().map(|m| Identity::of(data, m)).collect();
        let without_ids: Vec<Identity> = without.iter().map(|m| Identity::of(&unfiltered, m)).collect();
        let (suppressed, only_with) = exceptions::suppressed(&without_ids, &with_ids, &self.hidden, self.items.len());
        let mut hid = vec![0; self.items.len()];
        self.hidden.values().for_each(|&i| hid[i] += 1);
        let items = self.lines.iter().zip(hid).zip(suppressed).map(|((line, hid), suppressed)| (line.clone(), hid, suppressed)).collect();
        ExceptionsView { items, only_with, unsupported: self.unsupported.clone() }
    }
}

/// An item that matches nothing, standing in for a line that is no item (the page only sends
/// items it read, so this is a guard, not a path users take).
fn never(line: &str) -> ExceptionItem {
    ExceptionItem {
        item_id: String::new(),
        name: line.chars().take(40).collect(),
        list_id: String::new(),
        entries: vec![exceptions::Entry::List { field: String::new(), list_id: "unreadable item".into(), negate: false }],
        os_types: Vec::new(),
        expire_time: None,
    }
}

/// One version of the query over the events: what `why` needs, borrowed.
pub struct Version<'a> {
    pub plan: &'a Plan,
    pub bound: &'a Bound,
    pub data: &'a Dataset,
    pub matches: &'a [Match],
    pub query: &'a str,
}

impl Version<'_> {
    fn why(&self) -> why::Query<'_> {
        why::Query { plan: self.plan, bound: self.bound, data: self.data, text: self.query }
    }
}

/// What a baseline's run depends on, beside the events: its query, the settings and the
/// exception items.
pub type BaselineKey = (String, RunSettings, Vec<String>);

/// The baseline's run.
pub struct Baseline {
    query: String,
    plan: Plan,
    bound: Bound,
    data: Dataset,
    matches: Vec<Match>,
}

impl Baseline {
    pub fn new(query: &str, settings: &Settings, text: &str) -> Result<Baseline, String> {
        let first = |errors: Vec<eql::QueryError>| errors.first().map(|e| e.render(query)).unwrap_or_default();
        let plan = eql::compile_text(query, settings).map_err(first)?;
        let data = read(&plan, text);
        let bound = plan.bind(&data).map_err(first)?;
        let matches = eql::run(&plan, &data).map_err(first)?.matches;
        Ok(Baseline { query: query.to_string(), plan, bound, data, matches })
    }

    pub fn version(&self) -> Version<'_> {
        Version { plan: &self.plan, bound: &self.bound, data: &self.data, matches: &self.matches, query: &self.query }
    }
}

/// The current run compared with the baseline.
pub fn compare(baseline: &Version, current: &Version, lang: Language) -> ComparisonView {
    let ids_a: Vec<Identity> = baseline.matches.iter().map(|m| Identity::of(baseline.data, m)).collect();
    let ids_b: Vec<Identity> = current.matches.iter().map(|m| Identity::of(current.data, m)).collect();
    let all = compare::changes(&ids_a, &ids_b);
    let count = |c: Change| all.iter().filter(|x| x.change == c).count();
    let (gained, lost, kept) = (count(Change::Gained), count(Change::Lost), count(Change::Kept));
    let index = |data: &Dataset| -> HashMap<Origin, usize> { (0..data.len()).map(|e| (compare::origin(data, e), e)).collect() };
    let (at_a, at_b) = (index(baseline.data), index(current.data));
    let changes = all
        .iter()
        .filter(|c| c.change != Change::Kept)
        .take(MAX_CHANGES)
        .map(|c| {
            let is_gained = c.change == Change::Gained;
            let (has, lacks, id, m) = match is_gained {
                true => ((current, &at_b), (baseline, &at_a), &ids_b[c.index], &current.matches[c.index]),
                false => ((baseline, &at_a), (current, &at_b), &ids_a[c.index], &baseline.matches[c.index]),
            };
            let here = |at: &HashMap<Origin, usize>| id.events.iter().flatten().filter_map(|o| at.get(o).copied()).collect::<Vec<_>>();
            let absent = words::absent(&why::absent(&lacks.0.why(), &here(lacks.1)), &line_names(lacks.0.data, lang), lang);
            let present = words::present(&why::present(&has.0.why(), &here(has.1)), &line_names(has.0.data, lang), lang);
            ChangeView {
                gained: is_gained,
                // Both versions read the same text, so the current run's dataset has every event.
                events: id.events.iter().map(|o| o.and_then(|o| at_b.get(&o).map(|&index| EventRef { index, line: o.1 }))).collect(),
                join_keys: m.join_keys.iter().map(|k| k.key_text()).collect(),
                absent,
                present,
            }
        })
        .collect();
    ComparisonView::Compared { gained, lost, kept, changes }
}

/// Events named by their line, as the page names them.
fn line_names(data: &Dataset, lang: Language) -> impl Fn(usize) -> String + '_ {
    move |e| match lang {
        Language::Chinese => format!("第 {} 行", data.origin(e).line),
        Language::English => format!("line {}", data.origin(e).line),
    }
}

/// The query on the rule's schedule over the events it sees.
pub fn schedule(spec: &ScheduleSpec, query: &str, settings: &Settings, plan: &Plan, text: &str) -> ScheduleView {
    let Some(schedule) = rules::Schedule::new(Some(&spec.interval), Some(&spec.from)) else {
        return ScheduleView::Invalid(format!("cannot read interval `{}` / from `{}`", spec.interval, spec.from));
    };
    let start = match spec.start.trim() {
        "" => None,
        t => match parse_iso(t) {
            Some(t) => Some(t),
            None => return ScheduleView::Invalid(format!("`{t}` is not an RFC 3339 time")),
        },
    };
    let mut limited = settings.clone();
    limited.size = Some(spec.max_signals as usize);
    limited.result_position = ResultPosition::Tail;
    let Ok(limited) = eql::compile_text(query, &limited) else { return ScheduleView::Invalid("the query does not compile".into()) };
    let field = spec.timestamp_override.trim();
    let scheduled = Scheduled {
        plan,
        limited: &limited,
        schedule: &schedule,
        max_signals: spec.max_signals,
        window_field: (!field.is_empty()).then_some(field),
        start,
    };
    let shape = |data: &Dataset, m: &Match, (first, last): (i64, i64)| ScheduledResult {
        lines: m.events.iter().map(|s| s.event().map_or(0, |e| data.origin(e).line)).collect(),
        first_ms: first / MILLI,
        last_ms: last / MILLI,
    };
    match simulate(&scheduled, &[text], shape) {
        Err(e) => ScheduleView::Invalid(e),
        Ok(sim) => {
            let runs_total = sim.runs.len();
            let runs = sim
                .runs
                .into_iter()
                .filter(|r| !r.alerts.is_empty() || r.cut_by_max_signals > 0 || r.suppressed_duplicates > 0)
                .take(MAX_RUNS_SHOWN)
                .map(|r| RunView {
                    run_at: format_iso_millis(r.run_at),
                    from_ms: r.from / MILLI,
                    run_ms: r.run_at / MILLI,
                    alerts: r.alerts,
                    suppressed_duplicates: r.suppressed_duplicates,
                    cut_by_max_signals: r.cut_by_max_signals,
                })
                .collect();
            let never = sim
                .never
                .into_iter()
                .map(|(result, missed)| {
                    let view = match missed {
                        Missed::LongerThanLookback { span } => MissedView::LongerThanLookback { span: seconds(span) },
                        Missed::CutByMaxSignals => MissedView::CutByMaxSignals { max_signals: spec.max_signals },
                        Missed::OutsideEveryWindow => MissedView::OutsideEveryWindow,
                    };
                    (result, view)
                })
                .collect();
            ScheduleView::Simulated {
                first_ms: sim.first / MILLI,
                last_ms: sim.last / MILLI,
                lookback: seconds(schedule.lookback_secs as i64 * NANOS),
                runs_total,
                runs,
                never,
            }
        }
    }
}

const MILLI: i64 = 1_000_000;
