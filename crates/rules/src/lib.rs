//! Detection rules for the EQL Playground: loading (detection-rules TOML,
//! Kibana JSON / NDJSON export), the investigation guide as a checklist, the
//! analyst's progress through it, and a Markdown triage report.
//!
//! No I/O: callers hand in text, so this builds for wasm32 too.
//!
//! Features: `read` (rule files; brings `toml`) and `guide` (guides → checklists; brings
//! `pulldown-cmark`). Without them the crate is the model, progress and report only: what the
//! page needs once a rule has been read (see [`RuleBundle`]).

mod bundle;
pub mod checklist;
pub mod collection;
mod de;
mod error;
pub mod export;
pub mod exceptions;
pub mod fields;
pub mod pack;
#[cfg(feature = "read")]
mod load;
mod mdescape;
mod model;
pub mod overview;
pub mod report;
pub mod schedule;
pub mod simulate;
#[cfg(feature = "read")]
mod seed;
mod state;
mod wire;

pub use bundle::RuleBundle;
#[cfg(feature = "guide")]
pub use checklist::build as build_checklist;
pub use checklist::{Checklist, ChecklistError, Section, Segment, Step, StepRef};
pub use error::{RuleError, RuleErrorKind};
#[cfg(feature = "read")]
pub use load::{first_eql_rule, load_rule, load_rules, load_rules_partial, Format};
pub use model::{
    InvestigateBlock, Metadata, OsqueryBlock, OsqueryTransform, Rule, Subtechnique, Tactic,
    Technique, Threat, Transform, DEFAULT_MAX_SIGNALS,
};
pub use report::AlertSummary;
pub use schedule::Schedule;
#[cfg(feature = "read")]
pub use seed::{seed_rule, SEED_RULE_TOML};
pub use state::{ChecklistState, Progress, StepState};
