//! Messages between the page and its worker, as postcard bytes (a file or a pasted text
//! travels beside them). Both ends are the same build of this module, so the encoding needs
//! neither field names nor versions; it is compact, and it spares the page a JSON reader for
//! every type here.

use serde::{Deserialize, Serialize};

/// The `_eql/search` settings the page exposes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    pub timestamp_field: String,
    pub tiebreaker_field: String,
    pub event_category_field: String,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            timestamp_field: "@timestamp".into(),
            tiebreaker_field: String::new(),
            event_category_field: "event.category".into(),
        }
    }
}

/// What the rule is tuned with, beside its query: a pinned version to compare with, and
/// exception items. Part of every run, so results always describe them too.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tuning {
    /// The baseline query (`None`: no comparison).
    pub baseline: Option<String>,
    /// The enabled exception items, each a line of Kibana's exception list export.
    pub exceptions: Vec<String>,
    /// Reasons are worded in Chinese.
    pub chinese: bool,
    /// Simulate the rule's schedule (`None`: the schedule view is closed).
    pub schedule: Option<ScheduleSpec>,
}

/// What Kibana's scheduler runs a rule with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSpec {
    pub interval: String,
    pub from: String,
    pub max_signals: u32,
    /// The field windows are cut on (empty: `@timestamp`).
    pub timestamp_override: String,
    /// The first run, RFC 3339 (empty: at the first event).
    pub start: String,
}

/// What the page asks of its worker. Every request that reads results names the run it is
/// about, and every answer names the run (and data version) it was computed from, so the page
/// can drop answers that no longer describe what is on screen (see `sync`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    /// Replace the events with the text sent beside this message (a JS string, so a big paste
    /// is not copied into JSON); they are data version `version`.
    SetText { version: u32 },
    /// Replace the events with the file sent beside this message, read in chunks.
    /// A Windows event log is converted, its `host.id` from `host_id` (empty: the computer name).
    LoadFile { version: u32, name: String, size: u64, host_id: String },
    /// Match the query over the current events, and the rule pack `pack` too (if any: its
    /// results are kept while the events do not change).
    Run { generation: u32, query: String, settings: RunSettings, tuning: Tuning, pack: Option<u32> },
    /// Read the rule pack sent beside this message (an array of files: rule files, Kibana
    /// exports, zips); it is pack `pack` from now on.
    LoadPack { pack: u32 },
    /// Rule `index` of pack `pack` with its checklists, to open it as if it were loaded alone.
    OpenPackRule { pack: u32, index: usize },
    /// Pack `pack`'s alerts over the events, as `eqlplay scan` prints them, to download.
    ExportPackAlerts { pack: u32 },
    /// A window of the events table, for the last run.
    Rows { start: usize, count: usize, filter: RowFilter },
    /// Why one event does or does not satisfy each term of the last run's query.
    Explain { event: usize },
    /// The last run's results as `eqlplay match --with-source` prints them, to download.
    ExportResults,
    /// The events as NDJSON (a converted Windows log's ECS events), to download.
    ExportEvents,
    /// The fields of the events, for the query editor's completion.
    Fields { category_field: String },
    /// The events as `_bulk` NDJSON into `index`, to download.
    ExportBulk { index: String },
    /// The `_eql/search` body for the query over the events' time range, to download.
    ExportSearch { query: String, settings: RunSettings, size: u32 },
}

/// The fields the loaded events have (see `inventory`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldHelp {
    /// The data version it describes, and the category field its categories are values of.
    pub version: u32,
    pub category_field: String,
    pub events: usize,
    /// The most common first.
    pub fields: Vec<FieldInfo>,
    /// Values of the event category field, with how many events have each.
    pub categories: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub path: String,
    /// Events that have it.
    pub count: usize,
    /// One of its values, as text.
    pub sample: String,
}

/// What converting a Windows event log gave (see `crates/winlog`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversionNote {
    /// `evtx`, `xml` or `winlog`.
    pub format: String,
    pub events: usize,
    /// Records that could not be read, each naming its record id or line.
    pub errors: Vec<String>,
    /// (channel, event id, count) of events kept with the generic fields only.
    pub generic: Vec<(String, u32, usize)>,
}

/// Which events the table lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowFilter {
    #[default]
    All,
    Matched,
    Unmatched,
}

