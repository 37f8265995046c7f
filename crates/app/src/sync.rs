//! Keeping the worker in step with what the user typed, as a plain state machine (no browser
//! types, so it is tested natively).
//!
//! The page numbers its inputs: the events by a *data version*, each run it asks for by a
//! *generation*. Every answer names the run it came from, and the page shows an answer only when
//! nothing changed since that run was asked for. At most one run is in flight: edits made
//! meanwhile are coalesced into the next run, sent as soon as the answer arrives, so after the
//! last edit the page settles within one debounce plus one run, whatever the worker was busy
//! with. Nothing here keys on addresses or on values a response replaces.

/// What to send to the worker when inputs are flushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flush {
    /// The events changed: send them first, under this data version.
    pub data: Option<u32>,
    /// Then run the query as this generation.
    pub generation: u32,
}

/// What to do with a run's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// They describe the latest inputs: show them.
    Show,
    /// Inputs changed since (or it is an answer to an older request): drop them.
    Stale,
}

#[derive(Debug, Default)]
pub struct Sync {
    /// The version of the page's latest events.
    data: u32,
    /// The version the worker holds (0: none, as after a restart).
    data_sent: u32,
    /// The latest run asked for.
    generation: u32,
    /// That run's answer has not arrived yet.
    in_flight: bool,
    /// Inputs changed since the latest run was asked for.
    dirty: bool,
}

impl Sync {
    /// The events changed; returns their new data version.
    pub fn events_changed(&mut self) -> u32 {
        self.data = self.data.wrapping_add(1).max(1);
        self.dirty = true;
        self.data
    }

    /// The query or a setting changed.
    pub fn input_changed(&mut self) {
        self.dirty = true;
    }

    /// The debounce is over: what to send now. Nothing while a run is in flight (its answer
    /// will flush again) or when nothing changed.
    pub fn flush(&mut self) -> Option<Flush> {
        if !self.dirty || self.in_flight {
            return None;
        }
        let data = (self.data_sent != self.data).then_some(self.data);
        self.data_sent = self.data;
        self.generation = self.generation.wrapping_add(1);
        self.in_flight = true;
        self.dirty = false;
        Some(Flush { data, generation: self.generation })
    }

    /// A run's results arrived, computed over data `version`.
    pub fn results(&mut self, generation: u32, version: u32) -> Verdict {
        if generation != self.generation {
            return Verdict::Stale;
        }
        self.in_flight = false;
        if self.dirty || version != self.data {
            Verdict::Stale
        } else {
            Verdict::Show
        }
    }

    /// The worker failed the latest run (or was restarted): it is no longer busy with it.
    pub fn run_ended(&mut self, generation: u32) {
        if generation == self.generation {
            self.in_flight = false;
        }
    }

    /// The worker was replaced: it holds no events and runs nothing.
    pub fn worker_restarted(&mut self) {
        self.data_sent = 0;
        self.in_flight = false;
    }

    /// Cancel: the worker was replaced and the events changed back (to the events box's text),
    /// but nothing runs until the next edit.
    pub fn cancelled(&mut self) {
        self.worker_restarted();
        self.data = self.data.wrapping_add(1).max(1);
        self.dirty = false;
    }

    /// Whether a flush should follow at once (edits arrived while a run was in flight and the
    /// debounce is already over).
    pub fn wants_flush(&self) -> bool {
        self.dirty && !self.in_flight
    }

    /// Nothing changed since the latest run and its answer is in.
    pub fn settled(&self) -> bool {
        !self.dirty && !self.in_flight
    }

    pub fn data_version(&self) -> u32 {
        self.data
    }

