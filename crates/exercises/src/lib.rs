//! Exercise packs: an instructor's TOML file of exercises over NDJSON datasets, and the checker
//! that grades a learner's query (or answer) against them — used by `eqlplay exercise` and by
//! the page's training mode, so both give the same verdict and the same feedback.
//!
//! Data flows one way: [`pack`] (TOML → the pack model, with file:line errors) → [`load`]
//! (the pack's datasets, read through the caller's callback, and its cross-references checked)
//! → [`check`] (one submission → a [`Report`]: counts, explanations of the misses, structural
//! [`diagnose`] notes) → [`validate`] (every reference solves its exercise; every listed wrong
//! answer fails with its intended feedback).

//!
//! Without the default `check` feature the crate is only [`view`], [`course_text`] and
//! [`report`]: what the page draws, handed over by the trainer module that does the reading and grading.

#[cfg(feature = "check")]
pub mod check;
pub mod course_text;
#[cfg(feature = "check")]
pub mod diagnose;
#[cfg(feature = "check")]
mod events;
#[cfg(feature = "check")]
mod explain;
#[cfg(feature = "check")]
pub mod files;
#[cfg(feature = "check")]
pub mod load;
#[cfg(feature = "check")]
pub mod pack;
pub mod report;
#[cfg(feature = "check")]
mod results;
#[cfg(feature = "check")]
pub mod validate;
pub mod view;

#[cfg(feature = "check")]
pub use check::{check, Options, Submission};
#[cfg(feature = "check")]
pub use files::PackFiles;
#[cfg(feature = "check")]
pub use load::{load, LoadedPack, PackError};
#[cfg(feature = "check")]
pub use pack::{Compare, Exercise, Mode, Pack};
pub use report::{Feedback, Report};
#[cfg(feature = "check")]
pub use validate::validate;
