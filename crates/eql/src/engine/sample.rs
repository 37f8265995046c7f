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
                if lists[t].last() != Some(&e) {
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
        let mut used = Vec::new();
        for _ in 0..max_per_key.max(1) {
            let mut chosen = Vec::with_capacity(terms.len());
            if !pick(&lists, 0, &used, &mut chosen) {
                break;
            }
            used.extend_from_slice(&chosen);
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

/// Depth-first choice of distinct events, one per filter, earliest candidates first.
fn pick(lists: &[Vec<usize>], filter: usize, used: &[usize], chosen: &mut Vec<usize>) -> bool {
    if filter == lists.len() {
        return true;
    }
    for &e in &lists[filter] {
        if chosen.contains(&e) || used.contains(&e) {
            continue;
        }
        chosen.push(e);
        if pick(lists, filter + 1, used, chosen) {
            return true;
        }
        chosen.pop();
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
