//! Runs the engine over the page's inputs and shapes the results for display.

use eql::{Reader, Settings, Slot};

/// Sample events shown on first load.
pub const SAMPLE_EVENTS: &str = include_str!("../../../web/samples/script-download.ndjson");

#[derive(Clone, Debug, PartialEq)]
pub struct EventView {
    pub line: u32,
    pub term: usize,
    pub timestamp: String,
    pub category: String,
    pub summary: String,
    pub missing: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchView {
    pub join_keys: Vec<String>,
    pub events: Vec<EventView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InputProblem {
    pub line: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    QueryErrors(Vec<(String, String)>),
    Ran { matches: Vec<MatchView>, events: usize, problems: Vec<InputProblem> },
}

fn text_at(v: &serde_json::Value, path: &str) -> Option<String> {
    let mut cur = v;
    for (i, seg) in path.split('.').enumerate() {
        // Dotted keys (`"process.name"`) and nested objects are the same field.
        let rest: Vec<&str> = path.split('.').skip(i).collect();
        if let Some(found) = cur.get(rest.join(".")) {
            return Some(show(found));
        }
        cur = cur.get(seg)?;
    }
    Some(show(cur))
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn describe(raw: &str) -> (String, String, String) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else { return Default::default() };
    let ts = text_at(&v, "@timestamp").unwrap_or_default();
    let cat = text_at(&v, "event.category").unwrap_or_default();
    let parts: Vec<String> = ["host.name", "process.name", "destination.ip", "file.path", "event.action"]
        .iter()
        .filter_map(|f| text_at(&v, f).map(|x| format!("{f}: {x}")))
        .collect();
    (ts, cat, parts.join(" · "))
}

pub fn analyse(query: &str, events: &str) -> Outcome {
    let settings = Settings::default();
    let plan = match eql::compile_text(query, &settings) {
        Ok(p) => p,
        Err(errors) => {
            return Outcome::QueryErrors(
                errors.iter().map(|e| (e.position(query).to_string(), e.render(query))).collect(),
            )
        }
    };
    let mut reader = Reader::new(plan.fields.clone());
    reader.add(0, events, None);
    let data = reader.finish();
    let problems =
        data.errors().iter().map(|e| InputProblem { line: e.line, message: e.message.clone() }).collect();
    let results = match eql::run(&plan, &data) {
        Ok(r) => r,
        Err(errors) => {
            return Outcome::QueryErrors(
                errors.iter().map(|e| (e.position(query).to_string(), e.render(query))).collect(),
            )
        }
    };
    let matches = results
        .matches
        .iter()
        .map(|m| MatchView {
            join_keys: m.join_keys.iter().map(|k| k.key_text()).collect(),
            events: m
                .events
                .iter()
                .map(|slot| match *slot {
                    Slot::Event { event, term } => {
                        let o = data.origin(event);
                        let raw = events.get(o.offset..o.offset + o.len as usize).unwrap_or("");
                        let (timestamp, category, summary) = describe(raw);
                        EventView { line: o.line, term, timestamp, category, summary, missing: false }
                    }
                    Slot::Missing { term, .. } => EventView {
                        line: 0,
                        term,
                        timestamp: String::new(),
                        category: String::new(),
                        summary: "no matching event (missing-event term)".into(),
                        missing: true,
                    },
                })
                .collect(),
        })
        .collect();
    Outcome::Ran { matches, events: data.len(), problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_rule_finds_one_match_in_the_sample() {
        let rule = rules::seed_rule().expect("seed rule");
        match analyse(&rule.query, SAMPLE_EVENTS) {
            Outcome::Ran { matches, problems, .. } => {
                assert_eq!(matches.len(), 1);
                assert!(problems.is_empty());
                assert_eq!(matches[0].events.iter().map(|e| e.line).collect::<Vec<_>>(), vec![14, 15]);
            }
            other => panic!("{other:?}"),
        }
    }
}
