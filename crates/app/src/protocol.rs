//! Messages between the page and its worker, as JSON text (a file travels beside it).

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Request {
    /// Replace the events with this text (pasted, or a sample).
    SetText { text: String },
    /// Replace the events with the file sent beside this message, read in chunks.
    LoadFile { name: String, size: u64 },
    /// Match the query; `generation` lets the page drop stale answers.
    Run { generation: u32, query: String, settings: RunSettings },
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryProblem {
    pub position: String,
    pub rendered: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    QueryErrors(Vec<QueryProblem>),
    Ran { matches: Vec<MatchView>, events: usize, problems: Vec<InputProblem>, millis: f64 },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// Bytes of the current file read so far.
    Progress { loaded: u64, total: u64 },
    /// The worker holds new event text; the page should run the query again.
    Loaded { bytes: usize },
    Results { generation: u32, outcome: Outcome },
    Failed { message: String },
}
