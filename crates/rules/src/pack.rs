//! A rule pack run over events in one pass: every EQL rule compiled through one shared field
//! table (`eql::compile_sharing`), so the events are read once, for the union of the fields the
//! rules read; then each rule runs with its own settings (`timestamp_field`,
//! `event_category_override`, `tiebreaker_field`) over that one dataset. A rule's results are
//! exactly those it gives alone (`tests/corpus` checks this for every corpus rule).
//! Rules of other types are kept, to be listed as not run; EQL rules that do not compile are
//! kept with their error. Exception items that came with the pack (a Kibana export carries the
//! lists its rules name) hide events from the rules that name their lists, as Kibana's filter
//! does.

use crate::exceptions::{self, ExceptionItem};
use crate::Rule;
use eql::data::{FieldId, FieldTable, RowIndex, Val};
use eql::eval::shared::{Cond, Leaves};
use eql::plan::node::Node;
use eql::engine::Prepared;
use eql::{Dataset, Match, Plan, Settings};
use std::collections::{HashMap, HashSet};

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
    /// The exception items that came with the rules; each rule applies those of the lists its
    /// `exceptions_list` names.
    exceptions: Vec<ExceptionItem>,
}

/// The events each rule's exception items hide from it, as (input, line), by rule index.
#[derive(Debug, Default)]
pub struct Hidden(HashMap<usize, HashSet<(u32, u32)>>);

impl Hidden {
    /// How many events the items of rule `rule` hid.
    pub fn of_rule(&self, rule: usize) -> usize {
        self.0.get(&rule).map_or(0, HashSet::len)
    }

    /// How many rules had events hidden, and how many events that was in all (an event hidden
    /// from two rules counts twice).
    pub fn totals(&self) -> (usize, usize) {
        (self.0.len(), self.0.values().map(HashSet::len).sum())
    }
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
        let mut rules: Vec<PackRule> = rules
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
        // Each plan holds the table as it was when it was compiled; the pack's extends every
        // one of them (an id means the same field in all), so they can all share it.
        for r in &mut rules {
            if let Status::Ready(plan) = &mut r.status {
                plan.fields = fields.clone();
            }
        }
        Pack { rules, fields, exceptions: Vec::new() }
    }

    /// The pack with the exception items that came with it (see [`Pack::hidden`]).
    pub fn with_exceptions(mut self, items: Vec<ExceptionItem>) -> Pack {
        self.exceptions = items;
        self
    }

    /// The items of the exception lists rule `index` names (none if it names none), as the rule
    /// brings them when it is opened alone.
    pub fn exceptions_of(&self, index: usize) -> Vec<ExceptionItem> {
        self.items_of(index).map(|(_, item)| item.clone()).collect()
    }

    /// The items (with their places in [`Pack::exceptions`]) of the lists rule `index` names.
    fn items_of(&self, index: usize) -> impl Iterator<Item = (usize, &ExceptionItem)> {
        let lists = self.rules.get(index).map(|r| exceptions::referenced_lists(Some(&r.rule))).unwrap_or_default();
        self.exceptions.iter().enumerate().filter(move |(_, x)| lists.contains(&x.list_id))
    }

    /// The events that exception items hide, rule by rule, in `texts` (NDJSON, by input): an
    /// event an item of a list the rule names matches is invisible to that rule, as Kibana's
    /// `must_not` filter makes it. Items expired at `now` (nanoseconds since the epoch) are
    /// dropped, as Kibana drops them; items naming value lists never match.
    pub fn hidden(&self, texts: &[&str], now: i64) -> Hidden {
        let applies: Vec<(usize, Vec<usize>)> = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.status, Status::Ready(_)))
            .filter_map(|(i, _)| {
                let items: Vec<usize> = self.items_of(i).filter(|(_, x)| !x.expired(now)).map(|(k, _)| k).collect();
                (!items.is_empty()).then_some((i, items))
            })
            .collect();
        let mut hidden = Hidden::default();
        if applies.is_empty() {
            return hidden;
        }
        let mut used: Vec<usize> = applies.iter().flat_map(|(_, items)| items.iter().copied()).collect();
        used.sort_unstable();
        used.dedup();
        for (input, text) in texts.iter().enumerate() {
            // Numbered as the reader numbers them (and as `exceptions::hide_events` does).
            for (n, line) in text.split('\n').enumerate() {
                let Ok(event) = serde_json::from_str::<serde_json::Value>(line.trim()) else { continue };
                let matched: Vec<usize> = used.iter().copied().filter(|&k| self.exceptions[k].matches(&event)).collect();
                if matched.is_empty() {
                    continue;
                }
                for (rule, items) in &applies {
                    if items.iter().any(|k| matched.contains(k)) {
                        hidden.0.entry(*rule).or_default().insert((input as u32, n as u32 + 1));
                    }
                }
            }
        }
        hidden
    }

    /// Each ready rule's results over `data` (read for [`Pack::fields`]), by rule index; a rule
    /// the data makes fail (a field comparison on these events) gives its error.
    /// `progress(done, total)` is told how far the work is, in events screened and rules run.
    ///
    /// Work is shared. The events are put in order once per timestamp and tiebreaker field.
    /// Then they are *screened* event by event: each event is tested against the terms of every
    /// rule that can match it (a rule whose terms all name categories is tested only on events
    /// of those categories), while its values are in the cache — rule by rule, each rule would
    /// sweep the whole dataset again. Each rule then runs over the events one of its terms
    /// matched (events that match no term change no sequence), so its results are those of the
    /// whole order. Samples read every event and run over the whole order. The events `hidden`
    /// hides from a rule are taken out of what it runs over, as if they were not there.
    pub fn run(&self, data: &Dataset, hidden: &Hidden, progress: &mut dyn FnMut(usize, usize)) -> Vec<(usize, Result<Vec<Match>, String>)> {
        let ready: Vec<(usize, &Plan)> = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.status {
                Status::Ready(plan) => Some((i, &**plan)),
                _ => None,
            })
            .collect();
        let mut orders: Vec<Prepared> = Vec::new();
        let mut order_of = Vec::with_capacity(ready.len());
        for (_, plan) in &ready {
            let p = match orders.iter().position(|o| (o.timestamp, o.tiebreaker) == (plan.timestamp, plan.tiebreaker)) {
                Some(p) => p,
                None => {
                    orders.push(Prepared::new(data, plan.timestamp, plan.tiebreaker));
                    orders.len() - 1
                }
            };
            order_of.push(p);
        }
        let total = data.len() * orders.len() + ready.len();
        let mut candidates = screen(data, &ready, &orders, &order_of, &mut |done| progress(done, total));
        let screened = data.len() * orders.len();
        ready
            .iter()
            .enumerate()
            .map(|(k, &(i, plan))| {
                progress(screened + k, total);
                let prepared = &orders[order_of[k]];
                let mut events = candidates[k].take().unwrap_or_else(|| prepared.order.clone());
                if let Some(lines) = hidden.0.get(&i) {
                    events.retain(|&e| {
                        let origin = data.origin(e);
                        !lines.contains(&(origin.input, origin.line))
                    });
                }
                let results = eql::engine::run_prepared(plan, data, prepared, &events)
                    .map(|r| r.matches)
                    .map_err(|e| e.first().map(|e| e.render(&self.rules[i].rule.query)).unwrap_or_default());
                (i, results)
            })
            .collect()
    }
}

