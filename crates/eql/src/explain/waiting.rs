//! For a partial sequence still pending at the end of the input: the events that came closest
//! to completing it. Analysts ask "why did my sequence not match?"; the three answers that
//! cover most cases are an event in the wrong order, an event of another process (host, user…),
//! and an event of the right process that does not meet the next term's condition.

use crate::data::{Dataset, Value};
use crate::engine::keys::{event_keys, Key};
use crate::engine::sequence::SequenceInput;
use crate::eval::{matches, Ctx};
use serde::Serialize;
use std::collections::HashMap;

/// What happened around a pending partial, for the term it was waiting for. Each part is
/// optional and independent; the event numbers are dataset indices. With `maxspan`, later
/// events count only up to maxspan after the partial's first event (after that none could
/// have completed it).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Waiting {
    /// The nearest event *before* the partial's last one that has its join key and matches the
    /// awaited term: it came too early, as a sequence's events must follow each other.
    pub earlier_same_key: Option<usize>,
    /// The first later event with the partial's join key; it does not match the awaited term
    /// (or it would have advanced the partial), so explaining it against that term says why.
    pub later_same_key: Option<usize>,
    /// The first later event that matches the awaited term, but with another join key.
    pub later_other_key: Option<OtherKey>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OtherKey {
    pub event: usize,
    /// Its join keys as results show them: one per value of a multi-valued key field, none
    /// when it lacks a (non-optional) key field.
    pub join_keys: Vec<Vec<Value>>,
    /// Where its (first) key differs from the partial's: the key field's path and its value
    /// there, as results show it. Empty when it has no key.
    pub differences: Vec<(String, Value)>,
}

/// A pending partial to explain: its key, its events, and the plan term it waits for.
pub(super) struct Pending<'k> {
    pub key: &'k Key,
    pub events: &'k [usize],
    pub term: usize,
}

/// One [`Waiting`] per pending partial, in the order given. `place` is each event's position
/// in the event order. One pass over the events per awaited term.
pub(super) fn explain_waits(input: &SequenceInput, place: &[usize], pending: &[Pending]) -> Vec<Waiting> {
    let mut out = vec![Waiting::default(); pending.len()];
    let mut terms: Vec<usize> = pending.iter().map(|p| p.term).collect();
    terms.sort_unstable();
    terms.dedup();
    for t in terms {
        scan_term(input, place, pending, t, &mut out);
    }
    out
}

fn scan_term(input: &SequenceInput, place: &[usize], pending: &[Pending], t: usize, out: &mut [Waiting]) {
    let data: &Dataset = input.data;
    let key_fields = &input.terms[t].keys;
    let last_place = |p: &Pending| p.events.last().map_or(0, |&e| place[e]);
    // Later events count only while they could still complete the partial (maxspan).
    let deadline = |p: &Pending| match (input.maxspan, p.events.first().and_then(|&e| input.ts[e])) {
        (Some(span), Some(first)) => first.saturating_add(span),
        _ => i64::MAX,
    };
    // The partials waiting for `t`: by key, and in the order their last events come.
    let mut by_key: HashMap<&Key, Vec<usize>> = HashMap::new();
    let mut by_last: Vec<usize> = Vec::new();
    for (i, p) in pending.iter().enumerate().filter(|(_, p)| p.term == t) {
        by_key.entry(p.key).or_default().push(i);
        by_last.push(i);
    }
    by_last.sort_by_key(|&i| last_place(&pending[i]));
    let mut next_started = 0;
    // Partials whose last event is behind us, still in time, without a later event of the
    // other kind / of the same key yet.
    let mut open_other: Vec<usize> = Vec::new();
    let mut open_same: Vec<usize> = Vec::new();

    for (at, &e) in input.order.iter().enumerate() {
        let Some(ts) = input.ts[e] else {
            continue; // the state machine skips events without a timestamp
        };
        while let Some(&i) = by_last.get(next_started) {
            if last_place(&pending[i]) >= at {
                break;
            }
            open_other.push(i);
            open_same.push(i);
            next_started += 1;
        }
        open_other.retain(|&i| ts <= deadline(&pending[i]));
        open_same.retain(|&i| ts <= deadline(&pending[i]));
        if next_started == by_last.len() && open_other.is_empty() && open_same.is_empty() {
            break; // every partial has its answers
        }
        let hit = matches(&input.filters[t], Ctx::new(data, e));
        if !hit && open_same.is_empty() {
            continue; // nothing this event could tell (keys are costly to build)
        }
        let keys = event_keys(data, e, key_fields);
        let mut found_same = false;
        for key in &keys {
            for &i in by_key.get(key).map(Vec::as_slice).unwrap_or_default() {
                let last = last_place(&pending[i]);
                if at < last && hit && !pending[i].events.contains(&e) {
                    out[i].earlier_same_key = Some(e);
                } else if at > last && !hit && out[i].later_same_key.is_none() && ts <= deadline(&pending[i]) {
                    out[i].later_same_key = Some(e);
                    found_same = true;
                }
            }
        }
        if found_same {
            open_same.retain(|&i| out[i].later_same_key.is_none());
        }
        if hit && !open_other.is_empty() {
            let mut shown: Option<Vec<Vec<Value>>> = None;
            open_other.retain(|&i| {
                if keys.contains(pending[i].key) {
                    return true;
                }
                let join_keys = shown
                    .get_or_insert_with(|| {
                        keys.iter().map(|k| crate::engine::display_keys(data, key_fields, k.clone())).collect()
                    })
                    .clone();
                let differences = match (keys.first(), join_keys.first()) {
                    (Some(theirs), Some(shown)) => (0..key_fields.len())
                        .filter(|&k| theirs.get(k) != pending[i].key.get(k))
                        .filter_map(|k| {
                            let path = data.fields().get(key_fields[k].field).path.clone();
                            Some((path, shown.get(k)?.clone()))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                out[i].later_other_key = Some(OtherKey { event: e, join_keys, differences });
                false
            });
        }
    }
}
