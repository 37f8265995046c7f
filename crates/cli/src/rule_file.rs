//! Rule files: detection-rules TOML, Kibana JSON (an object or an array) and Kibana NDJSON
//! exports, told apart by extension and otherwise by content.

use rules::{Format, Rule, RuleError};

/// Every rule in `text`, plus the errors of the objects that are not readable rules.
pub fn load(path: &str, text: &str) -> (Vec<Rule>, Vec<RuleError>) {
    let hint = Format::from_extension(&crate::input::extension(path));
    rules::load_rules_partial(text, hint)
}

/// Why the CLI cannot run this rule, if it cannot: not EQL, or no query.
pub fn eql_problem(rule: &Rule) -> Option<String> {
    let language_ok = rule
        .language
        .as_deref()
        .is_none_or(|l| l.eq_ignore_ascii_case("eql"));
    if !rule.is_eql() || !language_ok {
        let mut what = Vec::new();
        if let Some(t) = &rule.rule_type {
            what.push(format!("type `{t}`"));
        }
        if let Some(l) = &rule.language {
            what.push(format!("language `{l}`"));
        }
        return Some(match what.is_empty() {
            true => "not an EQL rule".to_string(),
            false => format!("not an EQL rule ({})", what.join(", ")),
        });
    }
    if rule.query.trim().is_empty() {
        return Some("the rule has no query".to_string());
    }
    None
}

/// How a rule is named in messages.
pub fn label(rule: &Rule) -> String {
    match rule.name.trim().is_empty() {
        true => rule
            .rule_id
            .clone()
            .map_or_else(|| "(unnamed rule)".to_string(), |id| format!("rule {id}")),
        false => format!("rule \"{}\"", rule.name),
    }
}