/// One row of the events table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowView {
    pub index: usize,
    pub line: u32,
    pub timestamp: String,
    pub category: String,
    pub summary: String,
    /// (result number, term number), both 0-based, for every result this event is part of.
    pub matched: Vec<(usize, usize)>,
}

/// One node of a term's condition, with this event's values and the outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConditionView {
    pub kind: String,
    pub text: String,
    pub outcome: String,
    pub negated: bool,
    pub fields: Vec<FieldView>,
    pub children: Vec<ConditionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    pub field: String,
    pub status: String,
    /// Each value as JSON text, as the page shows it.
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermView {
    pub source_term: usize,
    pub until: bool,
    pub verdict: bool,
    pub condition: ConditionView,
}

/// One line of the event's pretty JSON; `hot` when it holds a field the query reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonLine {
    pub text: String,
    pub hot: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainView {
    pub event: usize,
    pub line: u32,
    pub json: Vec<JsonLine>,
    pub terms: Vec<TermView>,
}

/// A sequence that started but never completed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NearMissView {
    pub join_keys: Vec<String>,
    pub lines: Vec<u32>,
    pub matched: usize,
    pub stages: usize,
    pub reason: String,
    pub by_line: Option<u32>,
    /// For a partial still pending at the end: the events that came closest to completing it.
    pub waiting: Option<WaitingView>,
}

/// An event a near miss points at: its index (to explain it) and its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRef {
    pub index: usize,
    pub line: u32,
}

/// What a pending partial waited for (see `eql::explain::Waiting`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitingView {
    /// The awaited query term, 0-based as in [`EventView::term`].
    pub term: usize,
    /// The query has a maxspan: later events count only within it.
    pub within_maxspan: bool,
    pub earlier_same_key: Option<EventRef>,
    pub later_same_key: Option<EventRef>,
    /// The first later event matching the term, and the join-key fields where it differs from
    /// the partial, with its values (empty: it lacks a join-key field).
    pub later_other_key: Option<(EventRef, Vec<(String, String)>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputProblem {
    pub line: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub index: usize,
    pub line: u32,
    pub term: usize,
    pub timestamp: String,
    pub category: String,
    pub summary: String,
    pub missing: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchView {
    pub join_keys: Vec<String>,
    pub events: Vec<EventView>,
    /// A sample (kept from the front by `size`, where events and sequences keep the most recent).
    pub sample: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryProblem {
    pub position: String,
    pub rendered: String,
    pub start: usize,
    pub end: usize,
}

/// Result cards sent to the page at most (a query that matches every one of a million events
/// still answers quickly; the download and the events table have them all).
pub const MAX_CARDS: usize = 1000;

/// Malformed lines listed at most (a binary file dropped by mistake has thousands), as
/// `eqlplay match` lists them.
pub const MAX_PROBLEMS: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    QueryErrors(Vec<QueryProblem>),
    Ran {
        matches: Vec<MatchView>,
        events: usize,
        /// The first [`MAX_PROBLEMS`] malformed lines …
        problems: Vec<InputProblem>,
        /// … of this many.
        problem_total: usize,
        millis: f64,
        /// Results in all; `matches` holds the first [`MAX_CARDS`] of them.
        total: usize,
        near_misses: Vec<NearMissView>,
        /// How many partial sequences never completed (near_misses holds the furthest ones).
        near_miss_total: usize,
        /// Fields the query reads that no event has (a rule that silently matches nothing).
        warnings: Vec<QueryProblem>,
        /// The baseline query, and the run compared with it.
        comparison: Option<(String, ComparisonView)>,
        exceptions: Option<ExceptionsView>,
        schedule: Option<ScheduleView>,
    },
}

/// Gained and lost results listed at most (each with its reason, which costs a pass over the
/// events for a sequence).
pub const MAX_CHANGES: usize = 100;

/// The run compared with the baseline (see `eql::compare`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ComparisonView {
    /// The baseline query does not compile over these events: its first error.
    BaselineInvalid(String),
    Compared {
        gained: usize,
        lost: usize,
        kept: usize,
        /// The first [`MAX_CHANGES`] gained and lost results, in the order of their first events.
        changes: Vec<ChangeView>,
    },
}

/// A result only one version has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub gained: bool,
    /// Its events (`None`: a missing-event slot).
    pub events: Vec<Option<EventRef>>,
    pub join_keys: Vec<String>,
    /// Why the other version has it not, and what let it through in this one.
    pub absent: String,
    pub present: String,
}

