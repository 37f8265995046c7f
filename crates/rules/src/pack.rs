//! A rule pack run over events in one pass: every EQL rule compiled through one shared field
//! table (`eql::compile_sharing`), so the events are read once, for the union of the fields the
//! rules read; then each rule runs with its own settings (`timestamp_field`,
//! `event_category_override`, `tiebreaker_field`) over that one dataset. A rule's results are
//! exactly those it gives alone (`tests/corpus` checks this for every corpus rule).
//! Rules of other types are kept, to be listed as not run; EQL rules that do not compile are
//! kept with their error.

use crate::Rule;
use eql::data::{FieldId, FieldTable, Val};
use eql::engine::Prepared;
use eql::{Dataset, Match, Plan, Settings};
use std::collections::HashMap;

/// One rule of the pack and what became of it.
pub struct PackRule {
    /// Where it was read (a file, a file's line).
    pub source: String,
    pub rule: Rule,
    pub status: Status,
}

pub enum Status {
    Ready(Box<Plan>),
    /// Not an EQL rule: its type (`query`, `threshold`, `esql`, `machine_learning`, …).
    NotEql(String),
    /// The query does not compile: the first error, rendered with its position.
    Invalid(String),
}

pub struct Pack {
    pub rules: Vec<PackRule>,
    /// Every field some rule reads: the events are read for these.
    pub fields: FieldTable,
}

/// The `_eql/search` settings Kibana sends for a rule (no `size`: the results of the query over
/// all the events, as `eqlplay match --rule` gives them).
pub fn settings(rule: &Rule) -> Settings {
    let nonblank = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    Settings {
        timestamp_field: nonblank(rule.extra.get("timestamp_field").and_then(|v| v.as_str())).unwrap_or_else(|| "@timestamp".into()),
        tiebreaker_field: nonblank(rule.tiebreaker_field.as_deref()),
        event_category_field: nonblank(rule.event_category_override.as_deref()).unwrap_or_else(|| "event.category".into()),
        ..Settings::default()
    }
}

impl Pack {
    pub fn new(rules: Vec<(String, Rule)>) -> Pack {
        let mut fields = FieldTable::default();
        let rules = rules
            .into_iter()
            .map(|(source, rule)| {
                let status = match rule.is_eql() {
                    false => Status::NotEql(rule.rule_type.clone().or_else(|| rule.language.clone()).unwrap_or_else(|| "unknown".into())),
                    true => match eql::syntax::parse(&rule.query).and_then(|q| eql::compile_sharing(q, &settings(&rule), &mut fields)) {
                        Ok(plan) => Status::Ready(Box::new(plan)),
                        Err(errors) => Status::Invalid(errors.first().map(|e| e.render(&rule.query)).unwrap_or_default()),
                    },
                };
                PackRule { source, rule, status }
            })
            .collect();
        Pack { rules, fields }
    }

    /// Each ready rule's results over `data` (read for [`Pack::fields`]), by rule index; a rule
    /// the data makes fail (a field comparison on these events) gives its error.
    ///
    /// Work is shared: the events are put in order once per timestamp and tiebreaker field, and
    /// indexed by category once per category field, so a rule whose every term names a category
    /// looks only at events of those categories.
    pub fn run<'a>(&'a self, data: &'a Dataset) -> impl Iterator<Item = (usize, Result<Vec<Match>, String>)> + 'a {
        let mut orders: Vec<Prepared> = Vec::new();
        let mut indexes: Vec<(FieldId, usize, HashMap<String, Vec<usize>>)> = Vec::new();
        self.rules.iter().enumerate().filter_map(move |(i, r)| {
            let Status::Ready(plan) = &r.status else { return None };
            let p = match orders.iter().position(|o| (o.timestamp, o.tiebreaker) == (plan.timestamp, plan.tiebreaker)) {
                Some(p) => p,
                None => {
                    orders.push(Prepared::new(data, plan.timestamp, plan.tiebreaker));
                    orders.len() - 1
                }
            };
            let prepared = &orders[p];
            let events: Vec<usize> = match plan.categories() {
                None => prepared.order.clone(),
                Some(names) => {
                    let x = match indexes.iter().position(|(f, o, _)| (*f, *o) == (plan.category, p)) {
                        Some(x) => x,
                        None => {
                            indexes.push((plan.category, p, by_category(data, plan.category, &prepared.order)));
                            indexes.len() - 1
                        }
                    };
                    merged(&indexes[x].2, &names).into_iter().map(|position| prepared.order[position]).collect()
                }
            };
            let results = eql::engine::run_prepared(plan, data, prepared, &events)
                .map(|r| r.matches)
                .map_err(|e| e.first().map(|e| e.render(&r.rule.query)).unwrap_or_default());
            Some((i, results))
        })
    }
}

/// Each category's events, as positions in `order` (an event of two categories is in both).
fn by_category(data: &Dataset, field: FieldId, order: &[usize]) -> HashMap<String, Vec<usize>> {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (position, &e) in order.iter().enumerate() {
        for v in data.values(e, field) {
            if let Val::Str(s) = v {
                let list = index.entry(s.to_string()).or_default();
                // A category repeated within one event counts once.
                if list.last() != Some(&position) {
                    list.push(position);
                }
            }
        }
    }
    index
}

/// The positions in the order of the events of any of `names`, merged.
fn merged(index: &HashMap<String, Vec<usize>>, names: &[String]) -> Vec<usize> {
    let mut positions: Vec<usize> = names.iter().filter_map(|n| index.get(n)).flatten().copied().collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use eql::Reader;

    fn rule(name: &str, kind: &str, query: &str) -> (String, Rule) {
        let rule: Rule = serde_json::from_value(serde_json::json!({"name": name, "type": kind, "language": kind, "query": query})).expect("rule");
        (format!("{name}.json"), rule)
    }

    #[test]
    fn rules_read_one_dataset_and_each_gets_its_own_results() {
        let events = "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event\":{\"category\":\"process\"},\"process\":{\"name\":\"a.exe\"},\"host\":{\"id\":\"h\"}}\n\
                      {\"@timestamp\":\"2026-01-01T00:00:01Z\",\"event\":{\"category\":\"network\"},\"destination\":{\"ip\":\"10.0.0.1\"},\"host\":{\"id\":\"h\"}}\n";
        let pack = Pack::new(vec![
            rule("a", "eql", "process where process.name == \"a.exe\""),
            rule("b", "eql", "sequence by host.id [process where true] [network where destination.ip == \"10.0.0.1\"]"),
            rule("c", "query", "process.name: a.exe"),
            rule("d", "eql", "process where"),
        ]);
        assert!(matches!(&pack.rules[2].status, Status::NotEql(t) if t == "query"));
        assert!(matches!(&pack.rules[3].status, Status::Invalid(e) if e.contains("1:14")));
        let mut reader = Reader::new(pack.fields.clone());
        reader.add(0, events, None);
        let data = reader.finish();
        let got: Vec<(usize, usize)> = pack.run(&data).map(|(i, r)| (i, r.map(|m| m.len()).unwrap_or(99))).collect();
        assert_eq!(got, [(0, 1), (1, 1)]);
    }
}
