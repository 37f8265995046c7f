//! `eqlplay schedule`: a rule run on Kibana's schedule — the run that alerts, the later run that
//! sees the same sequence and does not alert twice, what max_signals cuts, and the sequences no
//! run can see because their events span more than the look-back.

mod common;
use common::{run, scratch, SEED_RULE};

fn rule(name: &str, query: &str, max_signals: u32) -> String {
    let toml = format!(
        "[rule]\nname = \"{name}\"\nrule_id = \"00000000-0000-0000-0000-000000000001\"\ntype = \"eql\"\nlanguage = \"eql\"\n\
         description = \"t\"\nrisk_score = 21\nseverity = \"low\"\ninterval = \"5m\"\nfrom = \"now-6m\"\nmax_signals = {max_signals}\n\
         query = '''\n{query}\n'''\n"
    );
    scratch(&format!("{name}.toml"), toml.as_bytes())
}

fn lines(out: &common::Out) -> Vec<serde_json::Value> {
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json_lines()
}

#[test]
fn the_lab_capture_alerts_once_and_the_next_run_does_not_repeat_it() {
    let runs = lines(&run(&["schedule", "--rule", SEED_RULE, "web/samples/lab-sysmon.xml"]));
    assert_eq!(runs.len(), 4, "three runs and the closing line");
    let alerts: Vec<usize> = runs[..3].iter().map(|r| r["alerts"].as_array().map_or(0, Vec::len)).collect();
    assert_eq!(alerts, [0, 1, 0]);
    assert_eq!(runs[1]["window"], serde_json::json!(["2026-11-20T09:10:02.118Z", "2026-11-20T09:19:02.118Z"]), "now-9m to now");
    assert_eq!(runs[2]["suppressed_duplicates"], 1, "the third run sees it again and Kibana does not alert twice");
    assert_eq!(runs[3]["never_alerted"], serde_json::json!([]));
}

#[test]
fn max_signals_keeps_the_most_recent_and_says_what_it_cut() {
    let events = scratch(
        "sched-three.ndjson",
        b"{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event\":{\"category\":\"process\"}}\n\
          {\"@timestamp\":\"2026-01-01T00:00:10Z\",\"event\":{\"category\":\"process\"}}\n\
          {\"@timestamp\":\"2026-01-01T00:00:20Z\",\"event\":{\"category\":\"process\"}}\n",
    );
    let out = lines(&run(&["schedule", "--rule", &rule("one-signal", "process where true", 1), "--start", "2026-01-01T00:00:30Z", &events]));
    assert_eq!(out[0]["alerts"][0]["events"][0]["line"], 3, "the tail: the most recent result");
    assert_eq!(out[0]["cut_by_max_signals"], 2);
    let never = out[1]["never_alerted"].as_array().expect("list");
    assert_eq!(never.len(), 2);
    assert!(never.iter().all(|n| n["reason"].as_str().is_some_and(|r| r.starts_with("cut by max_signals (1)"))));
}

#[test]
fn a_sequence_longer_than_the_look_back_is_never_seen() {
    let events = scratch(
        "sched-slow.ndjson",
        b"{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event\":{\"category\":\"network\"},\"process\":{\"entity_id\":\"p\"}}\n\
          {\"@timestamp\":\"2026-01-01T00:20:00Z\",\"event\":{\"category\":\"file\"},\"process\":{\"entity_id\":\"p\"}}\n",
    );
    let query = "sequence by process.entity_id [network where true] [file where true]";
    let out = lines(&run(&["schedule", "--rule", &rule("slow", query, 100), &events]));
    assert!(out[..out.len() - 1].iter().all(|r| r["alerts"] == serde_json::json!([])));
    let never = &out[out.len() - 1]["never_alerted"];
    assert_eq!(never[0]["reason"], "its events span 20m, longer than the 6m each run looks back (now-6m)");
    assert_eq!(run(&["schedule", "--rule", SEED_RULE, "--start", "yesterday", &events]).code, 2);
}
