//! What the page draws, as a reducer. Large values (outcome, rows, explanation, event text)
//! sit behind `Rc`, so a step costs the same with 59 events or a million. Answers from the
//! worker are kept only when their stamp is the shown run's (see `sync` and `link`).

use crate::i18n::{tr, Lang};
use crate::protocol::{ConversionNote, ExplainView, Outcome, PackView, RowFilter, RowView, RunSettings, Stamp};
use std::rc::Rc;
use yew::prelude::*;

/// The right-hand pane's views.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Results,
    Events,
    Triage,
    Tune,
    Pack,
    Learn,
}

/// The version the query is compared with.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub query: String,
    /// It is the loaded rule's own query (else a query the user pinned).
    pub from_rule: bool,
}

/// One exception item in the page's list: as it travels to the worker (a line of Kibana's
/// export) and as it is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub json: String,
    pub name: String,
    /// Each entry as Kibana's editor shows it.
    pub entries: Vec<String>,
    pub os_types: Vec<String>,
    pub enabled: bool,
}

impl Exception {
    pub fn new(item: &rules::exceptions::ExceptionItem) -> Exception {
        Exception {
            json: item.to_json().to_string(),
            name: item.name.clone(),
            entries: item.entries.iter().map(|e| e.to_string()).collect(),
            os_types: item.os_types.clone(),
            enabled: true,
        }
    }
}

/// A change to the exception list.
pub enum ExceptionEdit {
    /// Items read from a file (with the problems of the lines that were not items), or written.
    Add(Vec<Exception>, Vec<String>),
    Toggle(usize),
    Remove(usize),
}

/// The results on screen and the run they came from. Two are equal when they come from the
/// same run: stamps are never reused while the page lives.
#[derive(Clone, Debug)]
pub struct Shown {
    pub stamp: Stamp,
    pub outcome: Rc<Outcome>,
    /// The rule pack over the same events, when one is loaded.
    pub pack: Option<Rc<PackView>>,
}

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        self.stamp == other.stamp
    }
}

/// A window of the events table, as the worker sent it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rows {
    pub stamp: Stamp,
    pub filter: RowFilter,
    pub start: usize,
    pub total: usize,
    pub rows: Vec<RowView>,
}

/// Replacing the events box's text (a sample, a share link): `count` tells the box to take
/// `text` even when it equals the last one (the user may have edited it since).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EventsReset {
    pub count: u32,
    pub text: AttrValue,
}

/// The rule pack loaded in the page.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenPack {
    pub id: u32,
    /// The names of the files it was read from.
    pub files: Vec<String>,
    /// (rules run, of) while it runs.
    pub progress: Option<(usize, usize)>,
}

#[derive(Clone, PartialEq, Default)]
pub struct State {
    pub lang: Lang,
    pub tab: Tab,
    /// The loaded rule with its checklists (`None`: a bare query).
    pub rule: Option<Rc<rules::RuleBundle>>,
    /// The alert the triage view is about (chosen from a result).
    pub alert: Option<rules::report::AlertSummary>,
    pub query: String,
    pub settings: RunSettings,
    /// Nothing changed since the shown results were computed, and no run is under way.
    pub settled: bool,
    pub progress: Option<(u64, u64)>,
    pub shown: Option<Shown>,
    /// Why the last run or request failed; the next results replace it.
    pub failure: Option<String>,
    /// What went wrong with what the page was opened with (a damaged share link); new results do
    /// not replace it, loading other inputs does.
    pub notice: Option<String>,
    /// The result card whose events are highlighted.
    pub selected_match: Option<usize>,
    pub filter: RowFilter,
    /// The first row of the events table the page wants (it follows scrolling).
    pub window: usize,
    pub rows: Option<Rc<Rows>>,
    pub selected_event: Option<usize>,
    pub explanation: Option<Rc<ExplainView>>,
    /// The pasted (or sample, or shared) events when small enough to share; `None` when they came
    /// from a file or are too large for a link.
    pub events_text: Option<Rc<str>>,
    pub events_reset: EventsReset,
    /// The file the events came from, if they came from one.
    pub events_file: Option<String>,
    /// The last share link made, shown for copying.
    pub share_link: Option<String>,
    /// The Learn tab has been opened (its trainer module is fetched then, and it stays mounted).
    pub learn_opened: bool,
    /// What converting the events file (a Windows event log) gave, while it is the events.
    pub conversion: Option<Rc<ConversionNote>>,
    /// The `host.id` converted events get; empty for their computer name.
    pub host_id: String,
    /// A predict exercise is open and awaits its answer: results and matches are not shown.
    pub results_hidden: bool,
    /// The exercise pack a link opened the page with (its files as JSON), for the Learn tab.
    pub linked_pack: Option<AttrValue>,
    /// The pinned version the results are compared with.
    pub baseline: Option<Baseline>,
    /// The rule's exception items, each on or off.
    pub exceptions: Vec<Exception>,
    /// Problems of the last exception file opened.
    pub exception_problems: Vec<String>,
    /// The schedule view is open: each run simulates the rule's schedule too.
    pub schedule_open: bool,
    /// The first scheduled run the user chose (RFC 3339; empty: at the first event).
    pub schedule_start: String,
    /// The loaded events' fields, for the editor's completion (asked for on focus).
    pub field_help: Option<Rc<crate::protocol::FieldHelp>>,
    /// ECS's names, fetched the first time the editor gets the focus.
    pub ecs: Option<Rc<crate::completion::Ecs>>,
    /// The rule pack loaded, if any (its results come with each run's, in `shown`).
    pub pack: Option<OpenPack>,
}

