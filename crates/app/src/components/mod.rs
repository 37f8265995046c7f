//! The page's components, one per region.

pub mod app;
pub mod checklist;
pub mod drop_zone;
pub mod events_pane;
pub mod events_view;
pub mod exceptions;
pub mod handover;
pub mod learn;
pub mod pack;
pub mod query_diff;
pub mod query_editor;
pub mod rule_picker;
pub mod results;
pub mod rule_card;
pub mod timeline;
pub mod tune;
