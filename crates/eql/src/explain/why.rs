//! Why a query's results hold or lack a given set of events — the structured reasons behind
//! "your query missed this one" (exercises) and "the edit lost this one" (comparing two
//! versions of a rule). The events are the other query's result, as indices into a dataset
//! read for *this* query (the same events read again, matched by their origin).

use super::{explain_event, near_misses, Condition, ConditionKind, EndReason, Outcome, TermExplanation};
use crate::data::Dataset;
use crate::plan::{Bound, Plan};
use crate::data::Value;

/// Why the query has no result of exactly these events.
#[derive(Clone, Debug, PartialEq)]
pub enum Absent {
    /// `event` satisfies none of the query's terms; `failing` are the leaves that did not hold
    /// in the term at its place in the result.
    EventFails { event: usize, failing: Vec<Condition>, terms: usize },
    /// Every event satisfies a term, and a partial sequence started with the first one, but
    /// it ended (replaced, maxspan, until, a missing event that is there).
    Ended { events: Vec<usize>, end: EndReason },
    /// The partial waited to the end; `other_key` is a later event that matches the next term
    /// but for another key, with the key fields that differ.
    Pending { events: Vec<usize>, other_key: Option<(usize, Vec<(String, Value)>)> },
    /// Every event satisfies a term, but they never start one sequence (keys, order).
    NoSequence,
}

/// The query compiled for, and the events read for it.
pub struct Query<'a> {
    pub plan: &'a Plan,
    pub bound: &'a Bound,
    pub data: &'a Dataset,
    pub text: &'a str,
}

impl Query<'_> {
    fn explain(&self, event: usize, term: usize) -> Option<TermExplanation> {
        explain_event(self.plan, self.bound, self.data, self.text, event, term)
    }

    fn terms(&self) -> usize {
        self.bound.filters.len()
    }
}

/// Leaves of `c` with the given outcome (the event category left out when it held: it goes
/// without saying).
pub fn leaves_where(c: &Condition, held: bool) -> Vec<Condition> {
    c.leaves()
        .into_iter()
        .filter(|l| (l.outcome == Outcome::True) == held && !(held && l.kind == ConditionKind::Category))
        .cloned()
        .collect()
}

/// Why `q` has no result of `events` (a result of another query: its present events, in order).
pub fn absent(q: &Query, events: &[usize]) -> Absent {
    for (position, &e) in events.iter().enumerate() {
        let explained: Vec<TermExplanation> = (0..q.terms()).filter_map(|t| q.explain(e, t)).collect();
        if explained.iter().any(|x| x.verdict) {
            continue;
        }
        let at = position.min(explained.len().saturating_sub(1));
        let failing = explained.get(at).map(|x| leaves_where(&x.condition, false)).unwrap_or_default();
        return Absent::EventFails { event: e, failing, terms: explained.len() };
    }
    let Some(&first) = events.first() else { return Absent::NoSequence };
    let report = near_misses(q.plan, q.bound, q.data, usize::MAX);
    match report.near_misses.into_iter().find(|n| n.events.first() == Some(&first)) {
        Some(n) if n.end == EndReason::Pending => {
            let other_key = n.waiting.and_then(|w| w.later_other_key).map(|o| (o.event, o.differences));
            Absent::Pending { events: n.events, other_key }
        }
        Some(n) => Absent::Ended { events: n.events, end: n.end },
        None => Absent::NoSequence,
    }
}

/// For each event of a result of `q`, the leaves that let it through the term at its place.
pub fn present(q: &Query, events: &[usize]) -> Vec<(usize, Vec<Condition>)> {
    events
        .iter()
        .enumerate()
        .filter_map(|(position, &e)| {
            let term = position.min(q.terms().saturating_sub(1));
            q.explain(e, term).filter(|x| x.verdict).map(|x| (e, leaves_where(&x.condition, true)))
        })
        .collect()
}
