//! The page's components, one per region.

pub mod app;
pub mod events_pane;
pub mod results;
