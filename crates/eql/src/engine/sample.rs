//! Samples: for each combination of join-key values (in ascending key order), one event per
//! filter, no event filling two filters; up to `max_samples_per_key` samples per key.
//! Events need no timestamp and appear in filter order.

use super::keys::{event_keys, Key};
use super::results::{Match, MatchKind, Slot};
use crate::data::{Dataset, FieldType, Value};
use crate::eval::{matches, Ctx};
use crate::plan::node::Node;
use crate::plan::PlanTerm;
use std::collections::BTreeMap;

pub fn run(data: &Dataset, terms: &[PlanTerm], filters: &[Node], max_per_key: usize) -> Vec<Match> {
    // key -> per filter, candidate events in input order
    let mut groups: BTreeMap<Key, Vec<Vec<usize>>> = BTreeMap::new();
    for e in 0..data.len() {
        let cx = Ctx::new(data, e);
        for (t, term) in terms.iter().enumerate() {
            if !matches(&filters[t], cx) {
                continue;
            }
            for key in event_keys(data, e, &term.keys) {
                let lists = groups.entry(key).or_insert_with(|| vec![Vec::new(); terms.len()]);
                // Enough candidates to fill every sample; bounds the search below.
                if lists[t].last() != Some(&e) && lists[t].len() < max_per_key.max(1) + terms.len() {
                    lists[t].push(e);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (key, lists) in groups {
        if lists.iter().any(Vec::is_empty) {
            continue;
        }
        let mut samples = Vec::new();
        pick(&lists, &mut Vec::with_capacity(terms.len()), &mut samples, max_per_key.max(1));
        for chosen in samples {
            let events = chosen
                .iter()
                .enumerate()
                .map(|(t, &e)| Slot::Event { event: e, term: terms[t].source_term })
                .collect();
            let join_keys = sample_keys(data, &terms[0], &key);
            out.push(Match { kind: MatchKind::Sample, join_keys, events });
        }
    }
    out
}

/// Depth-first enumeration of samples — one event per filter, no event twice in a sample —
/// earliest candidates first, stopping at `limit` samples (Elasticsearch's `matchSamples`).
/// Returns whether the limit was reached.
fn pick(lists: &[Vec<usize>], chosen: &mut Vec<usize>, out: &mut Vec<Vec<usize>>, limit: usize) -> bool {
    let filter = chosen.len();
    if filter == lists.len() {
        out.push(chosen.clone());
        return out.len() >= limit;
    }
    for &e in &lists[filter] {
        if chosen.contains(&e) {
            continue;
        }
        chosen.push(e);
        let done = pick(lists, chosen, out, limit);
        chosen.pop();
        if done {
            return true;
        }
    }
    false
}

/// Sample keys come from a composite aggregation: dates as epoch milliseconds.
fn sample_keys(data: &Dataset, term: &PlanTerm, key: &Key) -> Vec<Value> {
    key.iter()
        .zip(&term.keys)
        .map(|(v, kf)| match (&data.fields().get(kf.field).ty, v) {
            (FieldType::Date(_) | FieldType::DateNanos(_), Value::Int(n)) => Value::Int(n.div_euclid(1_000_000)),
            _ => v.clone(),
        })
        .collect()
}
