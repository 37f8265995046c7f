//! Detection rules for the EQL Playground: loading (detection-rules TOML,
//! Kibana JSON / NDJSON export), the investigation guide as a checklist, the
//! analyst's progress through it, and a Markdown triage report.
//!
//! No I/O: callers hand in text, so this builds for wasm32 too.

pub mod checklist;
mod de;
mod error;
mod load;
mod mdescape;
mod model;
pub mod report;
mod schedule;
mod seed;
mod state;

pub use checklist::{
    build as build_checklist, Checklist, ChecklistError, Section, Segment, Step, StepRef,
};
pub use error::{RuleError, RuleErrorKind};
pub use load::{load_rule, load_rules, load_rules_partial, Format};
pub use model::{
    InvestigateBlock, Metadata, OsqueryBlock, OsqueryTransform, Rule, Subtechnique, Tactic,
    Technique, Threat, Transform, DEFAULT_MAX_SIGNALS,
};
pub use report::AlertSummary;
pub use schedule::Schedule;
pub use seed::{seed_rule, SEED_RULE_TOML};
pub use state::{ChecklistState, Progress, StepState};