/// What the enabled exception items did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExceptionsView {
    /// Per item sent, in order: the item (as sent, so the page finds its own), events hidden,
    /// results suppressed.
    pub items: Vec<(String, usize, usize)>,
    /// Results only the run with exceptions has.
    pub only_with: usize,
    /// Items that cannot be applied here (value lists), each with why.
    pub unsupported: Vec<String>,
}

/// Runs listed at most (those that alerted, cut or held duplicates; the others only count).
pub const MAX_RUNS_SHOWN: usize = 500;

/// The rule on its schedule over the events (see `rules::simulate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScheduleView {
    /// The schedule or the start cannot be read, or no event has a time.
    Invalid(String),
    Simulated {
        /// The events' time range, and the look-back, in milliseconds.
        first_ms: i64,
        last_ms: i64,
        lookback: String,
        runs_total: usize,
        /// The runs that alerted, cut results or held duplicates, in time order.
        runs: Vec<RunView>,
        never: Vec<(ScheduledResult, MissedView)>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub run_at: String,
    pub from_ms: i64,
    pub run_ms: i64,
    pub alerts: Vec<ScheduledResult>,
    pub suppressed_duplicates: usize,
    pub cut_by_max_signals: usize,
}

/// A result on the timeline: its events' lines and time span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduledResult {
    pub lines: Vec<u32>,
    pub first_ms: i64,
    pub last_ms: i64,
}

/// Why no run alerted on a result (`rules::simulate::Missed`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MissedView {
    LongerThanLookback { span: String },
    CutByMaxSignals { max_signals: u32 },
    OutsideEveryWindow,
}

/// Which run and which events an answer was computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub generation: u32,
    pub version: u32,
}

pub use rules::overview::{FiredRule, PackAlert, PackView};

/// A rule pack's part of a run's results. A view can hold thousands of alerts, so the worker
/// sends each once: runs that only change the query reuse the one the page has.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PackResult {
    /// The pack's view over the run's data version.
    View(PackView),
    /// The view sent last, which is over the run's data version too.
    Unchanged,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// Bytes of the file for data version `version` read so far.
    Progress { version: u32, loaded: u64, total: u64 },
    /// Rules of pack `pack` run so far, over the events of the run under way.
    PackProgress { pack: u32, done: usize, total: usize },
    /// Rule `index` of pack `pack` as the rule reader answers for a rule file (`RuleBundle`), and
    /// the exception items it applies (Kibana export lines).
    PackRule { pack: u32, bundle: Vec<u8>, exceptions: String },
    Results { stamp: Stamp, outcome: Outcome, pack: Option<PackResult> },
    Rows { stamp: Stamp, start: usize, filter: RowFilter, total: usize, rows: Vec<RowView> },
    Explained { stamp: Stamp, view: ExplainView },
    /// The results as JSON lines (one result per line, each event with its line and source).
    Exported { stamp: Stamp, ndjson: String },
    /// The file for data version `version` was a Windows event log, converted to ECS.
    Converted { version: u32, note: ConversionNote },
    /// The events of data version `version` as NDJSON.
    ExportedEvents { version: u32, ndjson: String },
    Fields(FieldHelp),
    /// A file made from the events of data version `version`, to download.
    Download { version: u32, name: String, mime: String, text: String },
    /// A request failed; `stamp` is the run it concerned (generation 0: none, as for a file
    /// that could not be read, which names its data version).
    Failed { stamp: Stamp, message: String },
}

/// Encodes a message (infallible for these types: no maps with non-string keys, no unknown
/// lengths).
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).unwrap_or_default()
}

