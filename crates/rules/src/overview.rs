//! What a rule pack gave over a set of events, as the page's Rule pack tab shows it: which rules
//! fired, on which hosts, when; which were not run (other types) or failed. Built by the rule
//! reader module (in the page's worker) from a [`Pack`] and the events' text.

use crate::collection::Collection;
use crate::pack::{Pack, Status};
use eql::data::{FieldId, Val};
use eql::{Dataset, Reader, Slot};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Alerts of a pack sent to the page at most (the overview counts them all).
pub const MAX_PACK_ALERTS: usize = 5000;

/// What a rule pack gave over the events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PackView {
    pub pack: u32,
    /// Rules read (of every type).
    pub rules: usize,
    /// EQL rules run.
    pub ran: usize,
    /// The rules that fired, in pack order.
    pub fired: Vec<FiredRule>,
    /// (rule name, its type) of each rule that is not EQL.
    pub not_run: Vec<(String, String)>,
    /// (rule or file, why) of each rule that does not compile or fails on these events, and each
    /// file or object that is not a readable rule.
    pub failed: Vec<(String, String)>,
    /// The first [`MAX_PACK_ALERTS`] alerts, by time …
    pub alerts: Vec<PackAlert>,
    /// … of this many.
    pub alert_total: usize,
    pub events: usize,
    /// Rules that exception items hid events from (the lists they name came with the pack), and
    /// how many events that was in all.
    pub excepted_rules: usize,
    pub hidden_events: usize,
    pub millis: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiredRule {
    /// The rule's place in the pack (to open it).
    pub index: usize,
    pub rule_id: String,
    pub name: String,
    pub severity: String,
    pub risk_score: Option<u32>,
    /// MITRE ATT&CK technique ids (`T1105`, `T1059.005`).
    pub techniques: Vec<String>,
    pub alerts: usize,
    /// The hosts its alerts are on, sorted.
    pub hosts: Vec<String>,
    /// A building-block rule (`building_block_type`): Kibana keeps its alerts out of the Alerts
    /// table by default; they feed other rules.
    pub building_block: bool,
}

/// One alert: a result of a rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackAlert {
    /// Index into [`PackView::fired`].
    pub rule: usize,
    /// `host.name` (else `host.hostname`, `host.id`) of its first event that has one.
    pub host: String,
    /// Its first and last events' times, in milliseconds (`None`: no readable time).
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub lines: Vec<u32>,
}

/// Where an alert's host is read, in order of preference.
const HOST_FIELDS: [&str; 3] = ["host.name", "host.hostname", "host.id"];

/// A pack as it was read: its rules, compiled, and the problems of what was not a rule.
pub struct LoadedPack {
    pack: Pack,
    /// Files or objects that were not readable rules (`file: why`).
    problems: Vec<String>,
}

impl LoadedPack {
    pub fn new(collection: Collection) -> LoadedPack {
        LoadedPack { pack: Pack::new(collection.rules).with_exceptions(collection.exceptions), problems: collection.problems }
    }

    /// The items of the exception lists rule `index` names, one Kibana export line each.
    pub fn exceptions_of(&self, index: usize) -> String {
        self.pack.exceptions_of(index).iter().map(|i| i.to_json().to_string() + "\n").collect()
    }

