//! Running a bound plan over a dataset: event queries, sequences and samples, then the
//! `head`/`tail` pipes and the `size` limit.

pub mod keys;
pub mod order;
pub mod results;
pub mod sample;
pub mod sequence;

use crate::data::{Dataset, Value};
use crate::eval::{matches, Ctx};
use crate::plan::{KeyField, Plan, PlanKind, ResultPosition};
use crate::syntax::ast::PipeKind;
use crate::syntax::QueryError;
pub use results::{Match, MatchKind, Results, Slot};

/// Runs the plan. Fails only when binding fails (an unknown field with a mapping given).
pub fn run(plan: &Plan, data: &Dataset) -> Result<Results, Vec<QueryError>> {
    let prepared = Prepared::new(data, plan.timestamp, plan.tiebreaker);
    run_prepared(plan, data, &prepared, &prepared.order)
}

/// The events in query order, worked out once for every plan over the same dataset with the
/// same timestamp and tiebreaker fields (a rule pack's rules mostly share them).
pub struct Prepared {
    pub ts: Vec<Option<i64>>,
    pub order: Vec<usize>,
    pub timestamp: crate::data::FieldId,
    pub tiebreaker: Option<crate::data::FieldId>,
}

impl Prepared {
    pub fn new(data: &Dataset, timestamp: crate::data::FieldId, tiebreaker: Option<crate::data::FieldId>) -> Prepared {
        let ts = order::timestamps(data, timestamp);
        let order = order::sorted_events(data, &ts, tiebreaker);
        Prepared { ts, order, timestamp, tiebreaker }
    }
}

/// Runs the plan over `events`, a part of `prepared.order` (in its order) that holds every
/// event any term of an event or sequence query can match — events that match no term change
/// no sequence, so the results are those of the whole order. A sample query reads every event.
pub fn run_prepared(plan: &Plan, data: &Dataset, prepared: &Prepared, events: &[usize]) -> Result<Results, Vec<QueryError>> {
    if (prepared.timestamp, prepared.tiebreaker) != (plan.timestamp, plan.tiebreaker) {
        // Prepared for other fields: this plan's own order, whole.
        return run(plan, data);
    }
    let bound = plan.bind(data)?;
    let ts = &prepared.ts;
    let events_without_timestamp = ts.iter().filter(|t| t.is_none()).count();
    let order = events;
    let matches_found = match &plan.kind {
        PlanKind::Event(term) => order
            .iter()
            .copied()
            .filter(|&e| matches(&bound.filters[0], Ctx::new(data, e)))
            .map(|e| Match {
                kind: MatchKind::Event,
                join_keys: Vec::new(),
                events: vec![Slot::Event { event: e, term: term.source_term }],
            })
            .collect(),
        PlanKind::Sequence { terms, until, maxspan } => {
            let input = sequence::SequenceInput {
                data,
                order,
                ts,
                terms,
                filters: &bound.filters,
                until: until.as_ref().zip(bound.until.as_ref()),
                maxspan: *maxspan,
            };
            // Listed as they complete, i.e. by their last event (Elasticsearch's spec tests
            // `sequenceWithMoreThan10Results` fixes this order).
            sequence::run(&input).into_iter().map(|(m, _)| m).collect()
        }
        PlanKind::Sample { terms } => {
            sample::run(data, terms, &bound.filters, plan.settings.max_samples_per_key)
        }
    };
    let limited = limit(matches_found, plan);
    Ok(Results { matches: limited, events_without_timestamp, warnings: bound.warnings })
}

/// Applies the pipes in order, then `size` at the end the last pipe (or `result_position`) names.
/// [`run`] does this last; a caller with the unlimited matches of the same plan (the near-miss
/// report's) gets the same results from it without running the query again.
pub fn limit(mut items: Vec<Match>, plan: &Plan) -> Vec<Match> {
    // Samples come in key order and `size` keeps the first ones, whatever result_position says.
    let mut position = match plan.kind {
        PlanKind::Sample { .. } => ResultPosition::Head,
        _ => plan.settings.result_position,
    };
    for &(kind, n) in &plan.pipes {
        match kind {
            PipeKind::Head => {
                items.truncate(n);
                position = ResultPosition::Head;
            }
            PipeKind::Tail => {
                let skip = items.len().saturating_sub(n);
                items.drain(..skip);
                position = ResultPosition::Tail;
            }
        }
    }
    if let Some(size) = plan.settings.size {
        match position {
            ResultPosition::Head => items.truncate(size),
            ResultPosition::Tail => {
                let skip = items.len().saturating_sub(size);
                items.drain(..skip);
            }
        }
    }
    items
}

/// Join-key values as shown in results (dates formatted).
pub(crate) fn display_keys(data: &Dataset, fields: &[KeyField], key: Vec<Value>) -> Vec<Value> {
    key.into_iter()
        .zip(fields)
        .map(|(v, kf)| {
            let ty = &data.fields().get(kf.field).ty;
            order::key_value(ty, v.as_val())
        })
        .collect()
}
