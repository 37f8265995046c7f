//! The pack format (documented in `docs/exercises.md`): what an instructor writes. Unknown keys
//! are errors, so a misspelt key never silently changes an exercise. Ids and references keep
//! their place in the file, so a bad one is reported at its line.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub pack: PackInfo,
    #[serde(default)]
    pub datasets: Vec<DatasetDef>,
    #[serde(default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackInfo {
    pub id: String,
    pub title: String,
    pub title_zh: Option<String>,
    #[serde(default)]
    pub description: String,
    pub description_zh: Option<String>,
    pub version: String,
    pub license: Option<String>,
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// The field that names events in `expected`, `must_match` and feedback; without it, events
    /// are named by their line number in their dataset.
    pub id_field: Option<String>,
    /// The rule's Kibana schedule, for the look-back diagnosis: `interval = "5m"`,
    /// `from = "now-9m"`.
    pub schedule: Option<ScheduleDef>,
    /// `_eql/search` settings every exercise runs with.
    #[serde(default)]
    pub settings: SettingsDef,
}

fn default_languages() -> Vec<String> {
    vec!["en".into()]
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDef {
    pub interval: String,
    pub from: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDef {
    pub timestamp_field: Option<String>,
    pub tiebreaker_field: Option<String>,
    pub event_category_field: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetDef {
    pub id: Spanned<String>,
    /// NDJSON beside the pack file (relative to it) …
    pub file: Option<String>,
    /// … or the events written in the pack.
    pub events: Option<String>,
    /// Used only for checking; a learner never sees its events, not even in feedback.
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The learner's query must return the reference query's (or the pinned) results.
    #[default]
    ResultSet,
    /// A typed answer, compared after normalising (trim, case, sorted list).
    Answer,
    /// Predict what the reference query returns without running it.
    Predict,
    /// Fix a rule: it must return `must_match` and none of `must_not_match`.
    RuleFix,
    /// Questions about an alert (choice, entity, verdict).
    Triage,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// The same results, no more, no fewer.
    #[default]
    Exact,
    /// Only results the reference has (finding some is enough): precision.
    Subset,
    /// Every result the reference has (more are allowed): recall.
    Superset,
}

/// An event's name: a line number, or the value of the pack's `id_field`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(untagged)]
pub enum EventName {
    Number(i64),
    Text(String),
}

impl EventName {
    pub fn text(&self) -> String {
        match self {
            EventName::Number(n) => n.to_string(),
            EventName::Text(s) => s.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub id: Spanned<String>,
    pub title: String,
    pub title_zh: Option<String>,
    #[serde(default = "one")]
    pub level: u32,
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    #[serde(default)]
    pub concepts: Vec<String>,
    #[serde(default)]
    pub story: String,
    pub story_zh: Option<String>,
    #[serde(default)]
    pub task: String,
    pub task_zh: Option<String>,
    #[serde(default)]
    pub starter_query: String,
    pub dataset: Spanned<String>,
    #[serde(default)]
    pub mode: Mode,
    pub reference_query: Option<String>,
    /// Pinned results instead of a reference query: `[[12, 19], [40, 41]]` (`-1`: a missing
    /// event).
    pub expected: Option<Vec<Vec<EventName>>>,
    #[serde(default)]
    pub compare: Compare,
    /// The query must also be right on these datasets (hidden ones say only that it is not).
    #[serde(default)]
    pub also_on: Vec<Spanned<String>>,
    #[serde(default)]
    pub must_match: Vec<EventName>,
    #[serde(default)]
    pub must_not_match: Vec<EventName>,
    pub answer: Option<String>,
    pub answer_zh: Option<String>,
    #[serde(default)]
    pub explanation: String,
    pub explanation_zh: Option<String>,
    #[serde(default)]
    pub hints: Vec<Hint>,
    #[serde(default)]
    pub diagnoses: Vec<DiagnosisDef>,
    #[serde(default)]
    pub wrong: Vec<WrongAnswer>,
    #[serde(default)]
    pub questions: Vec<Question>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub text: String,
    pub text_zh: Option<String>,
    #[serde(default = "default_hint_cost")]
    pub cost: u32,
}

fn default_hint_cost() -> u32 {
    10
}

/// The exercise's own words for a structural diagnosis (see [`crate::diagnose`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisDef {
    pub when: Spanned<String>,
    pub message: String,
    pub message_zh: Option<String>,
}

/// A typical wrong answer and the feedback it must get (`eqlplay exercise validate`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongAnswer {
    pub query: Option<String>,
    pub answer: Option<String>,
    pub expect_feedback: String,
}

/// One question of a triage exercise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub text_zh: Option<String>,
    #[serde(default)]
    pub kind: QuestionKind,
    /// The options of a `choice` question (a `verdict` is one of true_positive,
    /// false_positive, benign_true_positive).
    #[serde(default)]
    pub choices: Vec<String>,
    pub answer: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    #[default]
    Choice,
    /// A value from the events: a host, a user, a file path.
    Entity,
    Verdict,
}

/// The verdicts a `verdict` question accepts.
pub const VERDICTS: [&str; 3] = ["true_positive", "false_positive", "benign_true_positive"];
