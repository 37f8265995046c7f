//! `eqlplay exercise validate`: a pack an instructor can hand out. Every reference solution
//! solves its exercise (on every dataset it must also be right on), no starter query already
//! does, and every typical wrong answer fails with the feedback the pack says it gets.

use crate::check::{check, Options, Submission};
use crate::load::{line_of, LoadedPack, PackError};
use crate::pack::Mode;

/// Every problem found; `text` and `file` are the pack's, for line numbers.
pub fn validate(pack: &LoadedPack, text: &str, file: &str) -> Vec<PackError> {
    let mut problems = Vec::new();
    let details = Options { lang: "en".into(), hints_taken: 0, details: true };
    for ex in &pack.pack.exercises {
        let id = ex.id.get_ref();
        let line = line_of(text, ex.id.span().start);
        let mut problem = |message: String| problems.push(PackError { file: file.into(), line, message: format!("exercise `{id}`: {message}") });
        let solution = match ex.mode {
            Mode::ResultSet | Mode::RuleFix => ex.reference_query.clone().map(Submission::Query),
            Mode::Answer => ex.answer.clone().map(Submission::Answer),
            Mode::Triage => Some(Submission::Answer(ex.questions.iter().map(|q| format!("{} = {}\n", q.id, q.answer)).collect())),
            Mode::Predict => None,
        };
        match (&solution, ex.mode) {
            (Some(s), _) => match check(pack, id, s, &details) {
                Ok(r) if r.solved => {}
                Ok(r) => problem(format!("the reference solution does not solve it: {}", messages(&r.feedback))),
                Err(e) => problem(format!("the reference solution cannot be checked: {e}")),
            },
            (None, Mode::RuleFix) => problem("a rule_fix exercise needs a `reference_query` to show it can be solved".into()),
            (None, _) => {}
        }
        if matches!(ex.mode, Mode::ResultSet | Mode::RuleFix) && !ex.starter_query.trim().is_empty() {
            if let Ok(r) = check(pack, id, &Submission::Query(ex.starter_query.clone()), &details) {
                if r.solved {
                    problem("the starter query already solves it".into());
                }
            }
        }
        for (i, wrong) in ex.wrong.iter().enumerate() {
            let submission = match (&wrong.query, &wrong.answer) {
                (Some(q), None) => Submission::Query(q.clone()),
                (None, Some(a)) => Submission::Answer(a.clone()),
                _ => {
                    problem(format!("wrong answer {}: give `query` or `answer`", i + 1));
                    continue;
                }
            };
            match check(pack, id, &submission, &details) {
                Ok(r) if r.solved => problem(format!("wrong answer {} solves the exercise", i + 1)),
                Ok(r) => {
                    let want = wrong.expect_feedback.to_lowercase();
                    if !r.feedback.iter().any(|f| f.message.to_lowercase().contains(&want)) {
                        problem(format!(
                            "wrong answer {} does not get the feedback {:?}; it gets: {}",
                            i + 1,
                            wrong.expect_feedback,
                            messages(&r.feedback)
                        ));
                    }
                }
                Err(e) => problem(format!("wrong answer {} cannot be checked: {e}", i + 1)),
            }
        }
    }
    problems
}

fn messages(feedback: &[crate::Feedback]) -> String {
    feedback.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" | ")
}
