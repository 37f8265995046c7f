//! `eqlplay match --exceptions`: a rule's exception items hide the events they match, as
//! Kibana's `must_not` filter hides them from `_eql/search` — a sequence cannot use a hidden
//! event, but may still form from another one; stderr says what each item hid.

mod common;
use common::{run, scratch, SEED_RULE};

const EVENTS: &str = r#"{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"network"},"process":{"entity_id":"p1"}}
{"@timestamp":"2026-01-01T00:00:01Z","event":{"category":"file"},"process":{"entity_id":"p1"},"file":{"name":"setup.exe","extension":"exe"}}
{"@timestamp":"2026-01-01T00:00:02Z","event":{"category":"file"},"process":{"entity_id":"p1"},"file":{"name":"dropper.exe","extension":"exe"}}
"#;
const QUERY: &str = r#"sequence by process.entity_id [network where true] [file where file.extension == "exe"]"#;

fn exceptions(name: &str, items: &[&str]) -> String {
    let mut text = String::from("{\"id\":\"l\",\"list_id\":\"l\",\"name\":\"L\",\"namespace_type\":\"single\",\"type\":\"detection\"}\n");
    for item in items {
        text.push_str(item);
        text.push('\n');
    }
    text.push_str("{\"exported_exception_list_count\":1}\n");
    scratch(name, text.as_bytes())
}

fn result_lines(out: &common::Out) -> Vec<Vec<u64>> {
    out.json_lines().iter().map(|r| r["events"].as_array().expect("events").iter().filter_map(|e| e["line"].as_u64()).collect()).collect()
}

#[test]
fn a_hidden_event_cannot_join_a_sequence_but_another_one_can() {
    let events = scratch("exc-events.ndjson", EVENTS.as_bytes());
    assert_eq!(result_lines(&run(&["match", "--query", QUERY, &events])), vec![vec![1, 2]]);
    let list = exceptions("exc-setup.ndjson", &[r#"{"item_id":"setup","name":"Installer","type":"simple","entries":[{"field":"file.name","operator":"included","type":"match","value":"setup.exe"}]}"#]);
    let out = run(&["match", "--query", QUERY, "--exceptions", &list, &events]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(result_lines(&out), vec![vec![1, 3]], "the sequence forms with the next file event, as in Elasticsearch");
    assert!(out.stderr.contains("exception `Installer` (setup): hid 1 events, suppressed 1 results"), "{}", out.stderr);
    assert!(out.stderr.contains("1 results appear only with the exceptions"), "{}", out.stderr);
}

#[test]
fn an_exception_silences_the_lab_capture_and_value_lists_are_named() {
    let list = exceptions("exc-lab.ndjson", &[
        r#"{"item_id":"temp-exe","name":"Installers in Temp","type":"simple","entries":[{"field":"host.name","operator":"included","type":"match","value":"WS-LAB-01.lab.local"},{"field":"file.path","operator":"included","type":"wildcard","value":"C:\\\\Users\\\\*\\\\AppData\\\\Local\\\\Temp\\\\*.exe"}]}"#,
        r#"{"item_id":"ips","name":"Known IPs","type":"simple","entries":[{"field":"destination.ip","operator":"included","type":"list","list":{"id":"known-ips","type":"ip"}}]}"#,
    ]);
    let out = run(&["match", "--rule", SEED_RULE, "--exceptions", &list, "web/samples/lab-sysmon.xml"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert!(out.stderr.contains("exception `Installers in Temp` (temp-exe): hid 1 events, suppressed 1 results"), "{}", out.stderr);
    assert!(out.stderr.contains("exception `Known IPs` is not applied: it uses value lists (known-ips)"), "{}", out.stderr);
}

#[test]
fn unreadable_exceptions_and_other_inputs_are_refused() {
    let events = scratch("exc-events2.ndjson", EVENTS.as_bytes());
    let bad = exceptions("exc-bad.ndjson", &[r#"{"item_id":"x","name":"x","entries":[{"field":"a","type":"regex","value":"b"}]}"#]);
    let out = run(&["match", "--query", QUERY, "--exceptions", &bad, &events]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("line 2: item `x`: `a`: unknown entry type `regex`"), "{}", out.stderr);
    let ok = exceptions("exc-ok.ndjson", &[r#"{"item_id":"y","name":"y","entries":[{"field":"a","operator":"included","type":"exists"}]}"#]);
    let array = scratch("exc-array.json", b"[{\"event\":{\"category\":\"network\"}}]");
    let out = run(&["match", "--query", QUERY, "--exceptions", &ok, &array]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--exceptions applies to NDJSON events"), "{}", out.stderr);
}

#[test]
fn a_rule_export_that_carries_its_exception_list_serves_as_both() {
    let rule = r#"{"rule_id":"r1","name":"Any exe write","type":"eql","language":"eql","query":"file where file.extension == \"exe\"","risk_score":21,"severity":"low","description":"d","exceptions_list":[{"id":"l1","list_id":"lab","type":"detection","namespace_type":"single"}]}"#;
    let list = r#"{"id":"l1","list_id":"lab","name":"Lab","namespace_type":"single","type":"detection"}"#;
    let item = r#"{"item_id":"i1","list_id":"lab","name":"Temp installers","type":"simple","entries":[{"field":"file.path","operator":"included","type":"wildcard","value":"C:\\\\Users\\\\*\\\\Temp\\\\*"}]}"#;
    let summary = r#"{"exported_count":3,"exported_rules_count":1,"exported_exception_list_count":1,"exported_exception_list_item_count":1}"#;
    // An item of a list the rule does not name would hide every event: it is not the rule's.
    let other = r#"{"item_id":"i2","list_id":"elsewhere","name":"Everything","type":"simple","entries":[{"field":"file.path","operator":"included","type":"exists"}]}"#;
    let export = scratch("rule-export.ndjson", format!("{rule}\n{list}\n{item}\n{other}\n{summary}\n").as_bytes());
    let lab = "web/samples/lab-sysmon.xml";
    assert_eq!(run(&["match", "--rule", &export, lab]).json_lines().len(), 1);
    let out = run(&["match", "--rule", &export, "--exceptions", &export, lab]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert!(out.stderr.contains("exception `Temp installers` (i1): hid 1 events, suppressed 1 results"), "{}", out.stderr);
    assert!(!out.stderr.contains("Everything"), "{}", out.stderr);
}
