//! `eqlplay rule`: the seed rule's metadata and checklist, as JSON and text.

mod common;

use common::*;
use serde_json::Value;

fn rule_json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON output")
}

fn count_osquery(steps: &Value) -> usize {
    steps.as_array().map_or(0, |steps| {
        steps
            .iter()
            .map(|s| s["osquery"].as_array().map_or(0, Vec::len) + count_osquery(&s["steps"]))
            .sum()
    })
}

fn total_osquery(rule: &Value) -> usize {
    rule["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .map(|s| count_osquery(&s["steps"]))
        .sum()
}

#[test]
fn seed_rule_json() {
    let r = rule_json(&["rule", "--json"]);
    assert_eq!(r["name"], "Remote File Download via Script Interpreter");
    assert_eq!(r["rule_id"], "1d276579-3380-4095-ad38-e596a01bc64f");
    assert_eq!(r["severity"], "medium");
    assert_eq!(r["risk_score"], 47);
    assert!(r["query"]
        .as_str()
        .is_some_and(|q| q.starts_with("sequence by host.id, process.entity_id")));
    assert_eq!(r["threat"][0]["tactic"]["id"], "TA0011");
    assert_eq!(r["schedule"]["additional_lookback"], "4m");
    let sections = r["checklist"].as_array().expect("checklist");
    assert!(sections.len() >= 4, "{} sections", sections.len());
    assert!(sections
        .iter()
        .all(|s| s["title"].is_string() && s["steps"].is_array()));
    assert_eq!(total_osquery(&r), 4);
    let first_osquery = sections
        .iter()
        .flat_map(|s| s["steps"].as_array().into_iter().flatten())
        .find_map(find_osquery)
        .expect("an osquery block");
    assert!(first_osquery["label"].is_string() && first_osquery["query"].is_string());

    // `seed` and the seed file itself give the same.
    assert_eq!(rule_json(&["rule", "--json", "seed"]), r);
    assert_eq!(rule_json(&["rule", "--json", SEED_RULE]), r);
}

fn find_osquery(step: &Value) -> Option<Value> {
    if let Some(o) = step["osquery"].as_array().and_then(|o| o.first()) {
        return Some(o.clone());
    }
    step["steps"].as_array()?.iter().find_map(find_osquery)
}

#[test]
fn seed_rule_json_in_chinese() {
    let r = rule_json(&["rule", "--json", "--lang", "zh-CN"]);
    let en = rule_json(&["rule", "--json"]);
    assert_eq!(r["name"], en["name"]);
    assert_ne!(r["checklist"], en["checklist"]);
    assert_eq!(r["checklist"][0]["title"], "分类与分析");
    assert_eq!(total_osquery(&r), 4);
}

#[test]
fn seed_rule_text() {
    let out = run(&["rule"]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert!(out
        .stdout
        .contains("[osquery] Osquery - Retrieve DNS Cache"));
    insta::assert_snapshot!("seed_rule_text_en", out.stdout);

    let out = run(&["rule", "--lang", "zh-CN"]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    insta::assert_snapshot!("seed_rule_text_zh_cn", out.stdout);
}

#[test]
fn unknown_language_falls_back_with_a_note() {
    let out = run(&["rule", "--lang", "fr", "--json"]);
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("no `fr` guide"), "{}", out.stderr);
}

#[test]
fn rule_errors() {
    let out = run(&["rule", "no/such/rule.toml"]);
    assert_eq!(out.code, 2);
    let out = run(&["rule", "--bogus"]);
    assert_eq!(out.code, 2);
    let no_note = scratch(
        "no-note.json",
        br#"{"name":"n","type":"eql","query":"any where true"}"#,
    );
    let out = run(&["rule", "--json", &no_note]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let r: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(r["checklist"], serde_json::json!([]));
    let out = run(&["rule", &no_note]);
    assert!(
        out.stdout.contains("no investigation guide"),
        "{}",
        out.stdout
    );
}