    /// The pack over the events of `text`, as pack number `id`, and every alert as a JSON line
    /// ([`alert_lines`](crate::pack::alert_lines), what `eqlplay scan` prints);
    /// `progress(done, total)` is told how far the run is ([`Pack::run`]). Exception items
    /// expired at `now` (nanoseconds since the epoch) are not applied.
    pub fn view(&self, id: u32, text: &str, now: i64, progress: &mut dyn FnMut(usize, usize)) -> (PackView, String) {
        let mut ndjson = String::new();
        let inputs = eql::output::Inputs { paths: &[], texts: &[], with_file: false, with_source: false };
        let mut fields = self.pack.fields.clone();
        let hosts: Vec<FieldId> = HOST_FIELDS.iter().map(|p| fields.intern(p, None)).collect();
        let mut reader = Reader::new(fields);
        reader.add(0, text, None);
        let data = reader.finish();

        let hidden = self.pack.hidden(&[text], now);
        let (excepted_rules, hidden_events) = hidden.totals();
        let mut view = PackView { pack: id, rules: self.pack.rules.len(), events: data.len(), excepted_rules, hidden_events, ..PackView::default() };
        let mut times: HashMap<FieldId, Vec<Option<i64>>> = HashMap::new();
        for (i, results) in self.pack.run(&data, &hidden, progress) {
            let r = &self.pack.rules[i];
            let matches = match results {
                Ok(m) => m,
                Err(e) => {
                    view.failed.push((label(&r.rule), first_line(&e)));
                    continue;
                }
            };
            view.ran += 1;
            if matches.is_empty() {
                continue;
            }
            crate::pack::alert_lines(&mut ndjson, &r.rule, &matches, &data, &inputs);
            let Status::Ready(plan) = &r.status else { continue };
            let ts = times.entry(plan.timestamp).or_insert_with(|| eql::engine::order::timestamps(&data, plan.timestamp));
            let fired = view.fired.len();
            let mut on: BTreeSet<String> = BTreeSet::new();
            for m in &matches {
                let events: Vec<usize> = m.events.iter().filter_map(Slot::event).collect();
                let millis: Vec<i64> = events.iter().filter_map(|&e| ts[e]).map(|n| n.div_euclid(1_000_000)).collect();
                let host = events.iter().find_map(|&e| host_of(&data, e, &hosts)).unwrap_or_default();
                if !host.is_empty() {
                    on.insert(host.clone());
                }
                view.alerts.push(PackAlert {
                    rule: fired,
                    host,
                    first_ms: millis.iter().min().copied(),
                    last_ms: millis.iter().max().copied(),
                    lines: events.iter().map(|&e| data.origin(e).line).collect(),
                });
            }
            view.fired.push(FiredRule {
                index: i,
                rule_id: r.rule.rule_id.clone().unwrap_or_default(),
                name: r.rule.name.clone(),
                severity: r.rule.severity.clone().unwrap_or_default(),
                risk_score: r.rule.risk_score,
                techniques: techniques(&r.rule),
                alerts: matches.len(),
                hosts: on.into_iter().collect(),
                building_block: r.rule.extra.get("building_block_type").and_then(|v| v.as_str()).is_some_and(|t| !t.is_empty()),
            });
        }
        for r in &self.pack.rules {
            match &r.status {
                Status::NotEql(kind) => view.not_run.push((label(&r.rule), kind.clone())),
                Status::Invalid(e) => view.failed.push((label(&r.rule), first_line(e))),
                Status::Ready(_) => {}
            }
        }
        view.failed.extend(self.problems.iter().map(|p| match p.split_once(": ") {
            Some((file, why)) => (file.to_string(), why.to_string()),
            None => (String::new(), p.clone()),
        }));
        view.alert_total = view.alerts.len();
        // By time; alerts without one last. The sort is stable, so ties keep pack order.
        view.alerts.sort_by_key(|a| (a.first_ms.is_none(), a.first_ms));
        view.alerts.truncate(MAX_PACK_ALERTS);
        (view, ndjson)
    }
}

fn host_of(data: &Dataset, event: usize, fields: &[FieldId]) -> Option<String> {
    fields.iter().find_map(|&f| match data.first_value(event, f)? {
        Val::Null => None,
        v => v.to_text().map(|t| t.into_owned()),
    })
}

