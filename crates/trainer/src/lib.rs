//! The trainer the page loads on demand (see `crates/app/js/on-demand.js`): it reads an exercise
//! pack — the built-in course, a pack file with its data inline, a zip of a pack and its data
//! files, or the files a pack link carries — and grades answers with `exercises::check`, so the
//! page itself carries no TOML or zip reader and no checker. It keeps the open pack; answers are
//! graded against it. Every answer is postcard bytes of `Result<…, String>`.

use exercises::view::CourseView;
use exercises::{LoadedPack, Options, PackFiles, Report, Submission};
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

/// The open pack, and its files when it came from the user (for a link to it).
struct Open {
    pack: LoadedPack,
    files: Option<PackFiles>,
}

thread_local! {
    static OPEN: RefCell<Option<Open>> = const { RefCell::new(None) };
}

fn encode<T: serde::Serialize>(answer: &Result<T, String>) -> Vec<u8> {
    postcard::to_allocvec(answer).unwrap_or_default()
}

fn all(errors: Vec<exercises::PackError>) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

fn keep(pack: LoadedPack, files: Option<PackFiles>) -> CourseView {
    let view = CourseView::of(&pack);
    OPEN.with(|open| *open.borrow_mut() = Some(Open { pack, files }));
    view
}

fn open_files(files: PackFiles, label: &str) -> Result<CourseView, String> {
    let pack = files.load(label).map_err(all)?;
    Ok(keep(pack, Some(files)))
}

/// Opens the built-in course.
#[wasm_bindgen]
pub fn open_builtin() -> Vec<u8> {
    encode(&exercises::load(COURSE, "course.toml", &course_file).map_err(all).map(|pack| keep(pack, None)))
}

/// Opens a file the user chose: a zip of a pack and its data files, or a pack file whose
/// datasets are written inside it (`events = '''…'''`).
#[wasm_bindgen]
pub fn open_pack(bytes: &[u8], name: &str) -> Vec<u8> {
    let files = match bytes.starts_with(b"PK\x03\x04") {
        true => PackFiles::from_zip(bytes).map_err(|e| format!("{name}: {e}")),
        false => String::from_utf8(bytes.to_vec())
            .map(|text| PackFiles::single(name, &text))
            .map_err(|_| format!("{name}: neither a pack file (UTF-8 TOML) nor a zip")),
    };
    encode(&files.and_then(|files| open_files(files, name)))
}

/// Opens the pack a link carried: its files as JSON (see `PackFiles`).
#[wasm_bindgen]
pub fn open_link(json: &str) -> Vec<u8> {
    let files = serde_json::from_str::<PackFiles>(json).map_err(|e| format!("damaged pack link: {e}"));
    encode(&files.and_then(|files| open_files(files, "link")))
}

/// The open pack's files as JSON, for a link that opens it; an error for the built-in course.
#[wasm_bindgen]
pub fn pack_json() -> Vec<u8> {
    let json = OPEN.with(|open| match open.borrow().as_ref().and_then(|o| o.files.as_ref()) {
        Some(files) => serde_json::to_string(files).map_err(|e| e.to_string()),
        None => Err("the built-in course needs no link".to_string()),
    });
    encode(&json)
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
        Some(Open { pack, .. }) => exercises::check(pack, exercise, &submission, &options).map_err(|e| e.to_string()),
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

    fn decoded<T: serde::de::DeserializeOwned>(bytes: Vec<u8>) -> Result<T, String> {
        postcard::from_bytes::<Result<T, String>>(&bytes).expect("decodes")
    }

    #[test]
    fn a_pack_opened_from_a_file_gives_a_link_that_opens_it_again() {
        let inline = "[pack]\nid = \"p\"\ntitle = \"P\"\nversion = \"1\"\n\n[[datasets]]\nid = \"d\"\nevents = '{\"event\":{\"category\":\"process\"}}'\n\n[[exercises]]\nid = \"e\"\ntitle = \"E\"\ndataset = \"d\"\nreference_query = \"process where true\"\n";
        let view: CourseView = decoded(open_pack(inline.as_bytes(), "p.toml")).expect("opens");
        assert_eq!(view.id, "p");
        let json: String = decoded(pack_json()).expect("a link");
        let _ = decoded::<CourseView>(open_builtin()).expect("builtin");
        assert!(decoded::<String>(pack_json()).is_err(), "the built-in course has no link");
        let again: CourseView = decoded(open_link(&json)).expect("the link opens");
        assert_eq!(again, view);
    }

    #[test]
    fn files_that_are_no_pack_are_errors_that_name_them() {
        let binary: Result<CourseView, String> = decoded(open_pack(&[0xff, 0xfe, 0], "x.bin"));
        assert!(binary.is_err_and(|e| e.starts_with("x.bin: neither")));
        let zip: Result<CourseView, String> = decoded(open_pack(b"PK\x03\x04broken", "c.zip"));
        assert!(zip.is_err_and(|e| e.starts_with("c.zip: not a readable zip")));
        let link: Result<CourseView, String> = decoded(open_link("{\"pack\":1}"));
        assert!(link.is_err_and(|e| e.starts_with("damaged pack link")));
    }
}
