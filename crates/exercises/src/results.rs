//! Result sets compared as sets: a result is the names of its events, in order.

use crate::pack::Compare;
use std::collections::BTreeSet;

pub type Named = Vec<String>;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub correct: Vec<Named>,
    /// In the reference, not in the learner's results.
    pub missed: Vec<Named>,
    /// In the learner's results, not in the reference.
    pub unexpected: Vec<Named>,
}

impl Comparison {
    pub fn new(learner: &[Named], reference: &[Named]) -> Comparison {
        let l: BTreeSet<&Named> = learner.iter().collect();
        let r: BTreeSet<&Named> = reference.iter().collect();
        Comparison {
            correct: l.intersection(&r).map(|n| (*n).clone()).collect(),
            missed: r.difference(&l).map(|n| (*n).clone()).collect(),
            unexpected: l.difference(&r).map(|n| (*n).clone()).collect(),
        }
    }

    pub fn solved(&self, how: Compare) -> bool {
        match how {
            Compare::Exact => self.missed.is_empty() && self.unexpected.is_empty(),
            Compare::Subset => self.unexpected.is_empty() && !self.correct.is_empty(),
            Compare::Superset => self.missed.is_empty(),
        }
    }

    /// Partial credit in 0..=1: F1 for exact, precision for subset, recall for superset.
    pub fn credit(&self, how: Compare) -> f64 {
        let c = self.correct.len() as f64;
        let precision = if c + self.unexpected.len() as f64 == 0.0 { 0.0 } else { c / (c + self.unexpected.len() as f64) };
        let recall = if c + self.missed.len() as f64 == 0.0 { 1.0 } else { c / (c + self.missed.len() as f64) };
        match how {
            Compare::Exact if self.solved(how) => 1.0,
            Compare::Exact if precision + recall == 0.0 => 0.0,
            Compare::Exact => 2.0 * precision * recall / (precision + recall),
            Compare::Subset => precision,
            Compare::Superset => recall,
        }
    }
}

/// A result as people write it: `12`, or `12 → 19` for a sequence.
pub fn show(result: &Named) -> String {
    result.join(" → ")
}

/// Typed answers compared the way people mean them: case, spaces, separators and list order do
/// not matter.
pub fn normalize(answer: &str) -> String {
    let mut items: Vec<String> = answer
        .split([',', ';', '\n'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
        .map(|s| s.trim_matches(|c| c == '"' || c == '\'' || c == '`').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    items.sort();
    items.dedup();
    items.join(",")
}

/// A predicted result set: `[[12, 19], [40, 41]]` (JSON), or one result per line or `;` with
/// its events separated by spaces, commas or arrows (`12 19; 40 41`).
pub fn parse_prediction(text: &str) -> Vec<Named> {
    if let Ok(v) = serde_json::from_str::<Vec<Vec<serde_json::Value>>>(text.trim()) {
        return v
            .into_iter()
            .map(|r| r.into_iter().map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_string)).collect())
            .collect();
    }
    text.split(['\n', ';'])
        .map(|r| r.split(|c: char| c == ',' || c.is_whitespace() || c == '→').filter(|s| !s.is_empty() && *s != "->").map(str::to_string).collect::<Named>())
        .filter(|r| !r.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&[&str]]) -> Vec<Named> {
        items.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn credit_follows_the_comparison() {
        let reference = set(&[&["1", "2"], &["3", "4"]]);
        let half = Comparison::new(&set(&[&["1", "2"], &["5", "6"]]), &reference);
        assert_eq!((half.correct.len(), half.missed.len(), half.unexpected.len()), (1, 1, 1));
        assert!(!half.solved(Compare::Exact) && (half.credit(Compare::Exact) - 0.5).abs() < 1e-9);
        let some = Comparison::new(&set(&[&["1", "2"]]), &reference);
        assert!(some.solved(Compare::Subset) && !some.solved(Compare::Superset));
        assert!(Comparison::new(&set(&[&["1", "2"], &["3", "4"], &["9"]]), &reference).solved(Compare::Superset));
        assert!(!Comparison::new(&[], &reference).solved(Compare::Subset), "finding nothing is not a subset answer");
    }

    #[test]
    fn answers_are_normalised() {
        assert_eq!(normalize(" WScript.exe , cscript.EXE\n"), normalize("cscript.exe;wscript.exe"));
        assert_ne!(normalize("a"), normalize("b"));
        assert_eq!(parse_prediction("[[12, 19], [40, 41]]"), set(&[&["12", "19"], &["40", "41"]]));
        assert_eq!(parse_prediction("12 → 19\n40, 41"), set(&[&["12", "19"], &["40", "41"]]));
    }
}
