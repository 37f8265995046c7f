//! What a query returns: events, sequences or samples, each with its events and join keys.

use crate::data::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Event,
    Sequence,
    Sample,
}

/// One slot of a result: an event, or the placeholder for a missing-event term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Slot {
    /// `event` is the event's index in the dataset; `term` the query term it matched.
    Event { event: usize, term: usize },
    Missing { missing: bool, term: usize },
}

impl Slot {
    pub fn missing(term: usize) -> Slot {
        Slot::Missing { missing: true, term }
    }

    pub fn event(&self) -> Option<usize> {
        match self {
            Slot::Event { event, .. } => Some(*event),
            Slot::Missing { .. } => None,
        }
    }

    pub fn term(&self) -> usize {
        match self {
            Slot::Event { term, .. } | Slot::Missing { term, .. } => *term,
        }
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Match {
    pub kind: MatchKind,
    pub join_keys: Vec<Value>,
    pub events: Vec<Slot>,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Results {
    pub matches: Vec<Match>,
    /// Events skipped because they have no usable timestamp (sequences need one).
    pub events_without_timestamp: usize,
    /// Fields the query reads that no event has (without a mapping they still read as missing).
    pub warnings: Vec<crate::syntax::QueryError>,
}
