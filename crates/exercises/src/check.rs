//! Grading one submission. Feedback comes in tiers, as on the platforms people learn query
//! languages on: counts for free (tier 1); which results were missed or unexpected and why —
//! the engine's own explanation — when the learner pays for it (tier 2); and notes on the
//! query's shape when the results are wrong (tier 3). A hidden dataset's events never appear.

use crate::diagnose::{diagnose, Diagnosis};
use crate::events::{Events, Run};
use crate::explain::{why_missed, why_unexpected};
use crate::load::LoadedPack;
use crate::pack::{Compare, Exercise, Mode};
use crate::view::localized;
use crate::results::{normalize, parse_prediction, show, Comparison, Named};
pub use crate::report::{Feedback, Report, DETAILS_COST};

/// What the learner hands in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    Query(String),
    /// A typed answer; for triage, `question_id = answer` lines (or a JSON object).
    Answer(String),
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `en` or `zh` (the pack's `_zh` texts).
    pub lang: String,
    /// Hints taken so far: the first `hints_taken` hints' costs come off the score.
    pub hints_taken: usize,
    /// Tier 2: name the missed and unexpected results and explain them (costs [`DETAILS_COST`]).
    pub details: bool,
}

/// Results explained in tier 2 at most, each way.
const EXPLAINED: usize = 5;

/// Why a submission could not be graded (exit 2 on the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    UnknownExercise(String),
    /// The query does not parse or compile: the rendered errors (line:column and a caret).
    InvalidQuery(String),
    /// A query exercise given an answer, or the other way round.
    WrongKind(String),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::UnknownExercise(id) => write!(f, "no exercise `{id}` in this pack"),
            CheckError::InvalidQuery(rendered) => f.write_str(rendered),
            CheckError::WrongKind(message) => f.write_str(message),
        }
    }
}

pub fn check(pack: &LoadedPack, exercise: &str, submission: &Submission, options: &Options) -> Result<Report, CheckError> {
    let ex = pack.exercise(exercise).ok_or_else(|| CheckError::UnknownExercise(exercise.to_string()))?;
    let zh = options.lang.starts_with("zh");
    let mut report = match (ex.mode, submission) {
        (Mode::ResultSet | Mode::RuleFix, Submission::Query(q)) => query_report(pack, ex, q, options)?,
        (Mode::Answer, Submission::Answer(a)) => answer_report(ex, a, zh),
        (Mode::Predict, Submission::Answer(a)) => predict_report(pack, ex, a, zh),
        (Mode::Triage, Submission::Answer(a)) => triage_report(ex, a, &options.lang),
        (Mode::ResultSet | Mode::RuleFix, Submission::Answer(_)) => {
            return Err(CheckError::WrongKind(format!("exercise `{exercise}` is answered with a query")))
        }
        (_, Submission::Query(_)) => return Err(CheckError::WrongKind(format!("exercise `{exercise}` is answered with a typed answer"))),
    };
    let costs: u32 = ex.hints.iter().take(options.hints_taken).map(|h| h.cost).sum::<u32>()
        + if options.details { DETAILS_COST } else { 0 };
    report.score = report.score.saturating_sub(costs);
    Ok(report)
}

fn blank(ex: &Exercise) -> Report {
    Report {
        exercise: ex.id.get_ref().clone(),
        solved: false,
        correct: 0,
        missed: 0,
        unexpected: 0,
        hidden_failed: false,
        score: 0,
        feedback: Vec::new(),
    }
}

fn counts_message(c: &Comparison, zh: bool) -> String {
    let (ok, missed, extra) = (c.correct.len(), c.missed.len(), c.unexpected.len());
    match zh {
        true => format!("正确 {ok} 个，遗漏 {missed} 个，多出 {extra} 个。"),
        false => format!("{ok} correct, {missed} missed, {extra} unexpected."),
    }
}