    pub fn generation(&self) -> u32 {
        self.generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_flush_sends_the_events_then_runs() {
        let mut s = Sync::default();
        let v = s.events_changed();
        assert!(!s.settled());
        assert_eq!(s.flush(), Some(Flush { data: Some(v), generation: 1 }));
        assert_eq!(s.flush(), None, "one run in flight at a time");
        assert_eq!(s.results(1, v), Verdict::Show);
        assert!(s.settled());
        assert_eq!(s.flush(), None, "nothing changed");
    }

    #[test]
    fn a_query_edit_runs_again_without_resending_events() {
        let mut s = Sync::default();
        let v = s.events_changed();
        let _ = s.flush();
        s.results(1, v);
        s.input_changed();
        assert_eq!(s.flush(), Some(Flush { data: None, generation: 2 }));
    }

    #[test]
    fn results_for_inputs_edited_since_are_dropped_and_the_latest_runs_next() {
        let mut s = Sync::default();
        let v1 = s.events_changed();
        let _ = s.flush();
        let v2 = s.events_changed(); // typed while run 1 was in flight
        assert_eq!(s.flush(), None);
        assert_eq!(s.results(1, v1), Verdict::Stale);
        assert!(s.wants_flush());
        assert_eq!(s.flush(), Some(Flush { data: Some(v2), generation: 2 }));
        assert_eq!(s.results(2, v2), Verdict::Show);
    }

    #[test]
    fn after_cancel_nothing_runs_until_an_edit_which_resends_the_events() {
        let mut s = Sync::default();
        let v = s.events_changed();
        let _ = s.flush();
        s.cancelled();
        assert!(s.settled());
        assert_eq!(s.flush(), None);
        assert_eq!(s.results(1, v), Verdict::Stale);
        s.input_changed();
        assert_eq!(s.flush(), Some(Flush { data: Some(v + 1), generation: 2 }));
    }

    #[test]
    fn a_restarted_worker_is_sent_the_events_again() {
        let mut s = Sync::default();
        let v = s.events_changed();
        let _ = s.flush();
        s.worker_restarted();
        s.input_changed();
        assert_eq!(s.flush(), Some(Flush { data: Some(v), generation: 2 }));
        assert_eq!(s.results(1, v), Verdict::Stale, "an answer from before the restart");
    }

    /// A tiny model of page and worker: any interleaving of edits, debounce expiries and
    /// worker answers ends with the page showing the result of its final inputs.
    #[test]
    fn any_interleaving_converges_to_the_latest_inputs() {
        use std::collections::VecDeque;
        // xorshift, so the test needs no dependency and every seed is reproducible.
        fn next(state: &mut u64) -> u64 {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        }
        /// The page's inputs (events, query), the worker's queue and events, answers in flight.
        #[derive(Default)]
        struct World {
            events: u32,
            query: u32,
            versions: Vec<(u32, u32)>,
            queue: VecDeque<(Option<(u32, u32)>, u32, u32)>,
            worker: Option<(u32, u32)>,
            answers: VecDeque<(u32, u32, (u32, u32))>,
            shown: Option<(u32, u32)>,
        }
        impl World {
            fn flush(&mut self, s: &mut Sync) {
                if let Some(f) = s.flush() {
                    let data = f.data.map(|v| (v, self.versions.iter().find(|(w, _)| *w == v).map_or(0, |x| x.1)));
                    self.queue.push_back((data, f.generation, self.query));
                }
            }
            fn work(&mut self) {
                if let Some((data, generation, query)) = self.queue.pop_front() {
                    self.worker = data.or(self.worker);
                    let (v, e) = self.worker.unwrap_or((0, 0));
                    self.answers.push_back((generation, v, (e, query)));
                }
            }
            fn answer(&mut self, s: &mut Sync) {
                if let Some((generation, v, result)) = self.answers.pop_front() {
                    if s.results(generation, v) == Verdict::Show {
                        self.shown = Some(result);
                    }
                }
            }
        }
        for seed in 1..=500u64 {
            let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut s = Sync::default();
            let mut w = World::default();
            w.versions.push((s.events_changed(), 0));
            for _ in 0..60 {
                match next(&mut rng) % 5 {
                    0 => {
                        w.events += 1;
                        w.versions.push((s.events_changed(), w.events));
                    }
                    1 => {
                        w.query += 1;
                        s.input_changed();
                    }
                    2 => w.flush(&mut s),
                    3 => w.work(),
                    _ => w.answer(&mut s),
                }
            }
            // The user stops; debounces expire and the worker drains its queue.
            for _ in 0..10 {
                w.flush(&mut s);
                while !w.queue.is_empty() {
                    w.work();
                }
                while !w.answers.is_empty() {
                    w.answer(&mut s);
                }
            }
            assert!(s.settled(), "seed {seed}: settled");
            assert_eq!(w.shown, Some((w.events, w.query)), "seed {seed}: the page shows its final inputs");
        }
    }
}