/// One JSON line per alert of rule `rule`: the rule's id, name, severity and risk score, then
/// the result as `eqlplay match` writes it (`eql::output`). `eqlplay scan` prints these, and the
/// page's Rule pack tab downloads them.
pub fn alert_lines(out: &mut String, rule: &Rule, matches: &[Match], data: &Dataset, inputs: &eql::output::Inputs) {
    let mut lines = Vec::new();
    if eql::output::write_matches(&mut lines, matches, data, inputs).is_err() {
        return;
    }
    // The rule's fields first, then the result's own (written, not re-serialized, so the key
    // order is the same whatever serde_json's features).
    let json = |v: serde_json::Value| v.to_string();
    let prefix = format!(
        "{{\"rule_id\":{},\"rule_name\":{},\"severity\":{},\"risk_score\":{},",
        json(rule.rule_id.clone().into()),
        json(rule.name.clone().into()),
        json(rule.severity.clone().into()),
        json(rule.risk_score.into())
    );
    for line in String::from_utf8_lossy(&lines).lines() {
        if let Some(rest) = line.strip_prefix('{') {
            out.push_str(&prefix);
            out.push_str(rest);
            out.push('\n');
        }
    }
}

/// For each ready rule (by its place in `ready`), the events of its order that some term of it
/// (or its `until`) matches, found event by event; `None` for a rule that reads every event (a
/// sample) or that does not bind (its run gives the error).
fn screen(data: &Dataset, ready: &[(usize, &Plan)], orders: &[Prepared], order_of: &[usize], progress: &mut dyn FnMut(usize)) -> Vec<Option<Vec<usize>>> {
    let mut candidates: Vec<Option<Vec<usize>>> = vec![None; ready.len()];
    // Each screened rule's terms, bound to the data, their leaves shared among all rules.
    let mut bound: Vec<Vec<Node>> = vec![Vec::new(); ready.len()];
    for (k, (_, plan)) in ready.iter().enumerate() {
        if matches!(plan.kind, eql::plan::PlanKind::Sample { .. }) {
            continue;
        }
        if let Ok(b) = plan.bind(data) {
            bound[k] = b.filters.into_iter().chain(b.until).collect();
            candidates[k] = Some(Vec::new());
        }
    }
    let mut leaves = Leaves::default();
    let terms: Vec<Vec<Cond>> = bound.iter().map(|terms| terms.iter().map(|t| leaves.add(t)).collect()).collect();
    for (p, prepared) in orders.iter().enumerate() {
        // The screened rules of this order, by category field: those for events of some
        // categories only, and those for every event.
        let mut groups: Vec<(FieldId, HashMap<String, Vec<usize>>, Vec<usize>)> = Vec::new();
        for (k, (_, plan)) in ready.iter().enumerate() {
            if order_of[k] != p || candidates[k].is_none() {
                continue;
            }
            let g = match groups.iter().position(|g| g.0 == plan.category) {
                Some(g) => g,
                None => {
                    groups.push((plan.category, HashMap::new(), Vec::new()));
                    groups.len() - 1
                }
            };
            match plan.categories() {
                Some(names) => names.into_iter().for_each(|n| groups[g].1.entry(n).or_default().push(k)),
                None => groups[g].2.push(k),
            }
        }
        // The last event each rule was tested on (an event of two categories is tested once).
        let mut tested = vec![usize::MAX; ready.len()];
        let mut index = RowIndex::default();
        for (n, &e) in prepared.order.iter().enumerate() {
            if n % 4096 == 0 {
                progress(p * data.len() + n);
            }
            data.fill(&mut index, e);
            let cx = eql::eval::Ctx::indexed(data, e, &index);
            for (field, by_category, every) in &groups {
                let named = data.lookup(e, *field, Some(&index)).filter_map(|v| match v {
                    Val::Str(s) => by_category.get(s.as_ref()),
                    _ => None,
                });
                for &k in every.iter().chain(named.flatten()) {
                    if std::mem::replace(&mut tested[k], e) == e {
                        continue;
                    }
                    if terms[k].iter().any(|t| leaves.eval(t, cx) == Some(true)) {
                        if let Some(list) = candidates[k].as_mut() {
                            list.push(e);
                        }
                    }
                }
            }
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use eql::Reader;

    /// Each result's event lines.
    fn lines(data: &Dataset, ms: &[Match]) -> Vec<Vec<u32>> {
        ms.iter().map(|m| m.events.iter().filter_map(eql::Slot::event).map(|e| data.origin(e).line).collect()).collect()
    }

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
        let got: Vec<(usize, usize)> = pack.run(&data, &Hidden::default(), &mut |_, _| {}).into_iter().map(|(i, r)| (i, r.map(|m| m.len()).unwrap_or(99))).collect();
        assert_eq!(got, [(0, 1), (1, 1)]);
    }

    /// The screen keeps every event a term can match — `until` and missing-event terms too —
    /// and samples see every event: each rule gives what it gives alone.
    #[test]
    fn until_missing_terms_and_samples_give_what_they_give_alone() {
        let at = |s: u32, rest: &str| format!("{{\"@timestamp\":\"2026-01-01T00:00:{s:02}Z\",\"host\":{{\"id\":\"h\"}},{rest}}}\n");
        let events = [
            at(0, r#""event":{"category":"process"},"process":{"name":"a.exe"}"#),
            at(1, r#""event":{"category":"process"},"process":{"name":"stop.exe"}"#),
            at(2, r#""event":{"category":"network"},"destination":{"ip":"10.0.0.1"}"#),
            at(3, r#""event":{"category":"process"},"process":{"name":"a.exe"}"#),
            at(4, r#""event":{"category":"file"},"file":{"name":"x.dll"}"#),
            at(5, r#""event":{"category":"network"},"destination":{"ip":"10.0.0.1"}"#),
        ]
        .concat();
        let queries = [
            r#"sequence by host.id [process where process.name == "a.exe"] [network where true] until [process where process.name == "stop.exe"]"#,
            r#"sequence by host.id with maxspan=10s [process where process.name == "a.exe"] ![file where file.name == "x.dll"] [network where true]"#,
            r#"sample by host.id [process where true] [network where true]"#,
            r#"any where host.id == "h" | tail 2"#,
        ];
        let pack = Pack::new(queries.iter().enumerate().map(|(i, q)| rule(&format!("r{i}"), "eql", q)).collect());
        let mut reader = Reader::new(pack.fields.clone());
        reader.add(0, &events, None);
        let shared = reader.finish();
        let results = pack.run(&shared, &Hidden::default(), &mut |_, _| {});
        assert_eq!(results.len(), queries.len());
        for (i, together) in results {
            let own = eql::compile_text(queries[i], &settings(&pack.rules[i].rule)).expect("compiles");
            let mut reader = Reader::new(own.fields.clone());
            reader.add(0, &events, None);
            let data = reader.finish();
            let alone = eql::run(&own, &data).expect("runs").matches;
            assert!(!alone.is_empty() || i == 1, "query {i} finds something");
            assert_eq!(lines(&shared, &together.expect("runs")), lines(&data, &alone), "{}", queries[i]);
        }
    }

    /// A rule applies the exception items of the lists it names, and gives what it gives alone
    /// over the events with those hidden (as `eqlplay match --exceptions` and the Tune tab hide
    /// them); a rule naming no list, and an expired item, change nothing.
    #[test]
    fn exception_items_hide_events_from_the_rules_that_name_their_lists() {
        let at = |s: u32, rest: &str| format!("{{\"@timestamp\":\"2026-01-01T00:00:{s:02}Z\",\"host\":{{\"id\":\"h\"}},{rest}}}\n");
        let events = [
            at(0, r#""event":{"category":"process"},"process":{"name":"a.exe"},"user":{"name":"admin"}"#),
            at(1, r#""event":{"category":"network"},"destination":{"ip":"10.0.0.1"}"#),
            at(2, r#""event":{"category":"process"},"process":{"name":"a.exe"},"user":{"name":"eve"}"#),
            at(3, r#""event":{"category":"network"},"destination":{"ip":"10.0.0.1"}"#),
        ]
        .concat();
        let query = r#"sequence by host.id [process where process.name == "a.exe"] [network where true]"#;
        let named = |name: &str, lists: &[&str]| {
            let refs: Vec<serde_json::Value> = lists.iter().map(|l| serde_json::json!({"list_id": l, "id": l, "type": "detection", "namespace_type": "single"})).collect();
            let rule: Rule = serde_json::from_value(serde_json::json!({"name": name, "type": "eql", "language": "eql", "query": query, "exceptions_list": refs})).expect("rule");
            (format!("{name}.ndjson"), rule)
        };
        let items = exceptions::parse(concat!(
            r#"{"item_id":"admins","list_id":"l1","name":"admins","type":"simple","entries":[{"field":"user.name","operator":"included","type":"match","value":"admin"}]}"#,
            "\n",
            r#"{"item_id":"old","list_id":"l2","name":"old","type":"simple","expire_time":"2020-01-01T00:00:00.000Z","entries":[{"field":"user.name","operator":"included","type":"match","value":"eve"}]}"#,
        ))
        .0;
        let pack = Pack::new(vec![named("excepted", &["l1"]), named("plain", &[]), named("expired", &["l2"])]).with_exceptions(items.clone());
        let now = 1_800_000_000_000_000_000; // 2027
        let hidden = pack.hidden(&[&events], now);
        assert_eq!((hidden.of_rule(0), hidden.of_rule(1), hidden.of_rule(2)), (1, 0, 0));
        assert_eq!(hidden.totals(), (1, 1));
        let mut reader = Reader::new(pack.fields.clone());
        reader.add(0, &events, None);
        let data = reader.finish();
        let results: Vec<Vec<Vec<u32>>> = pack
            .run(&data, &hidden, &mut |_, _| {})
            .into_iter()
            .map(|(_, r)| lines(&data, &r.expect("runs")))
            .collect();
        // Line 1 (admin) is hidden from the first rule: its sequence starts at line 3 instead.
        assert_eq!(results[0], [vec![3, 4]]);
        assert_eq!(results[1], [vec![1, 2], vec![3, 4]]);
        assert_eq!(results[2], results[1], "an expired item is not applied");
        // The same as the rule alone over the events with its items' events blanked.
        let (blanked, _) = exceptions::hide_events(&events, &exceptions::of_rule(items, Some(&pack.rules[0].rule)));
        let own = eql::compile_text(query, &settings(&pack.rules[0].rule)).expect("compiles");
        let mut reader = Reader::new(own.fields.clone());
        reader.add(0, &blanked, None);
        let alone = reader.finish();
        assert_eq!(results[0], lines(&alone, &eql::run(&own, &alone).expect("runs").matches));
    }
}
