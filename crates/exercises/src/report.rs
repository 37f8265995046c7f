//! A graded submission, as `eqlplay exercise check` prints it (JSON) and as the trainer module
//! hands it to the page (postcard: every field is always written).

use serde::{Deserialize, Serialize};

/// What tier-2 feedback (the missed and unexpected results, explained) costs, in points.
pub const DETAILS_COST: u32 = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub exercise: String,
    pub solved: bool,
    pub correct: usize,
    pub missed: usize,
    pub unexpected: usize,
    /// Right on the visible events, wrong on a hidden variant.
    pub hidden_failed: bool,
    /// 0–100: partial credit from precision and recall, less the hints taken.
    pub score: u32,
    pub feedback: Vec<Feedback>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub tier: u8,
    /// `counts`, `missed`, `unexpected`, `hidden`, `also_on`, `diagnosis`, `answer`, `question`.
    pub kind: String,
    pub message: String,
    /// The result concerned (event names), for `missed` and `unexpected`; else null.
    pub result: Option<Vec<String>>,
}

impl Feedback {
    pub fn new(tier: u8, kind: &str, message: String) -> Feedback {
        Feedback { tier, kind: kind.to_string(), message, result: None }
    }
}
