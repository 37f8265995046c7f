//! The analyst's progress through a checklist, keyed by step id
//! (`s{section}.{i}.{j}`), serialisable for local storage and the CLI.

use crate::checklist::Checklist;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepState {
    #[serde(default)]
    pub done: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistState {
    /// The rule the state belongs to, so a stale state can be recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// Guide language the ids refer to (ids differ between translations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default)]
    pub steps: BTreeMap<String, StepState>,
}

/// `done` of `total` steps, nested steps included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn is_complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }

    /// 0-100, rounded down; 0 for an empty checklist.
    pub fn percent(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.done, self.total)
    }
}

impl ChecklistState {
    pub fn new(rule_id: Option<&str>, lang: Option<&str>) -> Self {
        ChecklistState {
            rule_id: rule_id.map(str::to_owned),
            lang: lang.map(str::to_owned),
            steps: BTreeMap::new(),
        }
    }

    pub fn is_done(&self, id: &str) -> bool {
        self.steps.get(id).is_some_and(|s| s.done)
    }

    pub fn note(&self, id: &str) -> &str {
        self.steps.get(id).map_or("", |s| s.note.as_str())
    }

    pub fn set_done(&mut self, id: &str, done: bool) {
        self.entry(id).done = done;
        self.tidy(id);
    }

    /// Flips a step and returns its new state.
    pub fn toggle(&mut self, id: &str) -> bool {
        let done = !self.is_done(id);
        self.set_done(id, done);
        done
    }

    pub fn set_note(&mut self, id: &str, note: &str) {
        self.entry(id).note = note.to_owned();
        self.tidy(id);
    }

    pub fn progress(&self, checklist: &Checklist) -> Progress {
        let steps = checklist.steps();
        let done = steps.iter().filter(|s| self.is_done(&s.id)).count();
        Progress {
            done,
            total: steps.len(),
        }
    }

    /// Drops entries whose step no longer exists (the guide changed).
    pub fn retain_known(&mut self, checklist: &Checklist) {
        let known: std::collections::HashSet<String> =
            checklist.steps().into_iter().map(|s| s.id).collect();
        self.steps.retain(|id, _| known.contains(id));
    }

    fn entry(&mut self, id: &str) -> &mut StepState {
        self.steps.entry(id.to_owned()).or_default()
    }

    /// Untouched steps take no space in the saved state.
    fn tidy(&mut self, id: &str) {
        if self
            .steps
            .get(id)
            .is_some_and(|s| *s == StepState::default())
        {
            self.steps.remove(id);
        }
    }
}

#[cfg(all(test, feature = "guide"))]
mod tests {
    use super::*;
    use crate::checklist::from_markdown;
    use crate::model::Transform;

    #[test]
    fn progress_counts_nested_steps() {
        let c = from_markdown(
            "## A\n- a\n  - a1\n  - a2\n## B\n- b\n",
            &Transform::default(),
        );
        let mut st = ChecklistState::new(Some("r"), None);
        assert_eq!(st.progress(&c), Progress { done: 0, total: 4 });
        st.set_done("s0.0.1", true);
        assert!(st.toggle("s1.0"));
        st.set_done("s9.9", true);
        let p = st.progress(&c);
        assert_eq!(
            (p.done, p.total, p.percent(), p.to_string()),
            (2, 4, 50, "2 of 4".to_string())
        );
        st.retain_known(&c);
        assert!(!st.steps.contains_key("s9.9"));
    }

    #[test]
    fn notes_and_tidying() {
        let mut st = ChecklistState::default();
        st.set_note("s0.0", "checked parent tree");
        assert_eq!(st.note("s0.0"), "checked parent tree");
        assert!(!st.toggle("s0.1") || st.is_done("s0.1"));
        st.set_done("s0.1", false);
        assert!(!st.steps.contains_key("s0.1"));
        let json = serde_json::to_string(&st).unwrap();
        assert_eq!(
            json,
            r#"{"steps":{"s0.0":{"done":false,"note":"checked parent tree"}}}"#
        );
        assert_eq!(serde_json::from_str::<ChecklistState>(&json).unwrap(), st);
        assert!(!Progress { done: 0, total: 0 }.is_complete());
    }
}
