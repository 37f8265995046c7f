//! The worker's state: the event text, the dataset read for the current query's fields, and
//! how results are shaped for the page.

use crate::protocol::{EventView, InputProblem, MatchView, Outcome, QueryProblem, RunSettings};
use eql::{Dataset, Reader, Settings, Slot};

#[derive(Default)]
pub struct Session {
    text: String,
    /// The dataset and the field paths it was read for (reused while they do not change).
    cached: Option<(Vec<String>, Dataset)>,
}

fn text_at(v: &serde_json::Value, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut cur = v;
    for i in 0..parts.len() {
        // Dotted keys (`"process.name"`) and nested objects are the same field.
        if let Some(found) = cur.get(parts[i..].join(".")) {
            return Some(show(found));
        }
        cur = cur.get(parts[i])?;
    }
    None
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn describe(raw: &str, settings: &RunSettings) -> (String, String, String) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else { return Default::default() };
    let ts = text_at(&v, &settings.timestamp_field).unwrap_or_default();
    let cat = text_at(&v, &settings.event_category_field).unwrap_or_default();
    let parts: Vec<String> = ["host.name", "process.name", "destination.ip", "file.path", "event.action"]
        .iter()
        .filter_map(|f| text_at(&v, f).map(|x| format!("{f}: {x}")))
        .collect();
    (ts, cat, parts.join(" · "))
}

fn query_problems(errors: &[eql::QueryError], query: &str) -> Outcome {
    Outcome::QueryErrors(
        errors
            .iter()
            .map(|e| QueryProblem {
                position: e.position(query).to_string(),
                rendered: e.render(query),
                start: e.span.start,
                end: e.span.end,
            })
            .collect(),
    )
}

impl Session {
    pub fn set_text(&mut self, text: String) {
        self.text = text;
        self.cached = None;
    }

    pub fn run(&mut self, query: &str, run: &RunSettings) -> Outcome {
        let settings = Settings {
            timestamp_field: run.timestamp_field.trim().to_string(),
            tiebreaker_field: Some(run.tiebreaker_field.trim().to_string()).filter(|s| !s.is_empty()),
            event_category_field: run.event_category_field.trim().to_string(),
            ..Settings::default()
        };
        let plan = match eql::compile_text(query, &settings) {
            Ok(p) => p,
            Err(errors) => return query_problems(&errors, query),
        };
        let paths: Vec<String> = plan.fields.iter().map(|(_, f)| f.path.clone()).collect();
        if self.cached.as_ref().map(|(p, _)| p) != Some(&paths) {
            let mut reader = Reader::new(plan.fields.clone());
            reader.add(0, &self.text, None);
            self.cached = Some((paths, reader.finish()));
        }
        let Some((_, data)) = &self.cached else { return Outcome::QueryErrors(Vec::new()) };
        let problems = data.errors().iter().map(|e| InputProblem { line: e.line, message: e.message.clone() }).collect();
        let results = match eql::run(&plan, data) {
            Ok(r) => r,
            Err(errors) => return query_problems(&errors, query),
        };
        let matches = results
            .matches
            .iter()
            .map(|m| MatchView {
                join_keys: m.join_keys.iter().map(|k| k.key_text()).collect(),
                events: m.events.iter().map(|slot| self.event_view(data, slot, run)).collect(),
            })
            .collect();
        Outcome::Ran { matches, events: data.len(), problems, millis: 0.0 }
    }

    fn event_view(&self, data: &Dataset, slot: &Slot, run: &RunSettings) -> EventView {
        match *slot {
            Slot::Event { event, term } => {
                let o = data.origin(event);
                let raw = self.text.get(o.offset..o.offset + o.len as usize).unwrap_or("");
                let (timestamp, category, summary) = describe(raw, run);
                EventView { index: event, line: o.line, term, timestamp, category, summary, missing: false }
            }
            Slot::Missing { term, .. } => EventView {
                index: usize::MAX,
                line: 0,
                term,
                timestamp: String::new(),
                category: String::new(),
                summary: String::new(),
                missing: true,
            },
        }
    }
}

/// Sample events shown on first load.
pub const SAMPLE_EVENTS: &str = include_str!("../../../web/samples/script-download.ndjson");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_rule_finds_one_match_in_the_sample() {
        let rule = rules::seed_rule().expect("seed rule");
        let mut s = Session::default();
        s.set_text(SAMPLE_EVENTS.to_string());
        match s.run(&rule.query, &RunSettings::default()) {
            Outcome::Ran { matches, problems, .. } => {
                assert_eq!(matches.len(), 1);
                assert!(problems.is_empty());
                assert_eq!(matches[0].events.iter().map(|e| e.line).collect::<Vec<_>>(), vec![14, 15]);
            }
            other => panic!("{other:?}"),
        }
    }
}
