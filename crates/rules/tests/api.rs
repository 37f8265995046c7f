//! The public API on the inputs users give it, hostile ones included.

use rules::{load_rule, load_rules, Format, RuleErrorKind, Segment};

fn rule_with_note(note: &str) -> rules::Rule {
    let json =
        serde_json::json!({"name": "n", "query": "any where true", "type": "eql", "note": note});
    load_rule(&json.to_string()).expect("rule loads")
}

#[test]
fn xss_payload_in_a_note_stays_literal_text() {
    let payload = "<img src=x onerror=alert(1)>";
    let rule = rule_with_note(&format!("## Steps\n\n- Check {payload} now\n\n{payload}\n"));
    let checklist = rule.checklist(None).expect("checklist");
    let section = &checklist.sections[0];
    assert_eq!(section.steps[0].text, format!("Check {payload} now"));
    assert_eq!(
        section.steps[0].segments(),
        vec![Segment::Text {
            text: format!("Check {payload} now")
        }]
    );
    assert_eq!(section.intro.as_deref(), Some(payload));
    // In the Markdown report it is escaped, so no renderer treats it as HTML.
    let report = rules::report::markdown(&rule, &checklist, &Default::default(), None);
    assert!(
        report.contains("\\<img src=x onerror=alert(1)\\>"),
        "{report}"
    );
    assert!(!report.contains(payload));
}

#[test]
fn javascript_link_is_dropped_to_text() {
    let rule = rule_with_note(
        "- [click me](javascript:alert(document.cookie)) and [docs](https://www.elastic.co)\n",
    );
    let step = &rule.checklist(None).expect("checklist").sections[0].steps[0];
    assert_eq!(step.text, "click me and [docs](https://www.elastic.co)");
    assert!(!step.text.contains("javascript"));
    let links: Vec<_> = step
        .segments()
        .into_iter()
        .filter(|s| matches!(s, Segment::Link { .. }))
        .collect();
    assert_eq!(
        links,
        vec![Segment::Link {
            text: "docs".into(),
            url: "https://www.elastic.co".into()
        }]
    );
}

#[test]
fn kibana_ndjson_export_with_summary_line() {
    let export = [
        r###"{"id":"x1","rule_id":"r1","name":"First","type":"eql","language":"eql","query":"process where true","index":["logs-*"],"risk_score":21,"severity":"low","from":"now-6m","interval":"5m","max_signals":100,"threat":[],"note":"## T\n- !{osquery{\"label\":\"L\",\"query\":\"SELECT 1\"}}","setup":"","version":3}"###,
        r#"{"id":"x2","rule_id":"r2","name":"Second","type":"eql","language":"eql","query":"file where true","tags":["a"],"max_signals":50}"#,
        r#"{"exported_count":2,"exported_rules_count":2,"missing_rules":[],"missing_rules_count":0,"exported_exception_list_count":0,"exported_exception_list_item_count":0,"missing_exception_list_item_count":0,"missing_exception_list_items":[],"missing_exception_lists":[],"missing_exception_lists_count":0,"exported_action_connector_count":0,"missing_action_connection_count":0,"missing_action_connections":[],"excluded_action_connection_count":0,"excluded_action_connections":[]}"#,
    ]
    .join("\n");
    assert_eq!(Format::detect(&export), Format::Ndjson);
    let rules = load_rules(&export, None).expect("export loads");
    assert_eq!(rules.len(), 2);
    assert_eq!(
        (rules[0].rule_id.as_deref(), rules[0].version),
        (Some("r1"), Some(3))
    );
    assert_eq!(rules[0].extra["id"], "x1", "unknown Kibana fields are kept");
    assert_eq!(rules[1].max_signals, 50);
    let c = rules[0].checklist(None).expect("checklist");
    assert_eq!(c.osquery()[0].query, "SELECT 1");
}

#[test]
fn a_file_that_is_not_a_rule_says_what_is_missing() {
    let err =
        load_rule("[package]\nname = \"eql\"\nversion = \"0.1.0\"\n").expect_err("not a rule");
    assert_eq!(err.kind, RuleErrorKind::NotARule);
    assert_eq!(err.to_string(), "not a rule: missing [rule] table");
    let err = load_rule(r#"{"name": "just a name"}"#).expect_err("not a rule");
    assert_eq!(err.kind, RuleErrorKind::NotARule);
    assert!(err.to_string().contains("missing field `query`"), "{err}");
}

#[test]
fn malformed_toml_reports_its_line() {
    let text = "[metadata]\nmaturity = \"production\"\n\n[rule]\nname = \"x\"\nquery = any where true\nseverity = \"low\"\n";
    let err = load_rule(text).expect_err("malformed");
    assert_eq!(err.kind, RuleErrorKind::Syntax);
    assert_eq!(err.line, Some(6), "{err}");
    assert!(err.to_string().starts_with("line 6"), "{err}");
}
