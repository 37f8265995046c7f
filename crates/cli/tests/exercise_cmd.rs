//! `eqlplay exercise`: the check contract (one JSON object; exit 0 solved, 1 not, 2 bad pack or
//! query), `validate` on the built-in course, and a bad pack's problems at file:line.

mod common;
use common::{run, scratch};

const COURSE: &str = "web/courses/seed-rule/course.toml";

fn check(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["exercise", "check", COURSE];
    all.extend_from_slice(args);
    let out = run(&all);
    let json = if out.stdout.trim().is_empty() { serde_json::Value::Null } else { out.json_lines().remove(0) };
    (out.code, json, out.stderr)
}

#[test]
fn the_built_in_course_is_fit_to_hand_out() {
    let out = run(&["exercise", "validate", COURSE]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("12 exercises, all solvable"), "{}", out.stdout);
}

#[test]
fn a_right_answer_is_solved_with_full_marks() {
    let (code, report, _) = check(&["--exercise", "ex01-case", "--query", r#"network where process.name : ("wscript.exe", "cscript.exe")"#]);
    assert_eq!(code, 0, "{report}");
    let keys: Vec<&str> = report.as_object().expect("object").keys().map(String::as_str).collect();
    for key in ["exercise", "solved", "correct", "missed", "unexpected", "hidden_failed", "score", "feedback"] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!((report["solved"].as_bool(), report["score"].as_u64(), report["missed"].as_u64()), (Some(true), Some(100), Some(0)));
}

#[test]
fn a_wrong_answer_gets_counts_then_paid_explanations() {
    let query = r#"network where process.name == "wscript.exe""#;
    let (code, free, _) = check(&["--exercise", "ex01-case", "--query", query]);
    assert_eq!(code, 1);
    assert_eq!(free["feedback"][0]["message"], "7 correct, 6 missed, 0 unexpected.");
    assert!(free["feedback"].as_array().expect("list").iter().all(|f| f["tier"] != 2), "tier 2 is paid for: {free}");
    let (_, paid, _) = check(&["--exercise", "ex01-case", "--query", query, "--details", "--lang", "zh"]);
    let text = paid.to_string();
    assert!(text.contains("遗漏 14") && text.contains(r#"WScript.exe"#), "{text}");
    assert!(paid["score"].as_u64() < free["score"].as_u64(), "details cost points: {paid}");
}

#[test]
fn a_hidden_variant_is_named_but_never_shown() {
    let query = r#"network where process.name in ("wscript.exe", "cscript.exe", "WScript.exe")"#;
    let (code, report, _) = check(&["--exercise", "ex01-case", "--query", query, "--details"]);
    assert_eq!(code, 1);
    assert_eq!(report["hidden_failed"], true);
    let text = report.to_string();
    assert!(text.contains("Right on the visible events, wrong on a hidden variant"), "{text}");
    let variant = std::fs::read_to_string(common::workspace().join("web/courses/seed-rule/variant.ndjson")).expect("variant");
    for secret in ["CScript.EXE", "scan.vbs", "198.51.100.201"] {
        assert!(variant.contains(secret) && !text.contains(secret), "{secret} leaked: {text}");
    }
}

#[test]
fn sequences_say_which_key_or_partial_broke_them() {
    let q = r#"sequence by host.id
      [network where process.name : ("wscript.exe", "cscript.exe") and network.protocol != "dns" and destination.ip != "127.0.0.1"]
      [file where event.type == "creation" and file.extension : ("exe", "dll")]"#;
    let (_, report, _) = check(&["--exercise", "ex07-until", "--query", q, "--details"]);
    assert_eq!((report["missed"].as_u64(), report["unexpected"].as_u64()), (Some(0), Some(2)), "{report}");
    let text: String = report["feedback"].as_array().expect("list").iter().filter_map(|f| f["message"].as_str()).collect();
    assert!(text.contains("Unexpected 27 → 29") && text.contains("process.name = \"cscript.exe\""), "{text}");
    let predict = check(&["--exercise", "ex06-state-machine", "--answer", "[[2, 3]]"]);
    assert_eq!((predict.0, &predict.1["solved"]), (0, &serde_json::json!(true)));
    let triage = check(&["--exercise", "ex10-triage", "--answer", "host = WS-FIN-07\nscript = invoice_0309.js\norigin = downloaded by chrome.exe\nverdict = true_positive"]);
    assert_eq!(triage.0, 0, "answers are compared without case: {}", triage.1);
}

#[test]
fn bad_queries_and_bad_use_exit_2() {
    let (code, _, stderr) = check(&["--exercise", "ex01-case", "--query", "network where process.name =="]);
    assert_eq!(code, 2);
    assert!(stderr.contains("1:") && stderr.contains('^'), "line:column and a caret: {stderr}");
    let (code, _, stderr) = check(&["--exercise", "nope", "--query", "any where true"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = check(&["--exercise", "ex06-state-machine", "--query", "any where true"]);
    assert_eq!(code, 2, "a predict exercise takes an answer");
}

#[test]
fn a_bad_pack_is_reported_at_its_lines() {
    let pack = r#"[pack]
id = "p"
title = "t"
version = "1"

[[datasets]]
id = "d"
events = '''
{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"process"},"process":{"name":"a"}}
'''

[[datasets]]
id = "d"
events = ""

[[exercises]]
id = "e1"
title = "x"
dataset = "missing"
requires = ["e9"]
reference_query = "process where true"

[[exercises]]
id = "e1"
title = "y"
dataset = "d"
reference_query = "process where true"
must_match = [7]
"#;
    let path = scratch("bad-pack.toml", pack.as_bytes());
    let out = run(&["exercise", "validate", &path]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    for want in [":13: dataset `d` is defined twice", ":20: exercise `e1` requires `e9`", ":19: exercise `e1`: no dataset `missing`", ":24: exercise `e1`: defined twice", ":24: exercise `e1`: no event `7`"] {
        assert!(out.stderr.contains(want), "{want} in:\n{}", out.stderr);
    }
    let typo = scratch("typo-pack.toml", b"[pack]\nid = \"p\"\ntitle = \"t\"\nversion = \"1\"\ntitel = \"x\"\n");
    let out = run(&["exercise", "validate", &typo]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("typo-pack.toml:5:") && out.stderr.contains("titel"), "{}", out.stderr);
}

/// The built-in course's files zipped under `folder/`, with `replace` swapping a file's text.
fn course_zip(name: &str, folder: &str, replace: Option<(&str, &str)>) -> String {
    let dir = common::workspace().join("web/courses/seed-rule");
    let mut names: Vec<String> = std::fs::read_dir(&dir).expect("course dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let files: Vec<(String, String)> = names
        .into_iter()
        .map(|file| {
            let mut text = std::fs::read_to_string(dir.join(&file)).expect("course file");
            if let Some((_, new)) = replace.filter(|(target, _)| *target == file) {
                text = new.replace("{original}", &text);
            }
            (format!("{folder}/{file}"), text)
        })
        .collect();
    let entries: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (n.as_str(), t.as_bytes())).collect();
    scratch(name, &archive::zip_of(&entries))
}

#[test]
fn a_zipped_course_validates_and_grades_as_its_files_do() {
    let zip = course_zip("seed-course.zip", "seed-rule", None);
    let out = run(&["exercise", "validate", &zip]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("12 exercises, all solvable"), "{}", out.stdout);
    let query = r#"network where process.name == "wscript.exe""#;
    let from_zip = run(&["exercise", "check", &zip, "--exercise", "ex01-case", "--query", query, "--details"]);
    let (code, from_files, _) = check(&["--exercise", "ex01-case", "--query", query, "--details"]);
    assert_eq!((from_zip.code, from_zip.json_lines().remove(0)), (code, from_files));
}

#[test]
fn a_problem_in_a_zip_is_named_inside_it() {
    let broken = course_zip("broken-course.zip", "c", Some(("course.toml", "{original}\n[[datasets]]\nid = \"extra\"\nfile = \"gone.ndjson\"\n")));
    let out = run(&["exercise", "validate", &broken]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let lines = std::fs::read_to_string(common::workspace().join(COURSE)).expect("course").lines().count();
    let want = format!("broken-course.zip/c/course.toml:{}: dataset `extra`: cannot read gone.ndjson: c/gone.ndjson is not beside the pack", lines + 3);
    assert!(out.stderr.contains(&want), "{want} in:\n{}", out.stderr);
    let not_zip = scratch("not-a.zip", b"PK\x03\x04 and then nothing");
    let out = run(&["exercise", "validate", &not_zip]);
    assert!(out.code == 2 && out.stderr.contains("not a readable zip"), "{}", out.stderr);
}

#[test]
fn a_link_carries_the_pack_and_its_data_files() {
    use base64::Engine;
    use std::io::Read;
    let out = run(&["exercise", "link", COURSE, "--page", "https://example.org/play/#old"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let body = out.stdout.trim().strip_prefix("https://example.org/play/#p=").unwrap_or_else(|| panic!("{}", out.stdout));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).expect("base64url");
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(&bytes[..]).read_to_string(&mut json).expect("raw deflate");
    let files: exercises::PackFiles = serde_json::from_str(&json).expect("pack files");
    let dir = common::workspace().join("web/courses/seed-rule");
    assert_eq!(files.pack, "course.toml");
    for name in ["course.toml", "main.ndjson", "variant.ndjson"] {
        assert_eq!(files.files.get(name), Some(&std::fs::read_to_string(dir.join(name)).expect("file")), "{name}");
    }
    assert_eq!(files.files.len(), 3, "only the pack and the files it names travel");
    assert!(files.load("link").is_ok());
}
