//! Loading rules from the formats users have: a detection-rules TOML file, a
//! Kibana rule as one JSON object (or an array of them), or a Kibana export
//! (NDJSON, which also carries export summaries, exception lists and action
//! connectors that are not rules and are skipped).

use crate::error::{line_col, RuleError, RuleErrorKind};
use crate::model::{Metadata, Rule, Transform};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// detection-rules TOML (`[metadata]`, `[rule]`, `[transform]`).
    Toml,
    /// One JSON rule object, or an array of them.
    Json,
    /// Kibana export: one JSON object per line.
    Ndjson,
}

impl Format {
    /// From a file extension ("toml", ".json", "ndjson"), case-insensitive.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.trim_start_matches('.').to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            _ => None,
        }
    }

    /// Guesses from the first meaningful character: JSON starts with `{` or
    /// `[{`; everything else (`[rule]`, `key = ..`, `# comment`) is TOML.
    pub fn detect(text: &str) -> Format {
        let t = strip_bom(text).trim_start();
        if t.starts_with('{') {
            let objects = t
                .lines()
                .filter(|l| l.trim_start().starts_with('{'))
                .count();
            // A pretty-printed object has one `{` line per nesting level too;
            // an export has every non-empty line starting with `{`.
            let lines = t.lines().filter(|l| !l.trim().is_empty()).count();
            if objects > 1 && objects == lines {
                Format::Ndjson
            } else {
                Format::Json
            }
        } else if let Some(rest) = t.strip_prefix('[') {
            // `[rule]`, `["quoted"]` and `[[array.of.tables]]`-style names
            // are TOML; `[{`, `[]`, `[1` can only be JSON.
            match rest.trim_start().chars().next() {
                Some(c) if c == '{' || c == ']' || c == '-' || c.is_ascii_digit() => Format::Json,
                _ => Format::Toml,
            }
        } else {
            Format::Toml
        }
    }
}

/// Loads every rule in `text`. The format is detected unless hinted.
pub fn load_rules(text: &str, format_hint: Option<Format>) -> Result<Vec<Rule>, RuleError> {
    let (rules, mut errors) = load_rules_partial(text, format_hint);
    match errors.is_empty() {
        true => Ok(rules),
        false => Err(errors.swap_remove(0)),
    }
}

/// Like [`load_rules`], but keeps the rules that did load when others in a
/// multi-rule export fail (e.g. a machine-learning rule has no `query`).
/// A whole-input failure (syntax, empty) is the single error.
pub fn load_rules_partial(text: &str, format_hint: Option<Format>) -> (Vec<Rule>, Vec<RuleError>) {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return (
            Vec::new(),
            vec![RuleError::new(
                RuleErrorKind::Empty,
                "no rule: the input is empty",
            )],
        );
    }
    match format_hint.unwrap_or_else(|| Format::detect(text)) {
        Format::Toml => match load_toml(text) {
            Ok(r) => (vec![r], Vec::new()),
            Err(e) => (Vec::new(), vec![e]),
        },
        Format::Json | Format::Ndjson => load_json(text),
    }
}

/// The first EQL rule of a rule file (one rule, or a Kibana export of several), or why there
/// is none.
pub fn first_eql_rule(text: &str) -> Result<Rule, String> {
    let rules = load_rules(text, None).map_err(|e| e.to_string())?;
    rules.into_iter().find(|r| r.is_eql()).ok_or_else(|| "the file holds no EQL rule".to_string())
}

