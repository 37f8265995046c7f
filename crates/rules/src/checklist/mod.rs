//! The investigation guide (`note`) as a checklist: one section per heading,
//! one step per list item (nesting kept), Osquery and Timeline blocks attached
//! to the step that mentions them.

mod inline;
#[cfg(feature = "guide")]
mod markdown;
#[cfg(feature = "guide")]
mod markers;

pub use inline::{code_span, safe_url, segments, Segment};

use crate::model::{InvestigateBlock, OsqueryBlock};
#[cfg(feature = "guide")]
use crate::model::Rule;
#[cfg(feature = "guide")]
use markers::Block;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A guide turned into sections of steps. This is a stable CLI interface.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    pub sections: Vec<Section>,
    /// Problems that did not stop the build, e.g. an unresolvable
    /// `$osquery_N` (left in the step text as written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Heading text; empty for steps before the first heading.
    pub title: String,
    /// Heading level 1-6; 0 for the untitled section.
    #[serde(default)]
    pub level: u8,
    /// Paragraphs, quotes and code outside lists, so nothing is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// One list item. `text` uses the inline language of [`segments`]: plain
/// text, `code` spans and `[label](https://..)` links, nothing else.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub osquery: Vec<OsqueryBlock>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub investigate: Vec<InvestigateBlock>,
}

/// A step with its stable id and nesting depth (0 = top level).
#[derive(Debug, Clone)]
pub struct StepRef<'a> {
    /// `s{section}.{i}.{j}...`: the step's position, e.g. "s2.0.1".
    pub id: String,
    pub section: usize,
    pub depth: usize,
    pub step: &'a Step,
}

/// Builds a step id from a section index and the path of step indexes.
pub fn step_id(section: usize, path: &[usize]) -> String {
    let mut id = format!("s{section}");
    for i in path {
        id.push('.');
        id.push_str(&i.to_string());
    }
    id
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistError {
    /// The rule has no investigation guide (in any language).
    NoNote,
}

impl fmt::Display for ChecklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChecklistError::NoNote => f.write_str("the rule has no investigation guide (`note`)"),
        }
    }
}

impl std::error::Error for ChecklistError {}

/// The checklist of `rule`'s guide in `lang` (falling back as
/// [`Rule::note_for`] does).
#[cfg(feature = "guide")]
pub fn build(rule: &Rule, lang: Option<&str>) -> Result<Checklist, ChecklistError> {
    let note = rule.note_for(lang).ok_or(ChecklistError::NoNote)?;
    Ok(from_markdown(note, &rule.transform))
}

/// Deepest nesting kept; deeper items are lifted to this level so that
/// recursion over steps stays shallow whatever the note holds.
pub const MAX_DEPTH: usize = 16;

/// The checklist of any Markdown text; `transform` resolves `$osquery_N`.
#[cfg(feature = "guide")]
pub fn from_markdown(note: &str, transform: &crate::model::Transform) -> Checklist {
    let prepared = markers::prepare(note, transform);
    let sections = markdown::parse(&prepared.text, &prepared.blocks);
    Checklist {
        sections,
        warnings: prepared.warnings,
    }
}

impl Step {
    #[cfg(feature = "guide")]
    fn with_blocks(text: String, steps: Vec<Step>, blocks: Vec<Block>) -> Step {
        let mut step = Step {
            text,
            steps,
            ..Step::default()
        };
        for b in blocks {
            match b {
                Block::Osquery(o) => step.osquery.push(o),
                Block::Investigate(i) => step.investigate.push(i),
            }
        }
        step
    }

    /// The text split into plain / code / link pieces for rendering.
    pub fn segments(&self) -> Vec<Segment> {
        segments(&self.text)
    }
}

impl Section {
    #[cfg(feature = "guide")]
    fn untitled() -> Section {
        Section::default()
    }
}

impl Checklist {
    /// Every step, depth first, in document order.
    pub fn steps(&self) -> Vec<StepRef<'_>> {
        let mut out = Vec::new();
        for (si, section) in self.sections.iter().enumerate() {
            walk(&section.steps, si, &mut Vec::new(), &mut out);
        }
        out
    }

    /// Number of steps, nested ones included.
    pub fn total_steps(&self) -> usize {
        self.steps().len()
    }

    /// Every Osquery block, in document order.
    pub fn osquery(&self) -> Vec<&OsqueryBlock> {
        self.steps()
            .into_iter()
            .flat_map(|s| s.step.osquery.iter())
            .collect()
    }

    /// No sections at all. A guide of prose only is not empty: it has a
    /// section with an intro and no steps.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

// Recursion is bounded: the builder caps nesting at `MAX_DEPTH`.
fn walk<'a>(steps: &'a [Step], section: usize, path: &mut Vec<usize>, out: &mut Vec<StepRef<'a>>) {
    for (i, step) in steps.iter().enumerate() {
        path.push(i);
        let id = step_id(section, path);
        out.push(StepRef {
            id,
            section,
            depth: path.len() - 1,
            step,
        });
        walk(&step.steps, section, path, out);
        path.pop();
    }
}

#[cfg(all(test, feature = "guide"))]
mod tests;
