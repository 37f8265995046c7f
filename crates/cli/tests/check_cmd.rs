//! `eqlplay check`: every corpus rule parses; failures are reported one line per file.

mod common;

use common::*;


const EXPECTED_RULES: usize = 1081;


#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn every_corpus_rule_checks_ok() {
    let files = eqlplay_tests::corpus_rule_files();
    assert_eq!(files.len(), EXPECTED_RULES, "corpus size changed");

    let out = run(&[&["check".into()], files.as_slice()].concat());
    let lines: Vec<&str> = out.stdout.lines().collect();
    let failures: Vec<&&str> = lines.iter().filter(|l| !l.ends_with(": ok")).collect();
    let ok = lines.len() - failures.len();
    println!("eqlplay check: {ok} of {} corpus rules ok", files.len());
    for f in &failures {
        println!("FAILED {f}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus rules fail to check:\n{}",
        failures.len(),
        out.stdout
    );
    assert_eq!(
        lines.len(),
        files.len(),
        "one line per file; stderr: {}",
        out.stderr
    );
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
}

#[test]
fn failures_are_one_line_per_file_and_exit_1() {
    let good = scratch("good.eql", b"process where process.name == \"a\"\n");
    let bad = scratch("bad.eql", b"process where\n  process.name ==\n");
    let seed = std::fs::read_to_string(workspace().join(SEED_RULE)).expect("seed rule");
    let bad_rule = scratch(
        "bad-rule.toml",
        seed.replace("[file where", "[file wher").as_bytes(),
    );
    let kql = scratch(
        "kql.json",
        br#"{"name":"k","type":"query","language":"kuery","query":"a:1"}"#,
    );
    let no_query = scratch("no-query.toml", b"[rule]\nname = \"x\"\ntype = \"eql\"\n");
    let out = run(&["check", &good, &bad, &bad_rule, &kql, &no_query, SEED_RULE]);
    assert_eq!(out.code, 1, "stderr: {}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", out.stdout);
    assert_eq!(lines[0], format!("{good}: ok"));
    assert_eq!(
        lines[1],
        format!("{bad}: error: 3:1: expected an expression, found end of query")
    );
    assert!(
        lines[2].starts_with(&format!("{bad_rule}: error: in the rule's query at 5:9: ")),
        "{}",
        lines[2]
    );
    assert_eq!(
        lines[3],
        format!("{kql}: error: not an EQL rule (type `query`, language `kuery`)")
    );
    assert!(
        lines[4].starts_with(&format!("{no_query}: error: ")) && lines[4].contains("query"),
        "{}",
        lines[4]
    );
    assert_eq!(lines[5], format!("{SEED_RULE}: ok"));

    let out = run(&["check", &good, SEED_RULE]);
    assert_eq!(out.code, 0);
    let out = run::<&str>(&["check"]);
    assert_eq!(out.code, 2);
}
