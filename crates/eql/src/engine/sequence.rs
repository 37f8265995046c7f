//! Sequences, as Elasticsearch matches them: per join key, each stage holds at most one pending
//! partial sequence — the newest. An event advances partials from the last stage to the first,
//! so it can complete one sequence and start another. maxspan is checked when a partial
//! advances; an `until` event drops its key's pending partials. Missing-event terms are checked
//! once the positive terms have matched.

use super::keys::{event_keys, Key};
use super::results::{Match, MatchKind, Slot};
use crate::data::Dataset;
use crate::eval::{matches, Ctx};
use crate::plan::node::Node;
use crate::plan::PlanTerm;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

pub struct SequenceInput<'a> {
    pub data: &'a Dataset,
    pub order: &'a [usize],
    pub ts: &'a [Option<i64>],
    pub terms: &'a [PlanTerm],
    pub filters: &'a [Node],
    pub until: Option<(&'a PlanTerm, &'a Node)>,
    pub maxspan: Option<i64>,
}

struct Partial {
    events: Vec<usize>,
    first_ts: i64,
}

/// How a partial sequence's life ended (what [`run_observed`] reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PartialEnd {
    /// All positive terms matched and the missing-event checks passed: a result.
    Completed,
    /// All positive terms matched, but a missing-event term's event rejected it.
    RejectedByMissing,
    /// A newer partial for the same key took its stage when `by` matched.
    Replaced { by: usize },
    /// `by` matched the next term, but too late for maxspan.
    Expired { by: usize },
    /// `by` matched the `until` term for its key.
    Until { by: usize },
    /// Still waiting when the input ended.
    Pending,
}

/// Watches the state machine: told once about every partial sequence (and every completed
/// run of the positive terms) when it ends, with its join key and events in order.
pub(crate) trait Observer {
    /// Whether the run must report partials: when false, the end-of-input and `until`
    /// walks over pending partials are skipped, so the plain run costs nothing extra.
    const ACTIVE: bool;
    fn ended(&mut self, key: &Key, events: &[usize], how: PartialEnd);
}

/// The observer of plain runs.
struct NoObserver;

impl Observer for NoObserver {
    const ACTIVE: bool = false;
    #[inline(always)]
    fn ended(&mut self, _: &Key, _: &[usize], _: PartialEnd) {}
}

/// A completed run of the positive terms, before missing-event checks.
struct Candidate {
    key: Key,
    events: Vec<usize>,
}

pub fn run(input: &SequenceInput) -> Vec<(Match, usize)> {
    run_observed(input, &mut NoObserver)
}