/// Loads exactly one rule.
pub fn load_rule(text: &str) -> Result<Rule, RuleError> {
    let mut rules = load_rules(text, None)?;
    match rules.len() {
        1 => Ok(rules.swap_remove(0)),
        0 => Err(RuleError::new(
            RuleErrorKind::NotARule,
            "no rule found in the input",
        )),
        n => Err(RuleError::new(
            RuleErrorKind::Invalid,
            format!("expected one rule, found {n}"),
        )),
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The three tables detection-rules uses; others are kept in `Rule::extra`.
#[derive(Deserialize)]
struct TomlDoc {
    metadata: Option<Metadata>,
    rule: Option<Rule>,
    transform: Option<Transform>,
}

fn load_toml(text: &str) -> Result<Rule, RuleError> {
    // Syntax first, so malformed files always report a position.
    let table: toml::Table = text
        .parse()
        .map_err(|e| toml_error(text, &e, RuleErrorKind::Syntax))?;
    if !table.contains_key("rule") {
        return Err(RuleError::new(
            RuleErrorKind::NotARule,
            "not a rule: missing [rule] table",
        ));
    }
    // The typed read goes through JSON values, the path Kibana exports take anyway: one
    // deserializer for the rule model instead of two keeps the page's WebAssembly much smaller.
    // (Type errors then carry no line; syntax errors, found above, do.)
    let mut json = serde_json::to_value(&table).map_err(|e| RuleError::new(RuleErrorKind::Invalid, e.to_string()))?;
    if let Some(Value::Object(rule)) = json.get_mut("rule") {
        without_query_if_not_query_language(rule);
    }
    let doc: TomlDoc = serde_json::from_value(json).map_err(|e| {
        let message = json_message(&e);
        match message.strip_prefix("missing field") {
            Some(_) => RuleError::new(RuleErrorKind::NotARule, format!("not a rule: {message} in [rule]")),
            None => RuleError::new(RuleErrorKind::Invalid, message),
        }
    })?;
    let mut rule = match doc.rule {
        Some(r) => r,
        None => {
            return Err(RuleError::new(
                RuleErrorKind::NotARule,
                "not a rule: missing [rule] table",
            ))
        }
    };
    rule.metadata = doc.metadata.or(rule.metadata);
    if let Some(t) = doc.transform {
        rule.transform = t;
    }
    for (key, value) in table {
        if !matches!(key.as_str(), "metadata" | "rule" | "transform") {
            // A top-level table of a future schema: keep it, namespaced so it
            // cannot collide with a rule field.
            if let Ok(v) = serde_json::to_value(value) {
                rule.extra.insert(format!("toml.{key}"), v);
            }
        }
    }
    Ok(rule.finish())
}

fn toml_error(text: &str, e: &toml::de::Error, kind: RuleErrorKind) -> RuleError {
    let err = RuleError::new(kind, e.message().trim());
    match e.span() {
        Some(span) => {
            let (l, c) = line_col(text, span.start);
            err.at(l, c)
        }
        None => err,
    }
}

fn load_json(text: &str) -> (Vec<Rule>, Vec<RuleError>) {
    let mut values = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        let start = next_value_start(text, stream.byte_offset());
        match stream.next() {
            None => break,
            Some(Ok(v)) => values.push((start, v)),
            Some(Err(e)) => {
                let err = RuleError::new(RuleErrorKind::Syntax, json_message(&e));
                return (Vec::new(), vec![err.at(e.line(), e.column())]);
            }
        }
    }
    // A lone object must be a rule; in an export, non-rule objects are normal.
    let lone = values.len() == 1 && values[0].1.is_object();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0usize;
    for (start, value) in values {
        let (line, col) = line_col(text, start);
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match json_rule(item, lone) {
                Ok(Some(r)) => rules.push(r),
                Ok(None) => skipped += 1,
                Err(e) => errors.push(e.or_at(line, col)),
            }
        }
    }
    if rules.is_empty() && errors.is_empty() {
        let what = if skipped > 0 {
            "no rules found: the export holds only summaries, exception lists or connectors"
        } else {
            "no rules found: the JSON holds no rule objects"
        };
        errors.push(RuleError::new(RuleErrorKind::NotARule, what));
    }
    (rules, errors)
}

/// `Ok(None)` for the non-rule objects of a Kibana export.
fn json_rule(value: Value, lone: bool) -> Result<Option<Rule>, RuleError> {
    let Value::Object(obj) = value else {
        return Err(RuleError::new(
            RuleErrorKind::NotARule,
            "not a rule: expected a JSON object",
        ));
    };
    if let Some(what) = export_extra(&obj) {
        return match lone {
            false => Ok(None),
            true => Err(RuleError::new(
                RuleErrorKind::NotARule,
                format!("not a rule: this is {what}"),
            )),
        };
    }
    let mut obj = obj;
    without_query_if_not_query_language(&mut obj);
    match serde_json::from_value::<Rule>(Value::Object(obj)) {
        Ok(r) => Ok(Some(r.finish())),
        Err(e) => {
            let msg = json_message(&e);
            Err(match msg.starts_with("missing field") {
                true => RuleError::new(RuleErrorKind::NotARule, format!("not a rule: {msg}")),
                false => RuleError::new(RuleErrorKind::Invalid, msg),
            })
        }
    }
}

