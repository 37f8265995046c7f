//! Exercise packs: an instructor's TOML file of exercises over NDJSON datasets, and the checker
//! that grades a learner's query (or answer) against them — used by `eqlplay exercise` and by
//! the page's training mode, so both give the same verdict and the same feedback.
//!
//! Data flows one way: [`pack`] (TOML → the pack model, with file:line errors) → [`load`]
//! (the pack's datasets, read through the caller's callback, and its cross-references checked)
//! → [`check`] (one submission → a [`Report`]: counts, explanations of the misses, structural
//! [`diagnose`] notes) → [`validate`] (every reference solves its exercise; every listed wrong
//! answer fails with its intended feedback).

pub mod check;
pub mod diagnose;
mod explain;
mod events;
pub mod load;
pub mod pack;
mod results;
pub mod validate;

pub use check::{check, Feedback, Options, Report, Submission};
pub use load::{load, LoadedPack, PackError};
pub use pack::{Compare, Exercise, Mode, Pack};
pub use validate::validate;
