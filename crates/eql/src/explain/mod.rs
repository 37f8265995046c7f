//! Why an event did or did not match, and which sequences almost did.
//!
//! Both are computed with the matcher's own code, so they cannot disagree with the results:
//! - [`explain_event`] walks a bound filter and evaluates every node with the functions of
//!   [`crate::eval`] (`eval_bool`, `leaf`), recording each node's three-valued outcome and the
//!   values the leaves read;
//! - [`near_misses`] re-runs the sequence state machine of [`crate::engine::sequence`] with an
//!   observer that is told how every partial sequence ended; for those still pending at the
//!   end, `waiting` finds the events that came closest (too early, another key, or the same
//!   key without meeting the next term), evaluated with the same `matches` and `event_keys`;
//! - [`why`] puts both together for one set of events: why a query has no result of them, or
//!   what let them through.

mod near_miss;
mod predicate;
mod waiting;
pub mod why;
pub mod words;

pub use near_miss::{near_misses, EndCounts, EndReason, NearMiss, NearMisses, DEFAULT_NEAR_MISS_LIMIT};
pub use waiting::{OtherKey, Waiting};
pub use predicate::{
    explain_event, Condition, ConditionKind, FieldReading, FieldStatus, Outcome, TermExplanation, MAX_VALUES_SHOWN,
};
