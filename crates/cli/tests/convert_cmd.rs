//! `eqlplay convert`, and `match` on Windows event logs: the built-in lab capture (Sysmon event
//! XML) becomes ECS events that fire the built-in rule; a broken record is reported by its
//! record id and line while the rest convert; the fields the playground supplies say so.

mod common;
use common::{run, run_with_stdin, scratch, SEED_RULE};

const LAB: &str = "web/samples/lab-sysmon.xml";

#[test]
fn the_lab_capture_converts_to_ecs_with_the_supplied_fields_named() {
    let out = run(&["convert", LAB]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let events = out.json_lines();
    assert_eq!(events.len(), 17);
    let connection = events.iter().find(|e| e["event"]["code"] == "3" && e["process"]["name"] == "wscript.exe").expect("the script's connection");
    assert_eq!(connection["event"]["category"], serde_json::json!(["network"]));
    assert_eq!((connection["network"]["direction"].as_str(), connection["network"]["protocol"].as_str()), (Some("egress"), Some("https")));
    assert_eq!(connection["host"]["name"], "WS-LAB-01.lab.local", "from the log");
    assert_eq!(connection["host"]["id"], "ws-lab-01.lab.local", "supplied");
    let supplied = connection["playground"]["supplied"].as_array().expect("listed");
    for field in ["host.id", "host.os.type", "data_stream.dataset", "event.dataset"] {
        assert!(supplied.iter().any(|s| s == field), "{field} in {supplied:?}");
    }
    assert!(!supplied.iter().any(|s| s == "host.name"), "host.name is read from the log");
    let fixed = run(&["convert", LAB, "--host-id", "lab-host-1"]).json_lines();
    assert!(fixed.iter().all(|e| e["host"]["id"] == "lab-host-1"));
}

#[test]
fn the_built_in_rule_fires_on_the_lab_capture() {
    let out = run(&["match", "--rule", SEED_RULE, LAB]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let results = out.json_lines();
    assert_eq!(results.len(), 1, "{}", out.stdout);
    assert_eq!(results[0]["kind"], "sequence");
    assert_eq!(results[0]["join_keys"], serde_json::json!(["ws-lab-01.lab.local", "{6b1f3c2a-8d41-6a5e-2a01-000000001b00}"]));
}

#[test]
fn a_broken_record_is_named_and_the_rest_convert() {
    let lab = std::fs::read_to_string(common::workspace().join(LAB)).expect("lab");
    let broken = lab.replacen("<EventRecordID>5003</EventRecordID>", "<EventRecordID>5003</EventRecordID><Oops>", 1);
    let path = scratch("broken-lab.xml", broken.as_bytes());
    let out = run(&["convert", &path]);
    assert_eq!(out.code, 1);
    assert_eq!(out.json_lines().len(), 16);
    assert!(out.stderr.contains("line 5 (record 5003): not well-formed XML"), "{}", out.stderr);
    // `match` reads what converts and says what did not.
    let out = run(&["match", "--rule", SEED_RULE, &path]);
    assert_eq!((out.code, out.json_lines().len()), (0, 1), "{}", out.stderr);
    assert!(out.stderr.contains("record 5003"), "{}", out.stderr);
}

#[test]
fn winlogbeat_lines_convert_and_other_input_is_refused() {
    let line = r#"{"@timestamp":"2026-11-20T09:16:06.040Z","winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","computer_name":"WS-LAB-01","record_id":7,"event_id":11,"provider_name":"Microsoft-Windows-Sysmon","event_data":{"TargetFilename":"C:\\t\\a.EXE","ProcessGuid":"{6B1F3C2A-8D41-6A5E-2A01-000000001B00}"}}}"#;
    let out = run_with_stdin(&["convert", "-"], &format!("{line}\nnot json\n"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let events = out.json_lines();
    assert_eq!(events[0]["file"]["extension"], "EXE");
    assert_eq!(events[0]["process"]["entity_id"], "{6b1f3c2a-8d41-6a5e-2a01-000000001b00}", "GUIDs in Windows' form");
    assert!(out.stderr.contains("line 2: not JSON"), "{}", out.stderr);
    let ndjson = scratch("plain.ndjson", b"{\"event\":{\"category\":\"process\"}}\n");
    let out = run(&["convert", &ndjson]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a Windows event log"), "{}", out.stderr);
}