/// The rule's MITRE ATT&CK techniques and subtechniques, by id.
fn techniques(rule: &crate::Rule) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for technique in rule.threat.iter().flat_map(|t| &t.technique) {
        for id in std::iter::once(&technique.id).chain(technique.subtechnique.iter().map(|s| &s.id)) {
            if !id.is_empty() && !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    ids
}

fn label(rule: &crate::Rule) -> String {
    match rule.name.trim() {
        "" => rule.rule_id.clone().unwrap_or_else(|| "(unnamed rule)".into()),
        name => name.to_string(),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").to_string()
}


/// A view as the rule reader hands it to the worker (postcard: both ends are builds of this
/// crate).
pub fn encode(view: &PackView) -> Vec<u8> {
    postcard::to_allocvec(view).unwrap_or_default()
}

pub fn decode(bytes: &[u8]) -> Result<PackView, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("the rule reader's answer is unreadable: {e}"))
}

#[cfg(all(test, feature = "read"))]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../web/samples/script-download.ndjson");

    fn loaded(rules: Vec<crate::Rule>) -> LoadedPack {
        let mut collection = Collection::default();
        collection.rules = rules.into_iter().map(|r| ("pack.ndjson".to_string(), r)).collect();
        collection.problems.push("notes.txt: not a rule".into());
        LoadedPack::new(collection)
    }

    fn json_rule(json: &str) -> crate::Rule {
        crate::load_rule(json).expect("rule")
    }

    #[test]
    fn the_overview_says_what_fired_where_and_what_did_not_run() {
        let seed = crate::seed_rule().expect("seed");
        let pack = loaded(vec![
            seed.clone(),
            json_rule(r#"{"name":"KQL","type":"query","language":"kuery","query":"a:b"}"#),
            json_rule(r#"{"name":"Broken","type":"eql","query":"process where"}"#),
            json_rule(r#"{"name":"Quiet","type":"eql","query":"process where process.name == \"nothing.exe\""}"#),
        ]);
        let mut calls = Vec::new();
        let (view, ndjson) = pack.view(7, SAMPLE, 0, &mut |done, total| calls.push((done, total)));
        assert_eq!(ndjson.lines().count(), view.alert_total);
        assert!(ndjson.starts_with(&format!("{{\"rule_id\":\"{}\",\"rule_name\":", seed.rule_id.clone().unwrap_or_default())), "{ndjson}");
        assert_eq!((view.pack, view.rules, view.ran, view.events), (7, 4, 2, 59));
        assert!(calls.last().is_some_and(|(done, total)| done < total), "{calls:?}");
        assert_eq!(view.fired.len(), 1);
        let fired = &view.fired[0];
        assert_eq!((fired.index, fired.name.as_str(), fired.severity.as_str(), fired.risk_score), (0, seed.name.as_str(), "medium", Some(47)));
        assert!(fired.techniques.contains(&"T1105".to_string()), "{:?}", fired.techniques);
        assert!(!fired.building_block);
        // The same results as the rule alone.
        let plan = eql::compile_text(&seed.query, &crate::pack::settings(&seed)).expect("compiles");
        let mut reader = Reader::new(plan.fields.clone());
        reader.add(0, SAMPLE, None);
        let data = reader.finish();
        let alone: Vec<Vec<u32>> = eql::run(&plan, &data)
            .expect("runs")
            .matches
            .iter()
            .map(|m| m.events.iter().filter_map(Slot::event).map(|e| data.origin(e).line).collect())
            .collect();
        let packed: Vec<Vec<u32>> = view.alerts.iter().map(|a| a.lines.clone()).collect();
        assert_eq!(packed, alone);
        assert_eq!(fired.alerts, alone.len());
        assert!(view.alerts.iter().all(|a| a.host == "ws-fin-014" && a.first_ms.is_some()), "{:?}", view.alerts);
        assert_eq!(fired.hosts, ["ws-fin-014"]);
        assert_eq!(view.not_run, [("KQL".to_string(), "query".to_string())]);
        let failed: Vec<&str> = view.failed.iter().map(|(what, _)| what.as_str()).collect();
        assert_eq!(failed, ["Broken", "notes.txt"]);
        assert_eq!(decode(&encode(&view)), Ok(view));
    }
}
