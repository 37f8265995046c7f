//! A dataset's events and their names, and running one query over them.

use eql::{Plan, QueryError, Reader, Results, Settings};
use std::collections::HashMap;

/// The name a missing-event slot of a sequence has in results (`expected = [[12, -1]]`).
pub const MISSING: &str = "-1";

/// One dataset of a pack, read.
#[derive(Debug, Clone)]
pub struct Events {
    pub id: String,
    pub text: String,
    pub hidden: bool,
    /// Event names by line, when the pack names events by a field.
    names: Option<HashMap<u32, String>>,
}

impl Events {
    /// `id_field`: the field that names events (`None`: line numbers).
    pub fn new(id: String, text: String, hidden: bool, id_field: Option<&str>) -> Events {
        let names = id_field.map(|field| {
            let mut names = HashMap::new();
            for (i, line) in text.lines().enumerate() {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                    if let Some(name) = field_text(&value, field) {
                        names.insert(i as u32 + 1, name);
                    }
                }
            }
            names
        });
        Events { id, text, hidden, names }
    }

    /// Every event's name, in order (lines that are not events have none).
    pub fn all_names(&self) -> Vec<String> {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .filter_map(|(i, _)| self.line_name(i as u32 + 1))
            .collect()
    }

    fn line_name(&self, line: u32) -> Option<String> {
        match &self.names {
            Some(names) => names.get(&line).cloned(),
            None => Some(line.to_string()),
        }
    }

    /// The name of event `event` of `data` (read from this dataset).
    pub fn name(&self, data: &eql::Dataset, event: usize) -> String {
        let line = data.origin(event).line;
        self.line_name(line).unwrap_or_else(|| format!("line {line}"))
    }

    /// The line of the event named `name`, for explanations.
    pub fn event_index(&self, data: &eql::Dataset, name: &str) -> Option<usize> {
        (0..data.len()).find(|&e| self.name(data, e) == name)
    }
}

/// A query run over one dataset.
pub struct Run {
    pub query: String,
    pub plan: Plan,
    pub data: eql::Dataset,
    pub results: Results,
}

impl Run {
    pub fn new(query: &str, settings: &Settings, events: &Events) -> Result<Run, Vec<QueryError>> {
        let plan = eql::compile_text(query, settings)?;
        let mut reader = Reader::new(plan.fields.clone());
        reader.add(0, &events.text, None);
        let data = reader.finish();
        let results = eql::run(&plan, &data)?;
        Ok(Run { query: query.to_string(), plan, data, results })
    }

    /// Each result as the names of its events (missing-event slots are [`MISSING`]).
    pub fn named(&self, events: &Events) -> Vec<Vec<String>> {
        self.results
            .matches
            .iter()
            .map(|m| {
                m.events
                    .iter()
                    .map(|slot| slot.event().map_or_else(|| MISSING.to_string(), |e| events.name(&self.data, e)))
                    .collect()
            })
            .collect()
    }
}

/// A field's value as text, by dotted path; a dotted key (`{"event.id": …}`) counts too.
pub fn field_text(value: &serde_json::Value, path: &str) -> Option<String> {
    field_values(value, path).into_iter().next().map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// Every value a dotted path reaches (arrays are walked: fields can be multi-valued).
pub fn field_values<'v>(value: &'v serde_json::Value, path: &str) -> Vec<&'v serde_json::Value> {
    rules::fields::values(value, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_nested_dotted_and_in_arrays() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"event":{"id":"a1","type":["start","process_start"]},"process.name":"x.exe"}"#).expect("json");
        assert_eq!(field_text(&v, "event.id").as_deref(), Some("a1"));
        assert_eq!(field_text(&v, "process.name").as_deref(), Some("x.exe"));
        assert_eq!(field_values(&v, "event.type").len(), 2);
        assert_eq!(field_text(&v, "host.name"), None);
    }
}
