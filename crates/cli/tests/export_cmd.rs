//! `eqlplay export`: what a real cluster needs to reproduce a playground result — `_bulk` lines
//! (an action, then the event, for every event), an index template typing the rule's fields as
//! ECS does, the `_eql/search` body, and the rule as Kibana's import NDJSON, which loads back
//! through `eqlplay rule` unchanged.

mod common;
use common::{run, scratch, SAMPLE, SEED_RULE};

#[test]
fn bulk_lines_are_pairs_of_a_create_action_and_an_event() {
    let out = run(&["export", "bulk", "--rule", SEED_RULE, SAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.json_lines();
    let events = common::sample_text().lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(lines.len(), 2 * events);
    for (pair, event) in lines.chunks(2).zip(common::sample_text().lines()) {
        assert_eq!(pair[0], serde_json::json!({"create": {"_index": "winlogbeat-playground"}}), "the seed rule's first index is winlogbeat-*");
        assert_eq!(pair[1], serde_json::from_str::<serde_json::Value>(event).expect("event"));
    }
    let documents: Vec<&str> = out.stdout.lines().skip(1).step_by(2).collect();
    let sample = common::sample_text();
    let given: Vec<&str> = sample.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(documents, given, "each event as given, byte for byte");
    let named = run(&["export", "bulk", "--rule", SEED_RULE, "--index", "logs-endpoint.events.network-playground", SAMPLE]).json_lines();
    assert_eq!(named[0]["create"]["_index"], "logs-endpoint.events.network-playground");
}

#[test]
fn the_template_types_every_field_the_rule_reads_as_ecs_does() {
    let out = run(&["export", "template", "--rule", SEED_RULE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let t: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(t["index_patterns"], serde_json::json!(["winlogbeat-playground"]));
    assert_eq!(t["data_stream"], serde_json::json!({}));
    assert!(t["priority"].as_u64().is_some_and(|p| p > 100), "above the built-in logs-*-* template");
    let props = &t["template"]["mappings"]["properties"];
    assert_eq!(props["@timestamp"]["type"], "date");
    assert_eq!(props["destination"]["properties"]["ip"]["type"], "ip");
    assert_eq!(props["process"]["properties"]["entity_id"]["type"], "keyword");
    assert_eq!(props["host"]["properties"]["os"]["properties"]["type"]["type"], "keyword");
    assert_eq!(props["event"]["properties"]["category"]["type"], "keyword");
}

#[test]
fn the_search_body_carries_the_query_the_time_range_and_the_rules_settings() {
    let out = run(&["export", "search", "--rule", SEED_RULE, SAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let body: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert!(body["query"].as_str().is_some_and(|q| q.starts_with("sequence by host.id, process.entity_id")));
    assert_eq!(body["filter"]["range"]["@timestamp"]["gte"], "2026-02-17T09:12:04.118Z");
    assert_eq!(body["filter"]["range"]["@timestamp"]["lte"], "2026-02-17T09:21:53.048Z");
    assert_eq!((body["timestamp_field"].as_str(), body["event_category_field"].as_str(), body["size"].as_u64()), (Some("@timestamp"), Some("event.category"), Some(100)));
    let edited = scratch("edited.eql", b"process where process.name == \"wscript.exe\"");
    let body: serde_json::Value = serde_json::from_str(&run(&["export", "search", "--rule", SEED_RULE, "--query-file", &edited, SAMPLE]).stdout).expect("json");
    assert_eq!(body["query"], "process where process.name == \"wscript.exe\"");
}

#[test]
fn the_exported_rule_loads_back_unchanged_with_its_exceptions() {
    let exceptions = scratch("export-exc.ndjson", br#"{"item_id":"dl","name":"The lab download","type":"simple","entries":[{"field":"event.id","operator":"included","type":"match","value":"EeD51fEHRw7g0zn1t46v"}]}
"#);
    let edited = scratch("export-edited.eql", b"sequence by host.id [network where true] [file where true]");
    let out = run(&["export", "rule", "--rule", SEED_RULE, "--query-file", &edited, "--exceptions", &exceptions]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 4, "the rule, the list, its item, the summary");
    assert_eq!((lines[0]["type"].as_str(), lines[0]["language"].as_str()), (Some("eql"), Some("eql")));
    for required in ["rule_id", "name", "description", "risk_score", "severity", "query", "type"] {
        assert!(!lines[0][required].is_null(), "{required}");
    }
    let list_id = lines[0]["exceptions_list"][0]["list_id"].as_str().expect("a list reference");
    assert_eq!((lines[1]["list_id"].as_str(), lines[2]["list_id"].as_str()), (Some(list_id), Some(list_id)));
    assert_eq!(lines[3]["exported_rules_count"], 1);
    assert_eq!(lines[3]["exported_exception_list_item_count"], 1);

    let file = scratch("exported-rule.ndjson", out.stdout.as_bytes());
    let back = run(&["rule", "--json", &file]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert!(!back.stderr.contains("warning"), "{}", back.stderr);
    let original: serde_json::Value = serde_json::from_str(&run(&["rule", "--json", SEED_RULE]).stdout).expect("json");
    let again: serde_json::Value = serde_json::from_str(&back.stdout).expect("json");
    for field in ["name", "rule_id", "severity", "risk_score", "threat", "schedule", "checklist"] {
        assert_eq!(again[field], original[field], "{field}");
    }
    assert_eq!(again["query"], "sequence by host.id [network where true] [file where true]");
    // The export's own exceptions apply when it is given as both the rule and its exceptions.
    let results = run(&["match", "--rule", &file, "--exceptions", &file, SAMPLE]);
    assert!(results.stderr.contains("exception `The lab download`"), "{}", results.stderr);
}
