//! The trainer the page loads on demand (see `crates/app/js/trainer.js`): it reads an exercise
//! pack — the built-in course, or a pack file with its data inline — and grades answers with
//! `exercises::check`, so the page itself carries no TOML reader and no checker. It keeps the
//! open pack; answers are graded against it. Every answer is postcard bytes of
//! `Result<…, String>`.

use exercises::view::CourseView;
use exercises::{LoadedPack, Options, Report, Submission};
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;

const COURSE: &str = include_str!("../../../web/courses/seed-rule/course.toml");

/// The built-in course's data files, by the names `course.toml` gives them.
fn course_file(name: &str) -> Result<String, String> {
    match name {
        "main.ndjson" => Ok(include_str!("../../../web/courses/seed-rule/main.ndjson").into()),
        "variant.ndjson" => Ok(include_str!("../../../web/courses/seed-rule/variant.ndjson").into()),
        other => Err(format!("the built-in course has no file {other}")),
    }
}

thread_local! {
    static OPEN: RefCell<Option<LoadedPack>> = const { RefCell::new(None) };
}

fn encode<T: serde::Serialize>(answer: &Result<T, String>) -> Vec<u8> {
    postcard::to_allocvec(answer).unwrap_or_default()
}

fn open(text: &str, name: &str, read: &dyn Fn(&str) -> Result<String, String>) -> Result<CourseView, String> {
    let pack = exercises::load(text, name, read)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
    let view = CourseView::of(&pack);
    OPEN.with(|open| *open.borrow_mut() = Some(pack));
    Ok(view)
}

/// Opens the built-in course.
#[wasm_bindgen]
pub fn open_builtin() -> Vec<u8> {
    encode(&open(COURSE, "course.toml", &course_file))
}

/// Opens a pack file whose datasets are written inside it (`events = '''…'''`).
#[wasm_bindgen]
pub fn open_pack(text: &str, name: &str) -> Vec<u8> {
    let no_files = |file: &str| Err(format!("{file}: a pack opened in the page carries its events inline (`events = '''…'''`)"));
    encode(&open(text, name, &no_files))
}

/// Grades `text` (a query when `is_query`, else a typed answer) for `exercise` of the open pack.
#[wasm_bindgen]
pub fn check(exercise: &str, is_query: bool, text: &str, lang: &str, hints_taken: usize, details: bool) -> Vec<u8> {
    let submission = match is_query {
        true => Submission::Query(text.to_string()),
        false => Submission::Answer(text.to_string()),
    };
    let options = Options { lang: lang.to_string(), hints_taken, details };
    let graded: Result<Report, String> = OPEN.with(|open| match open.borrow().as_ref() {
        Some(pack) => exercises::check(pack, exercise, &submission, &options).map_err(|e| e.to_string()),
        None => Err("no exercise pack is open".into()),
    });
    encode(&graded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_course_opens_and_grades() {
        let view: Result<CourseView, String> = postcard::from_bytes(&open_builtin()).expect("decodes");
        let view = view.expect("opens");
        assert_eq!(view.exercises.len(), 12);
        assert!(view.exercises.iter().all(|e| !e.events.is_empty()), "every exercise has visible events");
        let report: Result<Report, String> =
            postcard::from_bytes(&check("ex01-case", true, r#"network where process.name == "wscript.exe""#, "en", 0, false)).expect("decodes");
        let report = report.expect("graded");
        assert!(!report.solved && report.missed == 6, "{report:?}");
    }

    #[test]
    fn the_view_keeps_references_and_hidden_events_out() {
        let view: Result<CourseView, String> = postcard::from_bytes(&open_builtin()).expect("decodes");
        let text = format!("{:?}", view.expect("opens"));
        let pack = exercises::load(COURSE, "course.toml", &course_file).expect("loads");
        let hidden = course_file("variant.ndjson").expect("variant");
        // A predict exercise shows its query: predicting its results is the task.
        let answers = pack.pack.exercises.iter().filter(|e| e.mode != exercises::Mode::Predict);
        let secrets = answers.filter_map(|e| e.reference_query.clone()).chain(hidden.lines().map(str::to_string));
        for secret in secrets {
            assert!(!text.contains(&format!("{secret:?}")) && !text.contains(&secret), "{secret} reached the page");
        }
    }
}
