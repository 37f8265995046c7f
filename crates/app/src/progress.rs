//! A learner's progress through a course, kept in localStorage per course and version (so a
//! changed pack starts afresh), and exported as a JSON completion record.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    #[serde(default)]
    pub solved: bool,
    /// The best score so far.
    #[serde(default)]
    pub score: u32,
    /// Hints taken (their costs come off the score).
    #[serde(default)]
    pub hints: usize,
    /// Whether the detailed feedback was asked for.
    #[serde(default)]
    pub details: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub course: String,
    pub version: String,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

impl Progress {
    fn key(course: &str, version: &str) -> String {
        format!("eqlplay-course:{course}@{version}")
    }

    pub fn load(course: &str, version: &str) -> Progress {
        crate::storage::read(&Progress::key(course, version))
            .and_then(|text| serde_json::from_str::<Progress>(&text).ok())
            .filter(|p| p.course == course && p.version == version)
            .unwrap_or_else(|| Progress { course: course.into(), version: version.into(), exercises: BTreeMap::new() })
    }

    pub fn save(&self) {
        if let Ok(text) = serde_json::to_string(self) {
            crate::storage::write(&Progress::key(&self.course, &self.version), &text);
        }
    }

    pub fn of(&self, exercise: &str) -> ExerciseProgress {
        self.exercises.get(exercise).cloned().unwrap_or_default()
    }

    pub fn solved(&self) -> usize {
        self.exercises.values().filter(|e| e.solved).count()
    }

    /// The completion record a learner hands in.
    pub fn record(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_back() {
        let mut p = Progress { course: "c".into(), version: "1".into(), ..Progress::default() };
        p.exercises.insert("ex01".into(), ExerciseProgress { solved: true, score: 90, hints: 1, details: false });
        assert_eq!(serde_json::from_str::<Progress>(&p.record()).expect("json"), p);
        assert_eq!(p.solved(), 1);
    }
}
