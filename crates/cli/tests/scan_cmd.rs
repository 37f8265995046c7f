//! `eqlplay scan`: a rule pack — files, a Kibana export, a directory — over events in one pass:
//! one line per alert with the rule's name, severity and risk score; rules of other types
//! listed as not run, EQL rules that do not compile as failed, on stderr.

mod common;
use common::{run, scratch, SAMPLE, SEED_RULE};

#[test]
fn a_kibana_export_runs_its_eql_rules_and_says_what_it_did_not_run() {
    let export = [
        r#"{"rule_id":"seq","name":"Script download","type":"eql","language":"eql","severity":"high","risk_score":73,"query":"sequence by host.id, process.entity_id [network where process.name : \"wscript.exe\"] [file where file.extension : \"exe\"]"}"#,
        r#"{"rule_id":"kql","name":"A KQL rule","type":"query","language":"kuery","query":"process.name: wscript.exe"}"#,
        r#"{"rule_id":"thr","name":"A threshold rule","type":"threshold","language":"kuery","query":"*"}"#,
        r#"{"rule_id":"bad","name":"Broken","type":"eql","language":"eql","query":"process where"}"#,
        r#"{"exported_count":4,"exported_rules_count":4}"#,
    ]
    .join("\n");
    let pack = scratch("pack-export.ndjson", export.as_bytes());
    let out = run(&["scan", "--rules", &pack, SAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let alerts = out.json_lines();
    assert!(!alerts.is_empty());
    for a in &alerts {
        assert_eq!((a["rule_id"].as_str(), a["rule_name"].as_str(), a["severity"].as_str(), a["risk_score"].as_u64()), (Some("seq"), Some("Script download"), Some("high"), Some(73)));
        assert_eq!(a["kind"], "sequence");
    }
    assert!(out.stderr.contains("4 rules from 1 files over 59 events"), "{}", out.stderr);
    assert!(out.stderr.contains("1 ran, 1 fired") && out.stderr.contains("2 not run (query 1, threshold 1), 1 failed"), "{}", out.stderr);
    assert!(out.stderr.contains("failed: ") && out.stderr.contains("rule \"Broken\": 1:14:"), "{}", out.stderr);
}

#[test]
fn rule_files_and_directories_give_the_alerts_each_rule_gives_alone() {
    let alone = run(&["match", "--rule", SEED_RULE, SAMPLE]).json_lines();
    let dir = std::path::Path::new(SEED_RULE).parent().expect("web/rules").to_str().expect("path").to_string();
    let out = run(&["scan", "--rules", &dir, SAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let seed: Vec<serde_json::Value> = out.json_lines().into_iter().filter(|a| a["rule_name"] == "Remote File Download via Script Interpreter").collect();
    assert_eq!(seed.len(), alone.len());
    for (a, b) in seed.iter().zip(&alone) {
        assert_eq!((&a["events"], &a["join_keys"]), (&b["events"], &b["join_keys"]));
    }
    assert_eq!(run(&["scan", SAMPLE]).code, 2, "--rules is needed");
}

#[test]
fn a_zip_of_rule_files_is_a_pack_too() {
    let seed = std::fs::read(common::workspace().join(SEED_RULE)).expect("seed rule");
    let ml = br#"{"rule_id":"ml","name":"An ML rule","type":"machine_learning","anomaly_threshold":75}"#;
    let zip = archive::zip_of(&[("rules/seed.toml", &seed), ("rules/ml.json", ml), ("rules/README.md", b"# not a rule")]);
    let zip = scratch("rules.zip", &zip);
    let out = run(&["scan", "--rules", &zip, SAMPLE]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let alone = run(&["match", "--rule", SEED_RULE, SAMPLE]).json_lines();
    assert_eq!(out.json_lines().len(), alone.len());
    assert!(out.stderr.contains("2 rules from 1 files") && out.stderr.contains("1 not run (machine_learning 1), 0 failed"), "{}", out.stderr);
}

/// A Kibana rule export carries the exception lists its rules name: each rule applies the items
/// of its lists (as `match --exceptions` does), and a rule naming none is untouched.
#[test]
fn exception_items_in_the_export_hide_events_from_the_rules_that_name_their_lists() {
    let events = scratch(
        "scan-exc-events.ndjson",
        br#"{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"network"},"process":{"entity_id":"p1"}}
{"@timestamp":"2026-01-01T00:00:01Z","event":{"category":"file"},"process":{"entity_id":"p1"},"file":{"name":"setup.exe","extension":"exe"}}
{"@timestamp":"2026-01-01T00:00:02Z","event":{"category":"file"},"process":{"entity_id":"p1"},"file":{"name":"dropper.exe","extension":"exe"}}
"#,
    );
    let query = r#"sequence by process.entity_id [network where true] [file where file.extension == \"exe\"]"#;
    let export = [
        format!(r#"{{"rule_id":"excepted","name":"Excepted","type":"eql","language":"eql","query":"{query}","exceptions_list":[{{"id":"l","list_id":"l","type":"detection","namespace_type":"single"}}]}}"#),
        format!(r#"{{"rule_id":"plain","name":"Plain","type":"eql","language":"eql","query":"{query}"}}"#),
        r#"{"exported_count":2,"exported_rules_count":2}"#.to_string(),
        r#"{"id":"l","list_id":"l","name":"L","namespace_type":"single","type":"detection"}"#.to_string(),
        r#"{"item_id":"setup","list_id":"l","name":"Installer","type":"simple","namespace_type":"single","entries":[{"field":"file.name","operator":"included","type":"match","value":"setup.exe"}]}"#.to_string(),
    ]
    .join("\n");
    let pack = scratch("scan-exc-export.ndjson", export.as_bytes());
    let out = run(&["scan", "--rules", &pack, &events]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = |rule: &str| -> Vec<Vec<u64>> {
        out.json_lines()
            .iter()
            .filter(|a| a["rule_id"] == rule)
            .map(|a| a["events"].as_array().expect("events").iter().filter_map(|e| e["line"].as_u64()).collect())
            .collect()
    };
    assert_eq!(lines("excepted"), [vec![1, 3]], "the hidden line 2 cannot join; line 3 can, as in Elasticsearch");
    assert_eq!(lines("plain"), [vec![1, 2]]);
    assert!(out.stderr.contains("exceptions hid 1 events from 1 rules"), "{}", out.stderr);
    assert!(out.stderr.contains("0 failed"), "the lists are not failed rules: {}", out.stderr);
}
