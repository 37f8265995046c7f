//! What the page shows of a course: its texts in both languages, each exercise's visible events
//! and the way it is answered — never a reference query, a pinned answer or a hidden dataset.
//! Plain types, so they travel from the trainer module to the page as postcard.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseView {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub description: Text,
    pub exercises: Vec<ExerciseView>,
}

/// A text and its Chinese version, if the pack has one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub zh: Option<String>,
}

impl Text {
    pub fn get(&self, lang: &str) -> &str {
        localized(&self.en, &self.zh, lang)
    }
}

/// `primary` in `lang`: the Chinese text when `lang` is Chinese and the pack has one.
pub fn localized<'a>(primary: &'a str, zh: &'a Option<String>, lang: &str) -> &'a str {
    match zh {
        Some(t) if lang.starts_with("zh") && !t.trim().is_empty() => t,
        _ => primary,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseView {
    pub id: String,
    pub title: Text,
    pub level: u32,
    pub requires: Vec<String>,
    pub concepts: Vec<String>,
    pub story: Text,
    pub task: Text,
    /// The query put in the editor (for a predict exercise, the query to predict).
    pub starter_query: String,
    /// The NDJSON the exercise runs on (never a hidden dataset).
    pub events: String,
    /// Answered with a query (result_set, rule_fix), or with typed text (answer, predict,
    /// triage).
    pub answered_with_query: bool,
    /// The results of the query in the editor are hidden until an answer has been checked
    /// (predict exercises: the learner predicts them first).
    pub hides_results: bool,
    pub hints: Vec<HintView>,
    pub questions: Vec<QuestionView>,
    /// Shown once solved.
    pub explanation: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HintView {
    pub text: Text,
    pub cost: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: String,
    pub text: Text,
    pub kind: String,
    pub choices: Vec<String>,
}

#[cfg(feature = "check")]
mod build {
    use super::*;
    use crate::pack::{Mode, QuestionKind};
    use crate::LoadedPack;

    fn text(en: &str, zh: &Option<String>) -> Text {
        Text { en: en.to_string(), zh: zh.clone() }
    }

    impl CourseView {
        pub fn of(pack: &LoadedPack) -> CourseView {
            let info = &pack.pack.pack;
            CourseView {
                id: info.id.clone(),
                version: info.version.clone(),
                title: text(&info.title, &info.title_zh),
                description: text(&info.description, &info.description_zh),
                exercises: pack
                    .pack
                    .exercises
                    .iter()
                    .map(|ex| ExerciseView {
                        id: ex.id.get_ref().clone(),
                        title: text(&ex.title, &ex.title_zh),
                        level: ex.level,
                        requires: ex.requires.iter().map(|r| r.get_ref().clone()).collect(),
                        concepts: ex.concepts.clone(),
                        story: text(&ex.story, &ex.story_zh),
                        task: text(&ex.task, &ex.task_zh),
                        // The query to predict is in the editor, its results hidden until answered.
                        starter_query: match (&ex.mode, &ex.reference_query) {
                            (Mode::Predict, Some(q)) if ex.starter_query.trim().is_empty() => q.clone(),
                            _ => ex.starter_query.clone(),
                        },
                        events: pack.dataset(ex.dataset.get_ref()).filter(|d| !d.hidden).map(|d| d.text.clone()).unwrap_or_default(),
                        answered_with_query: matches!(ex.mode, Mode::ResultSet | Mode::RuleFix),
                        hides_results: ex.mode == Mode::Predict,
                        hints: ex.hints.iter().map(|h| HintView { text: text(&h.text, &h.text_zh), cost: h.cost }).collect(),
                        questions: ex
                            .questions
                            .iter()
                            .map(|q| QuestionView {
                                id: q.id.clone(),
                                text: text(&q.text, &q.text_zh),
                                kind: match q.kind {
                                    QuestionKind::Choice => "choice",
                                    QuestionKind::Entity => "entity",
                                    QuestionKind::Verdict => "verdict",
                                }
                                .into(),
                                choices: match q.kind {
                                    QuestionKind::Verdict => crate::pack::VERDICTS.iter().map(|v| v.to_string()).collect(),
                                    _ => q.choices.clone(),
                                },
                            })
                            .collect(),
                        explanation: text(&ex.explanation, &ex.explanation_zh),
                    })
                    .collect(),
            }
        }
    }
}
