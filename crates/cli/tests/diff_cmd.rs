//! `eqlplay diff`: two versions of a rule over the same events — each result gained, lost or
//! kept (matched by its events), and for the gained and lost ones the predicate or key that made
//! the difference, with the value it read.

mod common;
use common::{run, SAMPLE, SEED_RULE};

const LOOSER: &str = r#"sequence by host.id, process.entity_id
  [network where process.name : ("wscript.exe", "cscript.exe") and network.protocol != "dns"]
  [file where event.type == "creation" and file.extension : ("exe", "dll")]"#;

fn changes(out: &common::Out) -> Vec<(String, Vec<u64>, String)> {
    out.json_lines()
        .iter()
        .map(|r| {
            let lines = r["events"].as_array().expect("events").iter().filter_map(|e| e["line"].as_u64()).collect();
            (r["change"].as_str().unwrap_or("").to_string(), lines, r["why"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn an_edit_that_drops_conditions_gains_results_and_says_which_condition_kept_them_out() {
    let out = run(&["diff", "--rule", SEED_RULE, "--query-b", LOOSER, SAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = changes(&out);
    let summary: Vec<(&str, &[u64])> = rows.iter().map(|(c, l, _)| (c.as_str(), l.as_slice())).collect();
    assert_eq!(summary, vec![("kept", &[14, 15][..]), ("gained", &[19, 20][..]), ("gained", &[44, 45][..]), ("gained", &[53, 54][..])]);
    assert!(rows[0].2.is_empty(), "a kept result needs no reason");
    let reasons = [r#"`destination.ip != \"127.0.0.1\"` is false (destination.ip = \"127.0.0.1\")"#, r#"network.type = \"ipv6\""#, r#"host.os.type = \"linux\""#];
    for (row, reason) in rows[1..].iter().zip(reasons) {
        let why = row.2.replace('"', "\\\"");
        assert!(why.starts_with("the first version has it not: line") && why.contains(reason), "{reason} in {}", row.2);
    }
    // The same edit the other way round loses them, for the same reasons.
    let back = changes(&run(&["diff", "--query", LOOSER, "--rule-b", SEED_RULE, SAMPLE]));
    assert_eq!(back.iter().filter(|r| r.0 == "lost").count(), 3);
    assert!(back.iter().filter(|r| r.0 == "lost").all(|r| r.2.starts_with("the second version has it not")));
}

#[test]
fn a_stricter_join_key_loses_the_sequence_and_names_the_key() {
    let a = r#"sequence by host.id [network where process.name : "wscript.exe"] [file where file.extension : "exe"]"#;
    let b = r#"sequence by host.id, process.entity_id [network where process.name : "wscript.exe"] [file where file.extension : "exe"]"#;
    let rows = changes(&run(&["diff", "--query", a, "--query-b", b, SAMPLE]));
    let lost: Vec<&(String, Vec<u64>, String)> = rows.iter().filter(|r| r.0 == "lost").collect();
    assert_eq!(lost.len(), 1, "{rows:?}");
    assert_eq!(lost[0].1, vec![25, 28]);
    assert!(lost[0].2.contains("line 28 matches the next term but has another join key (process.entity_id = "), "{}", lost[0].2);
}

#[test]
fn both_versions_are_needed_and_a_bad_one_is_shown_at_its_place() {
    assert_eq!(run(&["diff", "--query", "process where true", SAMPLE]).code, 2);
    let out = run(&["diff", "--query", "process where true", "--query-b", "process where", SAMPLE]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--query-b: 1:14: expected an expression"), "{}", out.stderr);
}
