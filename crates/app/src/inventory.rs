//! What fields the loaded events have: each field's path, how many events have it and a sample
//! value, and the values of the event category field — what the query editor completes from.
//! Worked out in the worker when the editor first asks for it over these events.

use crate::protocol::{FieldHelp, FieldInfo};
use serde_json::Value;
use std::collections::HashMap;

/// Fields listed at most (the most common first).
const MAX_FIELDS: usize = 3000;
/// Nesting followed at most (a hostile event cannot recurse further).
const MAX_DEPTH: usize = 32;

#[derive(Default)]
struct Tally {
    count: usize,
    sample: Option<String>,
    /// The last event counted (a field counts once per event, however many values it has).
    last: usize,
}

pub fn inventory(text: &str, category_field: &str, version: u32) -> FieldHelp {
    let mut fields: HashMap<String, Tally> = HashMap::new();
    let mut categories: HashMap<String, usize> = HashMap::new();
    let mut events = 0;
    for line in text.lines() {
        let Ok(Value::Object(event)) = serde_json::from_str::<Value>(line.trim()) else { continue };
        events += 1;
        let mut seen = Vec::new();
        for (key, value) in &event {
            walk(key, value, 0, &mut seen);
        }
        for (path, value) in seen {
            let tally = fields.entry(path).or_default();
            if tally.last != events {
                tally.count += 1;
                tally.last = events;
            }
            if tally.sample.is_none() && !value.is_empty() {
                tally.sample = Some(value.chars().take(60).collect());
            }
        }
        for value in category_values(&Value::Object(event), category_field) {
            *categories.entry(value).or_default() += 1;
        }
    }
    let mut fields: Vec<FieldInfo> = fields
        .into_iter()
        .map(|(path, t)| FieldInfo { path, count: t.count, sample: t.sample.unwrap_or_default() })
        .collect();
    fields.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
    fields.truncate(MAX_FIELDS);
    let mut categories: Vec<(String, usize)> = categories.into_iter().collect();
    categories.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    FieldHelp { version, category_field: category_field.to_string(), events, fields, categories }
}

/// Every (path, value as text) of a scalar under `value`; arrays of objects are walked into,
/// as Elasticsearch flattens them.
fn walk(path: &str, value: &Value, depth: usize, out: &mut Vec<(String, String)>) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                walk(&format!("{path}.{key}"), child, depth + 1, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk(path, item, depth + 1, out)),
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Null => {}
        other => out.push((path.to_string(), other.to_string())),
    }
}

fn category_values(event: &Value, field: &str) -> Vec<String> {
    let mut values = Vec::new();
    for v in rules::fields::values(event, field) {
        match v {
            Value::String(s) => values.push(s.clone()),
            Value::Null => {}
            other => values.push(other.to_string()),
        }
    }
    values.sort();
    values.dedup();
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_counted_once_per_event_with_a_sample() {
        let text = "{\"event\":{\"category\":[\"network\",\"process\"]},\"process\":{\"name\":\"a.exe\",\"args\":[\"x\",\"y\"]}}\n\
                    {\"event.category\":\"network\",\"dns\":{\"answers\":[{\"data\":\"1.2.3.4\"},{\"data\":\"5.6.7.8\"}]}}\n\
                    not json\n";
        let help = inventory(text, "event.category", 3);
        assert_eq!((help.version, help.events), (3, 2));
        let field = |p: &str| help.fields.iter().find(|f| f.path == p).map(|f| (f.count, f.sample.clone()));
        assert_eq!(field("event.category"), Some((2, "network".into())));
        assert_eq!(field("process.args"), Some((1, "x".into())));
        assert_eq!(field("dns.answers.data"), Some((1, "1.2.3.4".into())));
        assert_eq!(help.fields[0].path, "event.category", "the most common first");
        assert_eq!(help.categories, [("network".to_string(), 2), ("process".to_string(), 1)]);
    }
}
