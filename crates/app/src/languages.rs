//! The page's languages, by code (also read by `build.rs`, which builds the built-in rule's
//! checklist in each).

pub const CODES: &[&str] = &["en", "zh-CN"];