fn query_report(pack: &LoadedPack, ex: &Exercise, query: &str, options: &Options) -> Result<Report, CheckError> {
    let zh = options.lang.starts_with("zh");
    let primary = pack.dataset(ex.dataset.get_ref()).ok_or_else(|| CheckError::UnknownExercise(ex.id.get_ref().clone()))?;
    let learner = Run::new(query, &pack.settings, primary).map_err(|e| CheckError::InvalidQuery(eql::syntax::error::render_all(&e, query)))?;
    let mut report = blank(ex);
    let comparison = compare_on(pack, ex, &learner, primary);
    report.correct = comparison.correct.len();
    report.missed = comparison.missed.len();
    report.unexpected = comparison.unexpected.len();
    let how = if ex.mode == Mode::RuleFix { Compare::Exact } else { ex.compare };
    let visible_ok = comparison.solved(how) || (ex.mode == Mode::RuleFix && comparison.missed.is_empty() && comparison.unexpected.is_empty());
    report.feedback.push(Feedback::new(1, "counts", counts_message(&comparison, zh)));

    // The query must also be right on the other datasets; hidden ones say only that it is not.
    for id in &ex.also_on {
        let Some(events) = pack.dataset(id.get_ref()) else { continue };
        // A hidden variant is checked only once the visible events are right: it says nothing
        // else, and an answer that is still wrong gains nothing from it.
        if events.hidden && !visible_ok {
            continue;
        }
        let Ok(run) = Run::new(query, &pack.settings, events) else { continue };
        let there = compare_on(pack, ex, &run, events);
        if there.solved(how) {
            continue;
        }
        if events.hidden {
            report.hidden_failed = true;
        } else {
            let message = match zh {
                true => format!("在数据集 {} 上：{}", events.id, counts_message(&there, true)),
                false => format!("On dataset {}: {}", events.id, counts_message(&there, false)),
            };
            report.feedback.push(Feedback::new(1, "also_on", message));
        }
    }
    if report.hidden_failed && visible_ok {
        let message = match zh {
            true => "在可见事件上正确，但在一个隐藏的变体数据集上不对：你的查询可能只适配了眼前的数据。".to_string(),
            false => "Right on the visible events, wrong on a hidden variant: the query may be tuned to the events you can see.".to_string(),
        };
        report.feedback.push(Feedback::new(1, "hidden", message));
    }
    report.solved = visible_ok && !report.hidden_failed && !report.feedback.iter().any(|f| f.kind == "also_on");
    report.score = if report.solved { 100 } else { (comparison.credit(how) * 100.0).round() as u32 };

    if !report.solved && options.details {
        for missed in comparison.missed.iter().take(EXPLAINED) {
            let why = why_missed(&learner, primary, missed, zh);
            let message = match zh {
                true => format!("遗漏 {}：{why}", show(missed)),
                false => format!("Missed {}: {why}", show(missed)),
            };
            report.feedback.push(Feedback { tier: 2, kind: "missed".into(), message, result: Some(missed.clone()) });
        }
        for extra in comparison.unexpected.iter().take(EXPLAINED) {
            let why = why_unexpected(&learner, primary, extra, zh);
            let message = match zh {
                true => format!("多出 {}：{why}", show(extra)),
                false => format!("Unexpected {}: {why}", show(extra)),
            };
            report.feedback.push(Feedback { tier: 2, kind: "unexpected".into(), message, result: Some(extra.clone()) });
        }
    }
    if !report.solved {
        for finding in diagnose(query, primary, pack.lookback_secs) {
            let own = ex.diagnoses.iter().find(|d| Diagnosis::from_name(d.when.get_ref()) == Some(finding.diagnosis));
            let message = match own {
                Some(d) => localized(&d.message, &d.message_zh, &options.lang).to_string(),
                None if zh => finding.message_zh,
                None => finding.message,
            };
            report.feedback.push(Feedback::new(3, "diagnosis", message));
        }
    }
    Ok(report)
}

