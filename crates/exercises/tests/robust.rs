//! Learners type anything and instructors write anything: grading and loading never panic, and
//! a wrong submission is never graded solved with full marks by accident.

use exercises::{check, load, LoadedPack, Options, Submission};
use proptest::prelude::*;
use std::path::Path;

fn course() -> LoadedPack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/courses/seed-rule");
    let text = std::fs::read_to_string(dir.join("course.toml")).expect("course");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string());
    load(&text, "course.toml", &read).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Query-like text: EQL words, fields, operators and values from the course, in any order.
fn query_text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "sequence", "by", "with", "maxspan=1m", "runs=2", "until", "[", "]", "![", "network", "file", "process", "any",
        "where", "and", "or", "not", "==", "!=", ":", "in", "(", ")", ",", "process.name", "host.id", "process.entity_id",
        "file.extension", "\"wscript.exe\"", "\"*script.exe\"", "\"exe\"", "true", "null", "1", "|", "head", "sample",
    ]);
    prop::collection::vec(words, 0..24).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_query_is_graded_or_rejected(query in query_text(), details in any::<bool>(), zh in any::<bool>()) {
        let pack = course();
        let options = Options { lang: if zh { "zh".into() } else { "en".into() }, hints_taken: 1, details };
        for ex in &pack.pack.exercises {
            if let Ok(report) = check(&pack, ex.id.get_ref(), &Submission::Query(query.clone()), &options) {
                prop_assert!(report.score <= 100);
                prop_assert!(!report.feedback.is_empty() || report.solved);
            }
        }
    }

    #[test]
    fn any_answer_is_graded(answer in ".{0,80}") {
        let pack = course();
        for ex in &pack.pack.exercises {
            let _ = check(&pack, ex.id.get_ref(), &Submission::Answer(answer.clone()), &Options::default());
        }
    }

    #[test]
    fn any_pack_text_loads_or_says_where_it_is_wrong(text in "(\\[pack\\]|\\[\\[exercises\\]\\]|\\[\\[datasets\\]\\]|id = \"a\"|title = \"t\"|version = \"1\"|dataset = \"a\"|events = \"\"|mode = \"predict\"|\n|x){0,30}") {
        let read = |_: &str| Ok(String::new());
        if let Err(errors) = load(&text, "p.toml", &read) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.line <= text.lines().count() + 1, "{e}");
            }
        }
    }
}

#[cfg(feature = "zip")]
proptest! {
    // Any bytes given as a zip, and any damage to a real one, open or are refused: never a panic.
    #[test]
    fn any_archive_opens_or_is_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600), at in 0usize..400, flip in any::<u8>()) {
        let _ = exercises::PackFiles::from_zip(&bytes);
        let mut real = SMALL_ZIP.to_vec();
        let i = at % real.len();
        real[i] ^= flip;
        let _ = exercises::PackFiles::from_zip(&real).map(|files| files.load("x.zip"));
    }
}

/// A deflated zip of `pack/p.toml` (a pack with one dataset) and `pack/d.ndjson`, written by
/// Python's zipfile.
#[cfg(feature = "zip")]
const SMALL_ZIP: &[u8] = include_bytes!("data/small.zip");