pub enum Action {
    Lang(Lang),
    Tab(Tab),
    Triage(rules::report::AlertSummary),
    Query(String),
    Settings(RunSettings),
    Rule(Option<Rc<rules::RuleBundle>>),
    /// The page's inputs and the worker are (or are no longer) in step.
    Settled(bool),
    Progress(Option<(u64, u64)>),
    Show(Shown),
    Rows(Rows),
    Explained(Stamp, ExplainView),
    Failed(String),
    /// A failure in the page's own words (an `i18n` key).
    Notice(&'static str),
    Cancelled,
    SelectMatch(usize),
    Filter(RowFilter),
    Window(usize),
    SelectEvent(usize),
    EventsText(Option<Rc<str>>),
    ResetEvents(AttrValue),
    EventsFile(Option<String>),
    ShareLink(String),
    HideResults(bool),
    /// The events file was a Windows event log, converted to ECS.
    Converted(ConversionNote),
    /// The rule for converted events' `host.id` changed (empty: their computer name).
    HostId(String),
    Pin(Option<Baseline>),
    Exceptions(ExceptionEdit),
    /// Opens or closes the schedule view.
    Schedule(bool),
    ScheduleStart(String),
    FieldHelp(crate::protocol::FieldHelp),
    Ecs(crate::completion::Ecs),
    /// A rule pack was loaded (its number, its files' names), or closed.
    Pack(Option<(u32, Vec<String>)>),
    /// Rules of pack `.0` run so far, of `.2`.
    PackProgress(u32, usize, usize),
}

impl State {
    /// The loaded pack's results, when those on screen include them.
    pub fn pack_view(&self) -> Option<Rc<PackView>> {
        let id = self.pack.as_ref()?.id;
        self.shown.as_ref()?.pack.clone().filter(|v| v.pack == id)
    }

    /// The stamp of the results on screen.
    pub fn shown_stamp(&self) -> Option<Stamp> {
        self.shown.as_ref().map(|s| s.stamp)
    }

    /// What the worker runs beside the query: the baseline, the enabled exception items, and the
    /// language reasons are worded in (only while there are reasons to word).
    pub fn tuning(&self) -> crate::protocol::Tuning {
        crate::protocol::Tuning {
            baseline: self.baseline.as_ref().map(|b| b.query.clone()),
            exceptions: self.exceptions.iter().filter(|e| e.enabled).map(|e| e.json.clone()).collect(),
            chinese: self.baseline.is_some() && self.lang == Lang::ZhCn,
            schedule: self.schedule_open.then(|| self.schedule_spec()),
        }
    }

    /// The loaded rule's schedule, or Kibana's defaults for a bare query.
    pub fn schedule_spec(&self) -> crate::protocol::ScheduleSpec {
        let rule = self.rule.as_ref().map(|r| &r.rule);
        crate::protocol::ScheduleSpec {
            interval: rule.and_then(|r| r.interval.clone()).unwrap_or_else(|| rules::schedule::DEFAULT_INTERVAL.into()),
            from: rule.and_then(|r| r.from.clone()).unwrap_or_else(|| rules::schedule::DEFAULT_FROM.into()),
            max_signals: rule.map_or(rules::DEFAULT_MAX_SIGNALS, |r| r.max_signals),
            timestamp_override: rule.and_then(|r| r.timestamp_override.clone()).unwrap_or_default(),
            start: self.schedule_start.trim().to_string(),
        }
    }

