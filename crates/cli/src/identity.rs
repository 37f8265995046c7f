//! A result's identity across two runs over the same events (each run reads them for its own
//! fields, so dataset indices differ): its events by where they were read, `None` for a
//! missing-event slot.

pub type Origin = (u32, u32);

/// The (input, line) of each event of `m`.
pub fn events(data: &eql::Dataset, m: &eql::Match) -> Vec<Option<Origin>> {
    m.events
        .iter()
        .map(|s| match *s {
            eql::Slot::Event { event, .. } => Some(origin(data, event)),
            eql::Slot::Missing { .. } => None,
        })
        .collect()
}

pub fn origin(data: &eql::Dataset, event: usize) -> Origin {
    let o = data.origin(event);
    (o.input, o.line)
}
