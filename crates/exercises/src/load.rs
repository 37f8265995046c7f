//! Reading a pack: the TOML, the datasets it names (through the caller's `read_file`, so the
//! page can hand over the files of a zip and the command line those beside the pack), and every
//! cross-reference — each problem reported as `file:line: message`.

use crate::diagnose::Diagnosis;
use crate::events::{Events, Run};
use crate::pack::{Mode, Pack, VERDICTS};
use eql::Settings;
use std::collections::HashSet;
use std::fmt;
use toml::Spanned;

/// A problem with a pack, at a line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    pub file: String,
    /// 1-based; 0 when the problem has no one place.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.message),
            line => write!(f, "{}:{line}: {}", self.file, self.message),
        }
    }
}

/// A pack with its datasets read and its references checked.
#[derive(Debug, Clone)]
pub struct LoadedPack {
    pub pack: Pack,
    pub datasets: Vec<Events>,
    pub settings: Settings,
    /// The rule's look-back in seconds (from `[pack] schedule`).
    pub lookback_secs: Option<u64>,
}

impl LoadedPack {
    pub fn dataset(&self, id: &str) -> Option<&Events> {
        self.datasets.iter().find(|d| d.id == id)
    }

    pub fn exercise(&self, id: &str) -> Option<&crate::Exercise> {
        self.pack.exercises.iter().find(|e| e.id.get_ref() == id)
    }
}

/// Reads the pack in `text` (named `file` in messages); `read_file` gives the text of a dataset
/// file named relative to the pack. All problems are returned, not only the first.
pub fn load(text: &str, file: &str, read_file: &dyn Fn(&str) -> Result<String, String>) -> Result<LoadedPack, Vec<PackError>> {
    let at = |offset: usize, message: String| PackError { file: file.to_string(), line: line_of(text, offset), message };
    let pack: Pack = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_string();
        vec![PackError { file: file.to_string(), line: if e.span().is_some() { line_of(text, offset) } else { 0 }, message }]
    })?;
    let mut errors = Vec::new();
    let settings = settings_of(&pack);
    let lookback_secs = match &pack.pack.schedule {
        Some(s) => match rules::Schedule::new(Some(&s.interval), Some(&s.from)) {
            Some(schedule) => Some(schedule.lookback_secs),
            None => {
                errors.push(PackError {
                    file: file.into(),
                    line: 0,
                    message: format!("[pack] schedule: cannot read interval {:?} / from {:?}", s.interval, s.from),
                });
                None
            }
        },
        None => None,
    };

    let mut datasets = Vec::new();
    let mut seen = HashSet::new();
    for d in &pack.datasets {
        let id = d.id.get_ref();
        if !seen.insert(id.clone()) {
            errors.push(at(d.id.span().start, format!("dataset `{id}` is defined twice")));
        }
        let text = match (&d.file, &d.events) {
            (Some(name), None) => match read_file(name) {
                Ok(text) => text,
                Err(e) => {
                    errors.push(at(d.id.span().start, format!("dataset `{id}`: cannot read {name}: {e}")));
                    continue;
                }
            },
            (None, Some(events)) => events.clone(),
            _ => {
                errors.push(at(d.id.span().start, format!("dataset `{id}` needs either `file` or `events`")));
                continue;
            }
        };
        datasets.push(Events::new(id.clone(), text, d.hidden, pack.pack.id_field.as_deref()));
    }
    let loaded = LoadedPack { pack, datasets, settings, lookback_secs };
    check_exercises(&loaded, text, file, &mut errors);
    match errors.is_empty() {
        true => Ok(loaded),
        false => Err(errors),
    }
}

fn settings_of(pack: &Pack) -> Settings {
    let s = &pack.pack.settings;
    let mut settings = Settings::default();
    if let Some(f) = &s.timestamp_field {
        settings.timestamp_field = f.clone();
    }
    settings.tiebreaker_field = s.tiebreaker_field.clone().filter(|f| !f.is_empty());
    if let Some(f) = &s.event_category_field {
        settings.event_category_field = f.clone();
    }
    settings
}

