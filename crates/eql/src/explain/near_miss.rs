//! Near misses: the partial sequences that started but never became results, from the same
//! run of the state machine that produces the results.

use crate::data::{Dataset, Value};
use crate::engine::keys::Key;
use crate::engine::sequence::{self, Observer, PartialEnd, SequenceInput};
use crate::engine::{order, Match};
use crate::plan::{Bound, Plan, PlanKind};
use super::waiting::{explain_waits, Pending, Waiting};
use serde::Serialize;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// How many near misses [`near_misses`] callers usually keep.
pub const DEFAULT_NEAR_MISS_LIMIT: usize = 100;

/// Why a partial sequence never became a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum EndReason {
    /// Still waiting for its next term when the input ended.
    Pending,
    /// Event `by` started or advanced a newer partial for the same key into the same stage
    /// (each key keeps one partial per stage: the newest).
    Replaced { by: usize },
    /// Event `by` matched the next term for this key, but after maxspan had passed.
    Expired { by: usize },
    /// Event `by` matched the `until` term for this key.
    Until { by: usize },
    /// Every positive term matched, but a missing-event term's event rules it out.
    RejectedByMissingEvent,
}

/// A partial sequence that ended without a result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NearMiss {
    /// The join key values, as results show them.
    pub join_keys: Vec<Value>,
    /// The events matched so far (dataset indices), one per positive term, in order.
    pub events: Vec<usize>,
    /// How many of the positive (non-missing) terms matched.
    pub matched: usize,
    /// How many positive terms the sequence has.
    pub stages: usize,
    /// The plan term the partial was waiting for (`None` once every positive term matched).
    pub next_term: Option<usize>,
    pub end: EndReason,
    /// For a partial still pending at the end: the events closest to completing it.
    pub waiting: Option<Waiting>,
}

/// How many near misses ended each way (over all of them, not only those kept).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EndCounts {
    pub pending: usize,
    pub replaced: usize,
    pub expired: usize,
    pub until: usize,
    pub rejected_by_missing_event: usize,
}

/// The near misses of a sequence query, with the results of the same run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NearMisses {
    /// The furthest-reaching near misses (most terms matched first, then by their first
    /// event's place in the event order), at most the limit asked for.
    pub near_misses: Vec<NearMiss>,
    /// How many near misses there were in all.
    pub total: usize,
    pub counts: EndCounts,
    /// Every sequence the run completed, in result order, before `head`/`tail` and `size`.
    pub matches: Vec<Match>,
}

/// Runs the sequence query of `plan` (bound to `data`) and reports the partial sequences that
/// never became results, keeping the `limit` furthest-reaching. Not a sequence query: empty.
pub fn near_misses(plan: &Plan, bound: &Bound, data: &Dataset, limit: usize) -> NearMisses {
    let PlanKind::Sequence { terms, until, maxspan } = &plan.kind else { return NearMisses::default() };
    let ts = order::timestamps(data, plan.timestamp);
    let event_order = order::sorted_events(data, &ts, plan.tiebreaker);
    let input = SequenceInput {
        data,
        order: &event_order,
        ts: &ts,
        terms,
        filters: &bound.filters,
        until: until.as_ref().zip(bound.until.as_ref()),
        maxspan: *maxspan,
    };
    let mut place = vec![usize::MAX; data.len()];
    for (i, &e) in event_order.iter().enumerate() {
        place[e] = i;
    }
    let mut collector =
        Collector { limit, place, kept: BinaryHeap::new(), ended: 0, total: 0, counts: EndCounts::default() };
    let matches = sequence::run_observed(&input, &mut collector).into_iter().map(|(m, _)| m).collect();

    let positive: Vec<usize> = (0..terms.len()).filter(|&t| !terms[t].missing).collect();
    let key_fields = positive.first().map_or(&[][..], |&t| &terms[t].keys[..]);
    let mut kept = collector.kept.into_vec();
    kept.sort();
    let next_term = |k: &Kept| positive.get(k.events.len()).copied();
    let pending: Vec<Pending> = kept
        .iter()
        .filter(|k| k.end == EndReason::Pending)
        .filter_map(|k| Some(Pending { key: &k.key, events: &k.events, term: next_term(k)? }))
        .collect();
    let mut waits = explain_waits(&input, &collector.place, &pending).into_iter();
    drop(pending);
    let near_misses = kept
        .into_iter()
        .map(|k| NearMiss {
            matched: k.events.len(),
            stages: positive.len(),
            next_term: next_term(&k),
            waiting: if k.end == EndReason::Pending && next_term(&k).is_some() { waits.next() } else { None },
            join_keys: crate::engine::display_keys(data, key_fields, k.key),
            events: k.events,
            end: k.end,
        })
        .collect();
    NearMisses { near_misses, total: collector.total, counts: collector.counts, matches }
}

struct Collector {
    limit: usize,
    /// Each event's place in the event order.
    place: Vec<usize>,
    /// The best `limit` so far; the worst on top.
    kept: BinaryHeap<Kept>,
    /// Partials reported so far (the last tiebreak, for a stable order).
    ended: usize,
    total: usize,
    counts: EndCounts,
}

struct Kept {
    rank: (Reverse<usize>, usize, usize),
    key: Key,
    events: Vec<usize>,
    end: EndReason,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Furthest first, then by first event; then by key and report order, so that partials still
/// pending at the end (reported in hash order) come out the same on every run.
impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.rank.0, self.rank.1, &self.key, self.rank.2).cmp(&(other.rank.0, other.rank.1, &other.key, other.rank.2))
    }
}

impl Observer for Collector {
    const ACTIVE: bool = true;

    fn ended(&mut self, key: &Key, events: &[usize], how: PartialEnd) {
        let end = match how {
            PartialEnd::Completed => return,
            PartialEnd::RejectedByMissing => {
                self.counts.rejected_by_missing_event += 1;
                EndReason::RejectedByMissingEvent
            }
            PartialEnd::Replaced { by } => {
                self.counts.replaced += 1;
                EndReason::Replaced { by }
            }
            PartialEnd::Expired { by } => {
                self.counts.expired += 1;
                EndReason::Expired { by }
            }
            PartialEnd::Until { by } => {
                self.counts.until += 1;
                EndReason::Until { by }
            }
            PartialEnd::Pending => {
                self.counts.pending += 1;
                EndReason::Pending
            }
        };
        self.total += 1;
        self.ended += 1;
        let first = events.first().map_or(usize::MAX, |&e| self.place.get(e).copied().unwrap_or(usize::MAX));
        let rank = (Reverse(events.len()), first, self.ended);
        if self.kept.len() >= self.limit {
            let better = |worst: &Kept| (rank.0, rank.1, key) < (worst.rank.0, worst.rank.1, &worst.key);
            match self.kept.peek() {
                Some(worst) if better(worst) => {
                    self.kept.pop();
                }
                _ => return,
            }
        }
        self.kept.push(Kept { rank, key: key.clone(), events: events.to_vec(), end });
    }
}