/// The reference's run on `events`, when the exercise has a reference query.
fn reference_run(pack: &LoadedPack, ex: &Exercise, events: &Events) -> Option<Run> {
    Run::new(ex.reference_query.as_deref()?, &pack.settings, events).ok()
}

/// The learner's results against what the exercise wants on `events`.
fn compare_on(pack: &LoadedPack, ex: &Exercise, learner: &Run, events: &Events) -> Comparison {
    let got = learner.named(events);
    if ex.mode == Mode::RuleFix {
        // Every event any result holds counts as returned.
        let returned: std::collections::BTreeSet<&String> = got.iter().flatten().collect();
        let want: Vec<Named> = ex.must_match.iter().map(|n| vec![n.text()]).collect();
        let mut c = Comparison::default();
        for w in want {
            match returned.contains(&w[0]) {
                true => c.correct.push(w),
                false => c.missed.push(w),
            }
        }
        c.unexpected = ex.must_not_match.iter().map(|n| vec![n.text()]).filter(|n| returned.contains(&n[0])).collect();
        return c;
    }
    let wanted: Vec<Named> = match (&ex.expected, reference_run(pack, ex, events)) {
        (Some(pinned), _) if events.id == *ex.dataset.get_ref() => pinned.iter().map(|r| r.iter().map(|n| n.text()).collect()).collect(),
        (_, Some(run)) => run.named(events),
        _ => Vec::new(),
    };
    Comparison::new(&got, &wanted)
}

fn answer_report(ex: &Exercise, answer: &str, zh: bool) -> Report {
    let mut report = blank(ex);
    let expected = [&ex.answer, &ex.answer_zh];
    report.solved = expected.iter().any(|a| a.as_deref().is_some_and(|a| normalize(a) == normalize(answer)));
    (report.correct, report.missed) = if report.solved { (1, 0) } else { (0, 1) };
    report.score = if report.solved { 100 } else { 0 };
    if !report.solved {
        let message = match zh {
            true => "答案不对。".to_string(),
            false => "That is not the answer.".to_string(),
        };
        report.feedback.push(Feedback::new(1, "answer", message));
    }
    report
}

fn predict_report(pack: &LoadedPack, ex: &Exercise, answer: &str, zh: bool) -> Report {
    let mut report = blank(ex);
    let Some(events) = pack.dataset(ex.dataset.get_ref()) else { return report };
    let actual = reference_run(pack, ex, events).map(|r| r.named(events)).unwrap_or_default();
    let c = Comparison::new(&parse_prediction(answer), &actual);
    report.correct = c.correct.len();
    report.missed = c.missed.len();
    report.unexpected = c.unexpected.len();
    report.solved = c.solved(Compare::Exact);
    report.score = (c.credit(Compare::Exact) * 100.0).round() as u32;
    report.feedback.push(Feedback::new(1, "counts", counts_message(&c, zh)));
    report
}

fn triage_report(ex: &Exercise, answer: &str, lang: &str) -> Report {
    let zh = lang.starts_with("zh");
    let mut report = blank(ex);
    let given = parse_answers(answer);
    for q in &ex.questions {
        let ok = given.iter().any(|(id, a)| id == &q.id && normalize(a) == normalize(&q.answer));
        if ok {
            report.correct += 1;
        } else {
            report.missed += 1;
            let text = localized(&q.text, &q.text_zh, lang);
            let message = match zh {
                true => format!("问题 {}（{text}）的答案不对。", q.id),
                false => format!("Question {} ({text}) is not answered right.", q.id),
            };
            report.feedback.push(Feedback::new(1, "question", message));
        }
    }
    report.solved = report.missed == 0;
    let total = ex.questions.len().max(1);
    report.score = (100 * report.correct / total) as u32;
    report
}

/// `id = answer` lines, or a JSON object of answers.
fn parse_answers(text: &str) -> Vec<(String, String)> {
    if let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text.trim()) {
        return map.into_iter().map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect();
    }
    text.lines()
        .filter_map(|l| l.split_once(['=', ':']))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}
