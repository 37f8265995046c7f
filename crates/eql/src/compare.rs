//! Two runs over the same events, result by result. Each run reads the events for its own
//! fields, so dataset indices differ between runs; a result is known by its kind and the
//! (input, line) its events were read from, in order — the same result in both runs when those
//! are the same. Used by `eqlplay diff`, `eqlplay match --exceptions` and the page's comparison.

use crate::{Dataset, Match, MatchKind, Slot};
use std::collections::HashSet;

/// Where an event was read: (input, 1-based line).
pub type Origin = (u32, u32);

/// A result as two runs over the same events can recognise it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    pub kind: MatchKind,
    /// Each slot's event by origin; `None` for a missing-event slot.
    pub events: Vec<Option<Origin>>,
}

impl Identity {
    pub fn of(data: &Dataset, m: &Match) -> Identity {
        let events = m
            .events
            .iter()
            .map(|s| match *s {
                Slot::Event { event, .. } => Some(origin(data, event)),
                Slot::Missing { .. } => None,
            })
            .collect();
        Identity { kind: m.kind, events }
    }

    /// The origin of its first event (where it sorts).
    pub fn first(&self) -> Origin {
        self.events.iter().flatten().next().copied().unwrap_or_default()
    }
}

pub fn origin(data: &Dataset, event: usize) -> Origin {
    let o = data.origin(event);
    (o.input, o.line)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Only the second run has it.
    Gained,
    /// Only the first run has it.
    Lost,
    /// Both have it.
    Kept,
}

/// One result of either run: what happened to it, and its index in the run that has it (the
/// first run's for `Kept` and `Lost`, the second's for `Gained`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changed {
    pub change: Change,
    pub index: usize,
}

/// Every result of either run, in the order of their first events (a kept one once).
pub fn changes(a: &[Identity], b: &[Identity]) -> Vec<Changed> {
    let in_a: HashSet<&Identity> = a.iter().collect();
    let in_b: HashSet<&Identity> = b.iter().collect();
    let mut rows: Vec<(Origin, Changed)> = Vec::with_capacity(a.len() + b.len());
    for (index, id) in a.iter().enumerate() {
        let change = if in_b.contains(id) { Change::Kept } else { Change::Lost };
        rows.push((id.first(), Changed { change, index }));
    }
    for (index, id) in b.iter().enumerate().filter(|(_, id)| !in_a.contains(id)) {
        rows.push((id.first(), Changed { change: Change::Gained, index }));
    }
    // At one origin, the first run's results come first, each run's in its own order.
    rows.sort_unstable_by_key(|(first, c)| (*first, c.change == Change::Gained, c.index));
    rows.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(lines: &[u32]) -> Identity {
        Identity { kind: MatchKind::Sequence, events: lines.iter().map(|&l| Some((0, l))).collect() }
    }

    #[test]
    fn results_are_gained_lost_or_kept_by_their_events() {
        let a = [id(&[14, 15]), id(&[20, 21])];
        let b = [id(&[3, 4]), id(&[14, 15]), id(&[20, 22])];
        let got: Vec<(Change, usize)> = changes(&a, &b).iter().map(|c| (c.change, c.index)).collect();
        assert_eq!(got, [(Change::Gained, 0), (Change::Kept, 0), (Change::Lost, 1), (Change::Gained, 2)]);
    }

    #[test]
    fn a_missing_slot_and_the_kind_are_part_of_the_identity() {
        let with_gap = Identity { kind: MatchKind::Sequence, events: vec![Some((0, 14)), None] };
        let sample = Identity { kind: MatchKind::Sample, events: vec![Some((0, 14)), Some((0, 15))] };
        let got = changes(&[id(&[14, 15])], &[with_gap, sample]);
        assert_eq!(got.iter().filter(|c| c.change == Change::Gained).count(), 2);
    }
}