/// [`run`], telling `obs` how each partial sequence ended (explanations use this, so they
/// come from the very run that produces the results).
pub(crate) fn run_observed<O: Observer>(input: &SequenceInput, obs: &mut O) -> Vec<(Match, usize)> {
    let positive: Vec<usize> = (0..input.terms.len()).filter(|&i| !input.terms[i].missing).collect();
    let stages = positive.len();
    let mut state: HashMap<Key, Vec<Option<Partial>>> = HashMap::new();
    let mut candidates = Vec::new();
    // Events matching each missing term, per key, in order: (timestamp, event).
    let mut missing_hits: Vec<HashMap<Key, Vec<i64>>> = vec![HashMap::new(); input.terms.len()];

    for &e in input.order {
        let Some(ts) = input.ts[e] else { continue };
        let cx = Ctx::new(input.data, e);
        for (t, term) in input.terms.iter().enumerate() {
            if term.missing && matches(&input.filters[t], cx) {
                for key in event_keys(input.data, e, &term.keys) {
                    missing_hits[t].entry(key).or_default().push(ts);
                }
            }
        }
        for stage in (0..stages).rev() {
            let t = positive[stage];
            if !matches(&input.filters[t], cx) {
                continue;
            }
            for key in event_keys(input.data, e, &input.terms[t].keys) {
                if stage == 0 {
                    if stages == 1 {
                        candidates.push(Candidate { key, events: vec![e] });
                    } else {
                        let partial = Partial { events: vec![e], first_ts: ts };
                        match state.entry(key) {
                            Entry::Occupied(mut slots) => {
                                if let Some(old) = slots.get_mut()[0].replace(partial) {
                                    obs.ended(slots.key(), &old.events, PartialEnd::Replaced { by: e });
                                }
                            }
                            Entry::Vacant(slots) => {
                                let mut new: Vec<Option<Partial>> = (0..stages - 1).map(|_| None).collect();
                                new[0] = Some(partial);
                                slots.insert(new);
                            }
                        }
                    }
                    continue;
                }
                let Some(slots) = state.get_mut(&key) else { continue };
                let Some(mut partial) = slots[stage - 1].take() else { continue };
                if input.maxspan.is_some_and(|span| ts.saturating_sub(partial.first_ts) > span) {
                    obs.ended(&key, &partial.events, PartialEnd::Expired { by: e });
                    continue;
                }
                partial.events.push(e);
                if stage == stages - 1 {
                    candidates.push(Candidate { key, events: partial.events });
                } else if let Some(old) = slots[stage].replace(partial) {
                    obs.ended(&key, &old.events, PartialEnd::Replaced { by: e });
                }
            }
        }
        if let Some((until_term, until_filter)) = input.until {
            if matches(until_filter, cx) {
                for key in event_keys(input.data, e, &until_term.keys) {
                    let dropped = state.remove(&key);
                    if O::ACTIVE {
                        for p in dropped.iter().flatten().flatten() {
                            obs.ended(&key, &p.events, PartialEnd::Until { by: e });
                        }
                    }
                }
            }
        }
    }

    if O::ACTIVE {
        for (key, slots) in &state {
            for p in slots.iter().flatten() {
                obs.ended(key, &p.events, PartialEnd::Pending);
            }
        }
    }

    let mut out = Vec::new();
    for c in candidates {
        if !missing_ok(input, &positive, &c, &missing_hits) {
            obs.ended(&c.key, &c.events, PartialEnd::RejectedByMissing);
            continue;
        }
        obs.ended(&c.key, &c.events, PartialEnd::Completed);
        let mut slots = Vec::with_capacity(input.terms.len());
        let mut next = c.events.iter();
        for (t, term) in input.terms.iter().enumerate() {
            if term.missing {
                slots.push(Slot::missing(term.source_term));
            } else if let Some(&e) = next.next() {
                slots.push(Slot::Event { event: e, term: term.source_term });
            }
            let _ = t;
        }
        let first = c.events[0];
        let join_keys = super::display_keys(input.data, &input.terms[positive[0]].keys, c.key);
        out.push((Match { kind: MatchKind::Sequence, join_keys, events: slots }, first));
    }
    out
}

/// Elasticsearch's missing-event checks on a candidate.
fn missing_ok(input: &SequenceInput, positive: &[usize], c: &Candidate, hits: &[HashMap<Key, Vec<i64>>]) -> bool {
    let ts_of = |e: usize| input.ts[e].unwrap_or(i64::MIN);
    let first_ts = ts_of(c.events[0]);
    let last_ts = ts_of(c.events[c.events.len() - 1]);
    let span = input.maxspan.unwrap_or(i64::MAX);
    let mut leading: Option<i64> = None;
    let mut trailing: Option<i64> = None;
    let (mut has_leading, mut has_trailing) = (false, false);
    for (t, term) in input.terms.iter().enumerate() {
        if !term.missing {
            continue;
        }
        let times = hits[t].get(&c.key).map(Vec::as_slice).unwrap_or(&[]);
        let before = positive.iter().rposition(|&p| p < t);
        let after = positive.iter().position(|&p| p > t);
        match (before, after) {
            (Some(b), Some(a)) => {
                let (lo, hi) = (ts_of(c.events[b]), ts_of(c.events[a]));
                if times.iter().any(|&x| x > lo && x < hi) {
                    return false;
                }
            }
            (None, Some(_)) => {
                has_leading = true;
                let latest = times.iter().copied().filter(|&x| x < first_ts).max();
                leading = match (leading, latest) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            (Some(_), None) => {
                has_trailing = true;
                let earliest = times.iter().copied().filter(|&x| x > last_ts).min();
                trailing = match (trailing, earliest) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            (None, None) => {}
        }
    }
    match (has_leading, has_trailing) {
        (true, true) => match (leading, trailing) {
            (Some(l), Some(t)) => t.saturating_sub(l) > span,
            _ => true,
        },
        (true, false) => leading.is_none_or(|l| last_ts.saturating_sub(l) > span),
        (false, true) => trailing.is_none_or(|t| t.saturating_sub(first_ts) > span),
        (false, false) => true,
    }
}