    /// A rule's query and its own settings (Kibana passes them to `_eql/search`).
    pub fn rule_inputs(rule: &rules::Rule, settings: &RunSettings) -> (String, RunSettings) {
        let mut settings = settings.clone();
        settings.tiebreaker_field = rule.tiebreaker_field.clone().unwrap_or_default();
        settings.event_category_field = rule.event_category_override.clone().unwrap_or_else(|| "event.category".into());
        (rule.query.trim().to_string(), settings)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Lang(lang) => s.lang = lang,
            Action::Tab(tab) => {
                s.tab = tab;
                s.learn_opened |= tab == Tab::Learn;
            }
            Action::Triage(alert) => {
                s.alert = Some(alert);
                s.tab = Tab::Triage;
            }
            Action::Query(q) => s.query = q,
            Action::Settings(settings) => s.settings = settings,
            Action::Rule(rule) => {
                if let Some(r) = &rule {
                    (s.query, s.settings) = State::rule_inputs(&r.rule, &s.settings);
                }
                s.rule = rule;
                s.alert = None;
                s.notice = None;
                // A baseline that was the rule as loaded is now just a pinned query.
                if let Some(b) = s.baseline.as_mut() {
                    b.from_rule = false;
                }
            }
            Action::Settled(settled) => s.settled = settled,
            Action::Progress(progress) => s.progress = progress,
            Action::Show(shown) => {
                let same_events = s.shown.as_ref().is_some_and(|old| old.stamp.version == shown.stamp.version);
                if !same_events {
                    s.selected_event = None;
                }
                if let Some(p) = s.pack.as_mut() {
                    p.progress = None;
                }
                s.shown = Some(shown);
                s.progress = None;
                s.failure = None;
                s.selected_match = None;
                s.rows = None;
                s.explanation = None;
            }
            Action::Rows(rows) => {
                if Some(rows.stamp) == s.shown_stamp() && rows.filter == s.filter {
                    s.rows = Some(Rc::new(rows));
                }
            }
            Action::Explained(stamp, view) => {
                if Some(stamp) == s.shown_stamp() && Some(view.event) == s.selected_event {
                    s.explanation = Some(Rc::new(view));
                }
            }
            Action::Failed(message) => {
                s.progress = None;
                s.failure = Some(message);
            }
            Action::Notice(key) => s.failure = Some(tr(s.lang, key).into()),
            Action::Cancelled => {
                s.pack = None;
                s.progress = None;
                s.shown = None;
                s.rows = None;
                s.explanation = None;
                s.selected_event = None;
                s.selected_match = None;
                s.events_file = None;
                s.failure = Some(tr(s.lang, "cancelled").into());
            }
            Action::SelectMatch(i) => s.selected_match = if s.selected_match == Some(i) { None } else { Some(i) },
            Action::Filter(f) => {
                s.filter = f;
                s.window = 0;
            }
            Action::Window(start) => s.window = start,
            Action::SelectEvent(e) => {
                if s.selected_event != Some(e) {
                    s.explanation = None;
                }
                s.selected_event = Some(e);
            }
            Action::EventsText(text) => s.events_text = text,
            Action::ResetEvents(text) => {
                s.events_reset = EventsReset { count: s.events_reset.count.wrapping_add(1), text };
                s.events_file = None;
                s.notice = None;
                s.conversion = None;
            }
            Action::EventsFile(name) => {
                s.events_file = name;
                s.notice = None;
                s.conversion = None;
            }
            Action::Converted(note) => s.conversion = Some(Rc::new(note)),
            Action::HostId(id) => s.host_id = id,
            Action::ShareLink(link) => {
                s.share_link = Some(link);
                s.notice = None;
            }
            Action::HideResults(hide) => s.results_hidden = hide,
            Action::Pin(baseline) => s.baseline = baseline,
            Action::Schedule(open) => s.schedule_open = open,
            Action::ScheduleStart(start) => s.schedule_start = start,
            Action::FieldHelp(help) => s.field_help = Some(Rc::new(help)),
            Action::Ecs(ecs) => s.ecs = Some(Rc::new(ecs)),
            Action::Pack(pack) => s.pack = pack.map(|(id, files)| OpenPack { id, files, progress: None }),
            Action::PackProgress(id, done, total) => {
                if let Some(p) = s.pack.as_mut().filter(|p| p.id == id) {
                    p.progress = Some((done, total));
                }
            }
            Action::Exceptions(edit) => match edit {
                ExceptionEdit::Add(items, problems) => {
                    s.exceptions.extend(items);
                    s.exception_problems = problems;
                }
                ExceptionEdit::Toggle(i) => {
                    if let Some(e) = s.exceptions.get_mut(i) {
                        e.enabled = !e.enabled;
                    }
                }
                ExceptionEdit::Remove(i) => {
                    if i < s.exceptions.len() {
                        s.exceptions.remove(i);
                    }
                }
            },
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(generation: u32, version: u32) -> Shown {
        let outcome = Outcome::QueryErrors(Vec::new());
        Shown { stamp: Stamp { generation, version }, outcome: Rc::new(outcome), pack: None }
    }

    fn rows(generation: u32, version: u32, filter: RowFilter) -> Rows {
        Rows { stamp: Stamp { generation, version }, filter, start: 0, total: 0, rows: Vec::new() }
    }

    fn step(s: Rc<State>, a: Action) -> Rc<State> {
        s.reduce(a)
    }

    #[test]
    fn the_tuning_sent_is_the_pinned_query_and_the_enabled_items() {
        let item = |name: &str| {
            let entry = rules::exceptions::Entry::written("process.name", "is", name).expect("entry");
            Exception::new(&rules::exceptions::ExceptionItem {
                item_id: name.into(),
                name: name.into(),
                list_id: String::new(),
                entries: vec![entry],
                os_types: vec![],
                expire_time: None,
            })
        };
        let s = step(Rc::new(State::default()), Action::Exceptions(ExceptionEdit::Add(vec![item("a"), item("b")], vec![])));
        let s = step(s, Action::Exceptions(ExceptionEdit::Toggle(0)));
        let s = step(s, Action::Lang(Lang::ZhCn));
        let t = s.tuning();
        assert_eq!((t.baseline.as_deref(), t.exceptions.len(), t.chinese), (None, 1, false));
        assert!(t.exceptions[0].contains("\"value\":\"b\""), "{}", t.exceptions[0]);
        let s = step(s, Action::Pin(Some(Baseline { query: "process where true".into(), from_rule: false })));
        let s = step(s, Action::Exceptions(ExceptionEdit::Remove(1)));
        let t = s.tuning();
        assert_eq!((t.baseline.as_deref(), t.exceptions.len(), t.chinese), (Some("process where true"), 0, true));
    }

    #[test]
    fn rows_of_another_run_or_filter_are_dropped() {
        let s = step(Rc::new(State::default()), Action::Show(shown(2, 1)));
        let s = step(s, Action::Rows(rows(1, 1, RowFilter::All)));
        assert!(s.rows.is_none(), "rows of an older run");
        let s = step(s, Action::Rows(rows(2, 1, RowFilter::Matched)));
        assert!(s.rows.is_none(), "rows for another filter");
        let s = step(s, Action::Rows(rows(2, 1, RowFilter::All)));
        assert!(s.rows.is_some());
    }

    #[test]
    fn new_results_clear_what_described_the_old_ones() {
        let s = step(Rc::new(State::default()), Action::Show(shown(1, 1)));
        let s = step(s, Action::SelectEvent(3));
        let s = step(s, Action::SelectMatch(0));
        let s = step(s, Action::Rows(rows(1, 1, RowFilter::All)));
        // Same events, new query: the selected event stays (to be explained again).
        let s = step(s, Action::Show(shown(2, 1)));
        assert_eq!((s.selected_event, s.selected_match, s.rows.is_none()), (Some(3), None, true));
        // New events: event 3 may be another event now.
        let s = step(s, Action::Show(shown(3, 2)));
        assert_eq!(s.selected_event, None);
    }

    #[test]
    fn an_explanation_counts_only_for_the_selected_event_of_the_shown_run() {
        let view = |event| ExplainView { event, line: 1, json: Vec::new(), terms: Vec::new() };
        let s = step(Rc::new(State::default()), Action::Show(shown(1, 1)));
        let s = step(s, Action::SelectEvent(5));
        let s = step(s, Action::Explained(Stamp { generation: 1, version: 1 }, view(4)));
        assert!(s.explanation.is_none());
        let s = step(s, Action::Explained(Stamp { generation: 0, version: 1 }, view(5)));
        assert!(s.explanation.is_none());
        let s = step(s, Action::Explained(Stamp { generation: 1, version: 1 }, view(5)));
        assert!(s.explanation.is_some());
    }

    #[test]
    fn the_pack_view_shown_is_the_loaded_packs_and_goes_with_cancel() {
        let view = |pack| Rc::new(PackView { pack, ..PackView::default() });
        let with_pack = |generation, pack| Shown { pack: Some(view(pack)), ..shown(generation, 1) };
        let s = step(Rc::new(State::default()), Action::Pack(Some((2, vec!["rules.zip".into()]))));
        let s = step(s, Action::PackProgress(1, 5, 10));
        assert_eq!(s.pack.as_ref().and_then(|p| p.progress), None, "progress of another pack");
        let s = step(s, Action::PackProgress(2, 5, 10));
        assert_eq!(s.pack.as_ref().and_then(|p| p.progress), Some((5, 10)));
        let s = step(s, Action::Show(with_pack(1, 1)));
        assert!(s.pack_view().is_none(), "a view of the previous pack");
        assert_eq!(s.pack.as_ref().and_then(|p| p.progress), None, "results end the progress");
        let s = step(s, Action::Show(with_pack(2, 2)));
        assert_eq!(s.pack_view().map(|v| v.pack), Some(2));
        let s = step(s, Action::Cancelled);
        assert!(s.pack.is_none() && s.pack_view().is_none());
    }
}
