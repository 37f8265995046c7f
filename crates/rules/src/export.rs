//! A rule as Kibana's rule import takes it (Security → Rules → Import): the model's own fields
//! under Kibana's names, the query given (an edited one, say), the investigation guide with
//! detection-rules' `$osquery_N` / `$investigate_N` placeholders written inline as Kibana's
//! `!{osquery{…}}` / `!{investigate{…}}` (as detection-rules does when it builds a Kibana rule),
//! and what Kibana requires filled in when the rule file left it out.

use crate::Rule;
use serde_json::{json, Map, Value};

pub fn kibana_rule(rule: &Rule, query: &str) -> Map<String, Value> {
    let mut object = match serde_json::to_value(rule) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    };
    // The playground's own: translations, detection-rules' tables, the derived schedule.
    for ours in ["note_i18n", "metadata", "transform", "schedule"] {
        object.remove(ours);
    }
    if let Some(note) = &rule.note {
        object.insert("note".into(), inline_placeholders(note, rule).into());
    }
    object.insert("query".into(), query.trim().into());
    object.insert("type".into(), "eql".into());
    object.insert("language".into(), "eql".into());
    let id = rule.rule_id.clone().unwrap_or_else(|| format!("eql-playground-{:016x}", fnv(&rule.name)));
    object.insert("rule_id".into(), id.into());
    object.entry("risk_score").or_insert(json!(21));
    object.entry("severity").or_insert(json!("low"));
    if rule.description.trim().is_empty() {
        object.insert("description".into(), format!("{} (exported from the EQL Playground)", rule.name).into());
    }
    object.entry("enabled").or_insert(json!(false));
    object.entry("from").or_insert(json!(crate::schedule::DEFAULT_FROM));
    object.entry("interval").or_insert(json!(crate::schedule::DEFAULT_INTERVAL));
    object.insert("max_signals".into(), rule.max_signals.into());
    // Older Kibana import schemas require it; newer ones default custom rules to 1.
    object.entry("version").or_insert(json!(1));
    object
}

/// `$osquery_N` and `$investigate_N` replaced by Kibana's inline form of the transform entry.
fn inline_placeholders(note: &str, rule: &Rule) -> String {
    let mut out = String::with_capacity(note.len());
    let mut rest = note;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let entry = [("$osquery_", "osquery"), ("$investigate_", "investigate")].iter().find_map(|(prefix, kind)| {
            let digits: String = tail.strip_prefix(prefix)?.chars().take_while(char::is_ascii_digit).collect();
            let n: usize = digits.parse().ok()?;
            let block = match *kind {
                "osquery" => serde_json::to_value(rule.transform.osquery.get(n)?).ok()?,
                _ => serde_json::to_value(rule.transform.investigate.get(n)?).ok()?,
            };
            Some((prefix.len() + digits.len(), format!("!{{{kind}{block}}}")))
        });
        match entry {
            Some((len, inline)) => {
                out.push_str(&inline);
                rest = &tail[len..];
            }
            None => {
                out.push('$');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A stable id for a rule without one (FNV-1a of its name).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(all(test, feature = "read"))]
mod tests {
    use super::*;

    #[test]
    fn the_seed_rule_goes_out_with_its_osquery_steps_inline_and_comes_back_the_same() {
        let seed = crate::seed_rule().expect("seed");
        let out = kibana_rule(&seed, &seed.query);
        let note = out["note"].as_str().expect("note");
        assert!(!note.contains("$osquery_") && note.contains("!{osquery{\"label\":"), "{note}");
        let back = crate::load_rule(&Value::Object(out).to_string()).expect("loads back");
        assert_eq!((back.name.as_str(), back.query.trim(), back.rule_id.as_deref()), (seed.name.as_str(), seed.query.trim(), seed.rule_id.as_deref()));
        let steps = |r: &Rule| crate::build_checklist(r, None).map(|c| format!("{:?}", c.sections)).unwrap_or_default();
        assert_eq!(steps(&back), steps(&seed), "the checklist, osquery steps included, is the same");
    }
}