/// Decodes a message; an error names what was expected.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &str) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("unreadable {what} message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_answer_survives_the_trip() {
        let stamp = Stamp { generation: 3, version: 2 };
        let condition = ConditionView {
            kind: "comparison".into(),
            text: "process.name == \"wscript.exe\"".into(),
            outcome: "true".into(),
            negated: true,
            fields: vec![FieldView { field: "process.name".into(), status: "present".into(), values: vec!["\"WScript.exe\"".into()] }],
            children: vec![],
        };
        let answers = [
            Response::Progress { version: 1, loaded: 10, total: 1 << 40 },
            Response::Results {
                stamp,
                pack: None,
                outcome: Outcome::Ran {
                    matches: vec![MatchView { join_keys: vec!["h1".into()], events: vec![], sample: false }],
                    events: 59,
                    problems: vec![InputProblem { line: 7, message: "not JSON".into() }],
                    problem_total: 1,
                    millis: 0.25,
                    total: 1,
                    near_misses: vec![],
                    near_miss_total: 0,
                    comparison: Some(("process where true".into(), ComparisonView::Compared {
                        gained: 1,
                        lost: 0,
                        kept: 1,
                        changes: vec![ChangeView {
                            gained: true,
                            events: vec![Some(EventRef { index: 18, line: 19 }), None],
                            join_keys: vec!["h1".into()],
                            absent: "line 19 …".into(),
                            present: "line 19: …".into(),
                        }],
                    })),
                    exceptions: Some(ExceptionsView { items: vec![("{}".into(), 3, 1)], only_with: 0, unsupported: vec![] }),
                    warnings: vec![QueryProblem { position: "1:9".into(), rendered: "…".into(), start: 8, end: 20 }],
                    schedule: Some(ScheduleView::Simulated {
                        first_ms: 1,
                        last_ms: 2,
                        lookback: "9m".into(),
                        runs_total: 3,
                        runs: vec![],
                        never: vec![(ScheduledResult { lines: vec![25, 28], first_ms: 1, last_ms: 2 }, MissedView::CutByMaxSignals { max_signals: 100 })],
                    }),
                },
            },
            Response::Results { stamp, outcome: Outcome::QueryErrors(vec![]), pack: Some(PackResult::View(PackView {
                pack: 2,
                rules: 3,
                ran: 1,
                fired: vec![FiredRule {
                    index: 0,
                    rule_id: "r".into(),
                    name: "n".into(),
                    severity: "high".into(),
                    risk_score: Some(73),
                    techniques: vec!["T1105".into()],
                    alerts: 1,
                    hosts: vec!["ws-fin-014".into()],
                    building_block: false,
                }],
                not_run: vec![("k".into(), "query".into())],
                failed: vec![("b".into(), "1:14: …".into())],
                alerts: vec![PackAlert { rule: 0, host: "ws-fin-014".into(), first_ms: Some(1), last_ms: None, lines: vec![3, 4] }],
                alert_total: 1,
                events: 59,
                excepted_rules: 1,
                hidden_events: 2,
                millis: 1.5,
            })) },
            Response::Results { stamp, outcome: Outcome::QueryErrors(vec![]), pack: Some(PackResult::Unchanged) },
            Response::PackProgress { pack: 2, done: 10, total: 1081 },
            Response::PackRule { pack: 2, bundle: vec![1, 2], exceptions: "{}\n".into() },
            Response::Explained {
                stamp,
                view: ExplainView { event: 18, line: 19, json: vec![], terms: vec![TermView { source_term: 0, until: false, verdict: false, condition }] },
            },
            Response::Converted {
                version: 2,
                note: ConversionNote { format: "evtx".into(), events: 358, errors: vec!["record 9: …".into()], generic: vec![("Security".into(), 4672, 3)] },
            },
            Response::ExportedEvents { version: 2, ndjson: "{}\n".into() },
            Response::Fields(FieldHelp {
                version: 2,
                category_field: "event.category".into(),
                events: 1,
                fields: vec![FieldInfo { path: "process.name".into(), count: 1, sample: "a.exe".into() }],
                categories: vec![("process".into(), 1)],
            }),
            Response::Failed { stamp, message: "…".into() },
        ];
        for answer in answers {
            let back: Response = decode(&encode(&answer), "test").expect("decodes");
            assert_eq!(format!("{back:?}"), format!("{answer:?}"));
        }
        let schedule = ScheduleSpec { interval: "5m".into(), from: "now-9m".into(), max_signals: 100, timestamp_override: String::new(), start: String::new() };
        let tuning = Tuning { baseline: Some("process where true".into()), exceptions: vec!["{}".into()], chinese: true, schedule: Some(schedule) };
        let request = Request::Run { generation: 4, query: "any where true".into(), settings: RunSettings::default(), tuning, pack: Some(1) };
        let back: Request = decode(&encode(&request), "test").expect("decodes");
        assert_eq!(format!("{back:?}"), format!("{request:?}"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [&[][..], &[255, 255, 255, 255, 255, 255], &[2, 0x80]] {
            assert!(decode::<Response>(bytes, "worker").is_err());
            assert!(decode::<Request>(bytes, "page").is_err());
        }
    }
}