fn check_exercises(loaded: &LoadedPack, text: &str, file: &str, errors: &mut Vec<PackError>) {
    let at = |span: std::ops::Range<usize>, message: String| PackError { file: file.to_string(), line: line_of(text, span.start), message };
    let ids: Vec<&str> = loaded.pack.exercises.iter().map(|e| e.id.get_ref().as_str()).collect();
    let known_dataset = |d: &Spanned<String>| loaded.dataset(d.get_ref()).is_some();
    let mut seen = HashSet::new();
    for ex in &loaded.pack.exercises {
        let id = ex.id.get_ref();
        let here = ex.id.span();
        let problem = |message: String| at(here.clone(), format!("exercise `{id}`: {message}"));
        if !seen.insert(id.as_str()) {
            errors.push(problem("defined twice".into()));
        }
        for r in &ex.requires {
            if !ids.contains(&r.get_ref().as_str()) {
                errors.push(at(r.span(), format!("exercise `{id}` requires `{}`, which the pack does not have", r.get_ref())));
            }
        }
        if !known_dataset(&ex.dataset) {
            errors.push(at(ex.dataset.span(), format!("exercise `{id}`: no dataset `{}`", ex.dataset.get_ref())));
        } else if loaded.dataset(ex.dataset.get_ref()).is_some_and(|d| d.hidden) {
            errors.push(at(ex.dataset.span(), format!("exercise `{id}`: its dataset `{}` is hidden; learners must see the events they query", ex.dataset.get_ref())));
        }
        for d in &ex.also_on {
            if !known_dataset(d) {
                errors.push(at(d.span(), format!("exercise `{id}`: no dataset `{}` to check on", d.get_ref())));
            }
        }
        for d in &ex.diagnoses {
            if Diagnosis::from_name(d.when.get_ref()).is_none() {
                let known: Vec<&str> = Diagnosis::ALL.iter().map(|d| d.name()).collect();
                errors.push(at(d.when.span(), format!("exercise `{id}`: unknown diagnosis `{}` (known: {})", d.when.get_ref(), known.join(", "))));
            }
        }
        match ex.mode {
            Mode::ResultSet => match (&ex.reference_query, &ex.expected) {
                (None, None) => errors.push(problem("a result_set exercise needs `reference_query` or `expected`".into())),
                (Some(_), Some(_)) => errors.push(problem("give `reference_query` or `expected`, not both".into())),
                (None, Some(_)) if !ex.also_on.is_empty() => {
                    errors.push(problem("`also_on` needs a `reference_query` (pinned results name one dataset's events)".into()))
                }
                _ => {}
            },
            Mode::Predict if ex.reference_query.is_none() => errors.push(problem("a predict exercise needs the `reference_query` whose results are predicted".into())),
            Mode::RuleFix if ex.must_match.is_empty() && ex.must_not_match.is_empty() => {
                errors.push(problem("a rule_fix exercise needs `must_match` or `must_not_match`".into()))
            }
            Mode::Answer if ex.answer.is_none() => errors.push(problem("an answer exercise needs `answer`".into())),
            Mode::Triage if ex.questions.is_empty() => errors.push(problem("a triage exercise needs `[[exercises.questions]]`".into())),
            _ => {}
        }
        for q in &ex.questions {
            let verdict_ok = q.kind != crate::pack::QuestionKind::Verdict || VERDICTS.contains(&q.answer.trim());
            let choice_ok = q.choices.is_empty() || q.choices.iter().any(|c| c.trim().eq_ignore_ascii_case(q.answer.trim()));
            if !verdict_ok {
                errors.push(problem(format!("question `{}`: a verdict is one of {}", q.id, VERDICTS.join(", "))));
            }
            if !choice_ok {
                errors.push(problem(format!("question `{}`: its answer is not one of its choices", q.id)));
            }
        }
        // Every query the pack gives must run on the exercise's dataset.
        let Some(events) = loaded.dataset(ex.dataset.get_ref()) else { continue };
        for (what, query) in [("reference_query", &ex.reference_query), ("starter_query", &Some(ex.starter_query.clone()))] {
            let Some(query) = query.as_deref().filter(|q| !q.trim().is_empty()) else { continue };
            if let Err(e) = Run::new(query, &loaded.settings, events) {
                errors.push(problem(format!("{what} does not run:\n{}", eql::syntax::error::render_all(&e, query))));
            }
        }
        let names: HashSet<String> = events.all_names().into_iter().collect();
        let pinned = ex.expected.iter().flatten().flatten().chain(&ex.must_match).chain(&ex.must_not_match);
        for name in pinned {
            let name = name.text();
            if name != crate::events::MISSING && !names.contains(&name) {
                errors.push(problem(format!("no event `{name}` in dataset `{}`", events.id)));
            }
        }
    }
}

/// The 1-based line of byte `offset`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}