/// Machine-learning (and other query-less) rules have a `type` but no `query`: they load with
/// an empty query, so a pack lists them as not run, by type, rather than as unreadable.
fn without_query_if_not_query_language(rule: &mut Map<String, Value>) {
    let typed = rule.get("type").and_then(Value::as_str).is_some_and(|t| !t.eq_ignore_ascii_case("eql"));
    if typed && rule.contains_key("name") && !rule.contains_key("query") {
        rule.insert("query".into(), Value::String(String::new()));
    }
}

/// Recognises the other objects Kibana puts in a rule export.
fn export_extra(obj: &Map<String, Value>) -> Option<&'static str> {
    let has = |k: &str| obj.contains_key(k);
    if has("exported_count") || has("exported_rules_count") || has("exported_exception_list_count") {
        Some("a Kibana export summary")
    } else if has("list_id") && !has("query") {
        Some("an exception list")
    } else if obj.get("type").and_then(Value::as_str) == Some("action") && has("attributes") {
        Some("an action connector")
    } else {
        None
    }
}

/// serde_json appends " at line L column C" to messages; we report the
/// position separately.
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) if e.line() > 0 => full[..i].to_owned(),
        _ => full,
    }
}

fn next_value_start(text: &str, offset: usize) -> usize {
    let rest = text.get(offset..).unwrap_or("");
    offset + (rest.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML_RULE: &str = r###"
[metadata]
creation_date = "2020/01/01"
integration = "endpoint"
maturity = "production"
updated_date = "2024/01/01"
future_key = 1

[rule]
author = ["Elastic"]
description = "d"
from = "now-9m"
index = ["logs-*"]
language = "eql"
license = "Elastic License v2"
name = "Test rule"
risk_score = 47
rule_id = "abc"
severity = "medium"
tags = ["OS: Windows"]
type = "eql"
query = '''
process where true
'''
note = "## Triage\n- step $osquery_0"
custom_field = "kept"

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1105"
name = "Ingress Tool Transfer"
reference = "https://attack.mitre.org/techniques/T1105/"

[rule.threat.tactic]
id = "TA0011"
name = "Command and Control"
reference = "https://attack.mitre.org/tactics/TA0011/"

[[transform.osquery]]
label = "L"
query = "SELECT 1"
ecs_mapping = { a = { field = "b" } }

[extension]
x = 1
"###;

    #[test]
    fn loads_detection_rules_toml() {
        let r = load_rule(TOML_RULE).unwrap();
        assert_eq!(r.name, "Test rule");
        assert_eq!(r.query, "process where true\n");
        assert_eq!(r.rule_id.as_deref(), Some("abc"));
        assert_eq!(r.max_signals, 100);
        assert_eq!(r.schedule.as_ref().unwrap().additional_lookback, "4m");
        let md = r.metadata.as_ref().unwrap();
        assert_eq!(md.integration, ["endpoint"]);
        assert_eq!(md.extra["future_key"], 1);
        assert_eq!(r.threat[0].tactic.id, "TA0011");
        assert_eq!(r.threat[0].technique[0].id, "T1105");
        assert_eq!(r.transform.osquery[0].label, "L");
        assert_eq!(
            r.transform.osquery[0].extra["ecs_mapping"]["a"]["field"],
            "b"
        );
        assert_eq!(r.extra["custom_field"], "kept");
        assert_eq!(r.extra["toml.extension"]["x"], 1);
    }

    #[test]
    fn detects_formats() {
        assert_eq!(Format::detect("[metadata]\n"), Format::Toml);
        assert_eq!(Format::detect("\u{feff}  # c\n[rule]"), Format::Toml);
        assert_eq!(Format::detect("[{\"a\":1}]"), Format::Json);
        assert_eq!(
            Format::detect("{\n  \"a\": {\n    \"b\": 1\n  }\n}"),
            Format::Json
        );
        assert_eq!(Format::detect("{\"a\":1}\n{\"b\":2}\n"), Format::Ndjson);
        assert_eq!(Format::from_extension(".NDJSON"), Some(Format::Ndjson));
    }

    #[test]
    fn loads_kibana_json_object_and_array() {
        let one =
            r#"{"name":"a","query":"any where true","type":"eql","rule_id":"1","risk_score":21}"#;
        assert_eq!(load_rule(one).unwrap().risk_score, Some(21));
        let pretty =
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(one).unwrap()).unwrap();
        assert_eq!(load_rule(&pretty).unwrap().name, "a");
        let arr = format!("[{one}, {one}]");
        assert_eq!(load_rules(&arr, None).unwrap().len(), 2);
        assert!(load_rule(&arr).is_err());
    }

    #[test]
    fn kibana_ndjson_export_skips_non_rules() {
        let text = concat!(
            r#"{"name":"a","query":"any where true","type":"eql","rule_id":"1"}"#,
            "\n",
            r#"{"name":"b","query":"process where true","type":"eql","rule_id":"2","exceptions_list":[]}"#,
            "\n",
            r#"{"list_id":"l1","type":"detection","name":"exceptions","namespace_type":"single"}"#,
            "\n",
            r#"{"exported_count":2,"exported_rules_count":2,"missing_rules":[],"missing_rules_count":0}"#,
            "\n",
        );
        let rules = load_rules(text, None).unwrap();
        assert_eq!(
            rules.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(load_rules(text, Some(Format::Ndjson)).unwrap().len(), 2);
    }

    #[test]
    fn ndjson_errors_name_the_line() {
        let text = "{\"name\":\"a\",\"query\":\"q\"}\n{\"name\":\"b\",\"query\":1}\n";
        let err = load_rules(text, None).unwrap_err();
        assert_eq!(err.line, Some(2));
        let (ok, errs) = load_rules_partial(text, None);
        assert_eq!((ok.len(), errs.len()), (1, 1));
    }

    #[test]
    fn a_machine_learning_rule_loads_without_a_query_to_be_listed_as_not_eql() {
        let text = "{\"name\":\"a\",\"query\":\"q\"}\n{\"name\":\"ml\",\"type\":\"machine_learning\"}\n";
        let rules = load_rules(text, None).expect("both load");
        assert_eq!((rules[1].rule_type.as_deref(), rules[1].query.as_str(), rules[1].is_eql()), (Some("machine_learning"), "", false));
        let toml = "[rule]\nname = \"ml\"\ntype = \"machine_learning\"\nanomaly_threshold = 75\n";
        assert_eq!(load_rule(toml).expect("loads").rule_type.as_deref(), Some("machine_learning"));
    }

    #[test]
    fn non_rules_say_what_is_missing() {
        let e = load_rule("[package]\nname = \"x\"\n").unwrap_err();
        assert_eq!(e.kind, RuleErrorKind::NotARule);
        assert!(e.to_string().contains("missing [rule] table"), "{e}");
        let e = load_rule("[rule]\nname = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("missing field `query`"), "{e}");
        let e = load_rule(r#"{"name":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `query`"), "{e}");
        let e = load_rule(r#"{"exported_count":0}"#).unwrap_err();
        assert!(e.to_string().contains("export summary"), "{e}");
        let e = load_rule("[1, 2]").unwrap_err();
        assert!(e.to_string().contains("expected a JSON object"), "{e}");
        assert_eq!(load_rule("  \n").unwrap_err().kind, RuleErrorKind::Empty);
    }

    #[test]
    fn malformed_input_reports_a_line() {
        let e = load_rule("[rule]\nname = \"x\"\nquery = oops\n").unwrap_err();
        assert_eq!((e.kind, e.line), (RuleErrorKind::Syntax, Some(3)));
        assert!(e.to_string().starts_with("line 3"), "{e}");
        let e = load_rule("{\n\"name\": \"x\",\n\"query\": \n}").unwrap_err();
        assert_eq!((e.kind, e.line), (RuleErrorKind::Syntax, Some(4)));
    }

    #[test]
    fn wrong_field_types_are_invalid() {
        let e = load_rule("[rule]\nname = \"x\"\nquery = \"q\"\nseverity = 3\n").unwrap_err();
        assert_eq!(e.kind, RuleErrorKind::Invalid);
        let e = load_rule(r#"{"name":"x","query":"q","risk_score":"high"}"#).unwrap_err();
        assert_eq!(e.kind, RuleErrorKind::Invalid);
        assert!(e.line.is_some());
    }
}
