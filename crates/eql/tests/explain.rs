//! Explanations: why an event did or did not match a term, and the sequences that almost
//! matched. Both must agree with the matcher, which the property tests below check event by
//! event and term by term.

use eql::data::Dataset;
use eql::engine::keys::event_keys;
use eql::engine::order;
use eql::eval::{eval_bool, matches, Ctx};
use eql::explain::{
    explain_event, near_misses, Condition, ConditionKind, EndReason, FieldStatus, NearMisses, Outcome, TermExplanation,
    DEFAULT_NEAR_MISS_LIMIT,
};
use eql::plan::{Bound, Plan, PlanKind};
use eql::{compile_text, Reader, Settings, Slot};
use std::fmt::Write;

const SAMPLE: &str = include_str!("../../../web/samples/script-download.ndjson");
const BENIGN: &str = include_str!("../../../web/samples/benign.ndjson");
const SEED: &str = include_str!("../../../web/rules/seed.toml");

/// The seed rule's query, as the `rules` crate reads it (TOML drops the newline after `'''`).
fn seed_query() -> &'static str {
    let start = SEED.find("query = '''").expect("seed rule has a query") + "query = '''".len();
    let rest = SEED[start..].strip_prefix('\n').unwrap_or(&SEED[start..]);
    &rest[..rest.find("'''").expect("query ends")]
}

struct Setup {
    query: String,
    plan: Plan,
    data: Dataset,
    bound: Bound,
}

fn setup(query: &str, inputs: &[&str]) -> Setup {
    let plan = compile_text(query, &Settings::default())
        .unwrap_or_else(|e| panic!("{}", eql::syntax::error::render_all(&e, query)));
    let mut reader = Reader::new(plan.fields.clone());
    for (i, text) in inputs.iter().enumerate() {
        reader.add(i as u32, text, None);
    }
    let data = reader.finish();
    assert!(data.errors().is_empty(), "{:?}", data.errors());
    let bound = plan.bind(&data).unwrap_or_else(|e| panic!("{e:?}"));
    Setup { query: query.to_string(), plan, data, bound }
}

impl Setup {
    /// Plan terms, then `until` (explain_event's numbering).
    fn term_count(&self) -> usize {
        self.bound.filters.len() + usize::from(self.bound.until.is_some())
    }

    fn filter(&self, term: usize) -> &eql::plan::node::Node {
        self.bound.filters.get(term).or(self.bound.until.as_ref()).expect("term exists")
    }

    fn explain(&self, event: usize, term: usize) -> TermExplanation {
        explain_event(&self.plan, &self.bound, &self.data, &self.query, event, term).expect("event and term exist")
    }

    fn line(&self, event: usize) -> u32 {
        self.data.origin(event).line
    }

    fn event_at_line(&self, line: u32) -> usize {
        (0..self.data.len()).find(|&e| self.line(e) == line).expect("line exists")
    }

    fn near_misses(&self) -> NearMisses {
        near_misses(&self.plan, &self.bound, &self.data, DEFAULT_NEAR_MISS_LIMIT)
    }

    fn lines(&self, events: &[usize]) -> Vec<u32> {
        events.iter().map(|&e| self.line(e)).collect()
    }
}

/// An explanation as an indented outline: outcome, kind, text, then the fields read.
fn render(c: &Condition, depth: usize, out: &mut String) {
    let outcome = serde_json::to_value(c.outcome).unwrap();
    let kind = serde_json::to_value(c.kind).unwrap();
    let mut flags = String::new();
    if c.negated {
        flags.push_str(" (negated)");
    }
    if c.folded {
        flags.push_str(" (folded)");
    }
    let text = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = write!(
        out,
        "{:indent$}{} {}{}: {}",
        "",
        outcome.as_str().unwrap(),
        kind.as_str().unwrap(),
        flags,
        text,
        indent = depth * 2
    );
    for f in &c.fields {
        let shown = match f.status {
            FieldStatus::Present => serde_json::to_string(&f.values).unwrap(),
            FieldStatus::Missing => "missing".into(),
            FieldStatus::Unmapped => "unmapped (null)".into(),
        };
        let _ = write!(out, " | {} = {}", f.field, shown);
    }
    out.push('\n');
    for child in &c.children {
        render(child, depth + 1, out);
    }
}

fn outline(s: &Setup, e: &TermExplanation) -> String {
    let mut out = format!(
        "line {} vs term {} (as written: {}{}): {}\n",
        s.line(e.event),
        e.term,
        e.source_term,
        if e.until { ", until" } else { "" },
        if e.verdict { "MATCHES" } else { "no match" }
    );
    render(&e.condition, 1, &mut out);
    out
}

fn find<'c>(c: &'c Condition, text: &str) -> Option<&'c Condition> {
    if c.text == text {
        return Some(c);
    }
    c.children.iter().find_map(|ch| find(ch, text))
}

#[test]
fn seed_rule_lines_13_18_19_against_the_network_term() {
    let s = setup(seed_query(), &[SAMPLE]);
    let mut text = String::new();
    for line in [13, 18, 19] {
        let e = s.explain(s.event_at_line(line), 0);
        text.push_str(&outline(&s, &e));
        text.push('\n');
    }
    insta::assert_snapshot!("seed_network_term_outline", text);

    let line13 = s.explain(s.event_at_line(13), 0);
    assert!(line13.verdict);
    // network.protocol is absent: the negated leaf holds because the field is missing.
    let protocol = find(&line13.condition, r#"network.protocol != "dns""#).unwrap();
    assert_eq!((protocol.outcome, protocol.negated), (Outcome::True, true));
    assert_eq!(protocol.fields[0].status, FieldStatus::Missing);

    let line18 = s.explain(s.event_at_line(18), 0);
    assert!(!line18.verdict);
    let category = &line18.condition.children[0];
    assert_eq!(category.kind, ConditionKind::Category);
    assert_eq!(category.text, r#"event.category == "network""#);
    assert_eq!(category.outcome, Outcome::False);
    assert_eq!(find(&line18.condition, r#"network.type == "ipv4""#).unwrap().outcome, Outcome::FieldMissing);

    let line19 = s.explain(s.event_at_line(19), 0);
    assert!(!line19.verdict);
    let loopback = find(&line19.condition, r#"destination.ip != "127.0.0.1""#).unwrap();
    assert_eq!(loopback.outcome, Outcome::False);
    let failed: Vec<&str> =
        line19.condition.leaves().into_iter().filter(|l| l.outcome != Outcome::True).map(|l| l.text.as_str()).collect();
    assert_eq!(failed, [r#"destination.ip != "127.0.0.1""#]);

    // The JSON the page renders.
    insta::assert_snapshot!("seed_line19_json", serde_json::to_string_pretty(&line19).unwrap());
}

#[test]
fn folded_optional_fields_show_as_constants() {
    let ndjson = r#"{"@timestamp":1,"event":{"category":"process"},"process":{"name":"cmd.exe"}}"#;
    let s = setup(
        r#"process where (?nope.a == "x" or process.name == "cmd.exe") and ?nope.b == null and ?nope.c != null"#,
        &[ndjson],
    );
    let e = s.explain(0, 0);
    let mut text = outline(&s, &e);
    let s2 = setup(r#"process where ?nope.c != null or process.name : "cmd*""#, &[ndjson]);
    text.push('\n');
    text.push_str(&outline(&s2, &s2.explain(0, 0)));
    insta::assert_snapshot!("folded_optional_outline", text);

    assert!(!e.verdict);
    let null_cmp = find(&e.condition, r#"?nope.a == "x""#).unwrap();
    assert_eq!((null_cmp.kind, null_cmp.outcome, null_cmp.folded), (ConditionKind::Constant, Outcome::Null, true));
    assert_eq!(null_cmp.fields[0].status, FieldStatus::Unmapped);
    // Dropped by constant folding (`true` in an `and`), put back in the explanation.
    let is_null = find(&e.condition, "?nope.b == null").unwrap();
    assert_eq!((is_null.kind, is_null.outcome, is_null.folded), (ConditionKind::Constant, Outcome::True, true));
    let not_null = find(&e.condition, "?nope.c != null").unwrap();
    assert_eq!((not_null.kind, not_null.outcome), (ConditionKind::Constant, Outcome::False));
}

#[test]
fn near_misses_of_the_seed_rule() {
    let s = setup(seed_query(), &[SAMPLE]);
    let report = s.near_misses();

    let mut text = String::new();
    for m in &report.matches {
        let events: Vec<usize> = m.events.iter().filter_map(Slot::event).collect();
        let _ = writeln!(text, "match {:?} by {}", s.lines(&events), serde_json::to_string(&m.join_keys).unwrap());
    }
    let _ = writeln!(text, "{} near misses {}", report.total, serde_json::to_string(&report.counts).unwrap());
    for n in &report.near_misses {
        let end = match n.end {
            EndReason::Replaced { by } => format!("replaced by line {}", s.line(by)),
            EndReason::Expired { by } => format!("expired when line {} came", s.line(by)),
            EndReason::Until { by } => format!("dropped by until line {}", s.line(by)),
            EndReason::Pending => "pending at end of input".into(),
            EndReason::RejectedByMissingEvent => "rejected by a missing-event term".into(),
        };
        let _ = writeln!(
            text,
            "lines {:?}: {}/{} terms, waiting for term {:?}, {}; key {}",
            s.lines(&n.events),
            n.matched,
            n.stages,
            n.next_term,
            end,
            serde_json::to_string(&n.join_keys).unwrap()
        );
        if let Some(w) = &n.waiting {
            let line = |e: Option<usize>| e.map(|e| s.line(e));
            let _ = writeln!(
                text,
                "  closest: earlier same key {:?}, later same key {:?}, later other key {:?} {}",
                line(w.earlier_same_key),
                line(w.later_same_key),
                line(w.later_other_key.as_ref().map(|o| o.event)),
                w.later_other_key.as_ref().map_or(String::new(), |o| serde_json::to_string(&o.join_keys).unwrap())
            );
        }
    }
    insta::assert_snapshot!("seed_near_misses", text);
    insta::assert_snapshot!("seed_near_misses_json", serde_json::to_string_pretty(&report.near_misses[..2]).unwrap());

    // web/samples/README.md: line 13's partial is replaced by line 14's, which completes with
    // line 15; 25, 40, 48 and 57 stay pending; the other near misses never start a partial.
    let summary: Vec<(Vec<u32>, EndReason)> = report
        .near_misses
        .iter()
        .map(|n| {
            let end = match n.end {
                EndReason::Replaced { by } => EndReason::Replaced { by: s.line(by) as usize },
                other => other,
            };
            (s.lines(&n.events), end)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (vec![13], EndReason::Replaced { by: 14 }),
            (vec![25], EndReason::Pending),
            (vec![40], EndReason::Pending),
            (vec![48], EndReason::Pending),
            (vec![57], EndReason::Pending),
        ]
    );
    // What each pending partial came closest to (web/samples/README.md tells the same story):
    // 25's exe is written by its child (another entity id) on 28; 40's own write (41) is a
    // .txt; 48's exe is written on another host (50); 57's dll was written before, on 56.
    let closest: Vec<(Option<u32>, Option<u32>, Option<u32>)> = report
        .near_misses
        .iter()
        .filter_map(|n| n.waiting.as_ref())
        .map(|w| {
            let line = |e: Option<usize>| e.map(|e| s.line(e));
            (line(w.earlier_same_key), line(w.later_same_key), line(w.later_other_key.as_ref().map(|o| o.event)))
        })
        .collect();
    assert_eq!(
        closest,
        [(None, Some(29), Some(28)), (None, Some(41), Some(45)), (None, Some(51), Some(50)), (Some(56), None, None)]
    );
    assert!(report.near_misses.iter().all(|n| n.waiting.is_some() == (n.end == EndReason::Pending)));
    // Explaining the closest events against the awaited term says why they did not extend it.
    let e41 = s.explain(s.event_at_line(41), 1);
    assert!(!e41.verdict);
    assert_eq!(find(&e41.condition, r#"file.extension : ("exe", "dll")"#).map(|c| c.outcome), Some(Outcome::False));
    assert!(s.explain(s.event_at_line(28), 1).verdict);
    assert_eq!(report.matches.len(), 1);
    assert_eq!(s.lines(&report.matches[0].events.iter().filter_map(Slot::event).collect::<Vec<_>>()), [14, 15]);
    for line in [19, 31, 44, 53] {
        let e = s.event_at_line(line);
        assert!(!report.near_misses.iter().any(|n| n.events.contains(&e)), "line {line} starts no partial");
        assert!(!s.explain(e, 0).verdict);
    }
}

/// Every shape of ending, on small synthetic inputs.
#[test]
fn near_miss_reasons() {
    let ev = |t: i64, cat: &str, host: &str, name: &str| {
        format!(
            r#"{{"@timestamp":{t},"event":{{"category":"{cat}"}},"host":{{"id":"{host}"}},"process":{{"name":"{name}"}}}}"#
        )
    };
    let lines = |evs: &[String]| evs.join("\n");

    // maxspan: the file event comes too late for the first partial.
    let s = setup(
        "sequence by host.id with maxspan=5s [process where true] [file where true]",
        &[&lines(&[ev(0, "process", "a", "x"), ev(10_000, "file", "a", "x"), ev(11_000, "process", "b", "x")])],
    );
    let r = s.near_misses();
    assert_eq!(r.near_misses[0].end, EndReason::Expired { by: 1 });
    assert_eq!(r.near_misses[1].end, EndReason::Pending);
    assert_eq!((r.counts.expired, r.counts.pending, r.total), (1, 1, 2));
    // Host b's partial: the file event for host a came before it and has another key.
    let w = r.near_misses[1].waiting.as_ref().expect("pending partials say what they waited for");
    assert_eq!(*w, eql::explain::Waiting::default());

    // The closest events: a multi-valued key, an event without the key field, one too early.
    let s = setup(
        "sequence by host.id [process where true] [file where true]",
        &[&lines(&[
            ev(1, "file", "a", "early"),
            ev(2, "process", "a", "x"),
            r#"{"@timestamp":3,"event":{"category":"file"}}"#.to_string(),
            r#"{"@timestamp":4,"event":{"category":"file"},"host":{"id":["b","c"]}}"#.to_string(),
            ev(5, "network", "a", "x"),
        ])],
    );
    let r = s.near_misses();
    assert_eq!(r.near_misses.len(), 1);
    let w = r.near_misses[0].waiting.as_ref().expect("pending");
    assert_eq!(w.earlier_same_key, Some(0));
    assert_eq!(w.later_same_key, Some(4));
    let other = w.later_other_key.as_ref().expect("a later file event");
    assert_eq!(other.event, 2);
    assert!(other.join_keys.is_empty(), "event 2 has no host.id: {other:?}");

    // With maxspan, later events count only while they could still complete the partial.
    let s = setup(
        "sequence by host.id with maxspan=5s [process where true] [file where true]",
        &[&lines(&[
            ev(0, "process", "a", "x"),
            ev(3_000, "network", "a", "x"),
            ev(6_000, "file", "b", "x"),
            ev(7_000, "network", "a", "x"),
        ])],
    );
    let w = s.near_misses().near_misses[0].waiting.clone().expect("pending");
    assert_eq!((w.later_same_key, w.later_other_key), (Some(1), None), "the file at 6 s is past maxspan");

    // until drops every stage of the key; replacement at a later stage.
    let s = setup(
        "sequence by host.id [process where process.name == \"a\"] [process where process.name == \"b\"] [file where true] until [process where process.name == \"stop\"]",
        &[&lines(&[
            ev(1, "process", "h", "a"),
            ev(2, "process", "h", "b"),
            ev(3, "process", "h", "a"),
            ev(4, "process", "h", "b"),
            ev(5, "process", "h", "a"),
            ev(6, "process", "h", "stop"),
        ])],
    );
    let r = s.near_misses();
    let got: Vec<(Vec<usize>, EndReason)> = r.near_misses.iter().map(|n| (n.events.clone(), n.end)).collect();
    assert_eq!(
        got,
        [
            (vec![0, 1], EndReason::Replaced { by: 3 }),
            (vec![2, 3], EndReason::Until { by: 5 }),
            (vec![4], EndReason::Until { by: 5 }),
        ]
    );
    assert_eq!(r.near_misses[0].next_term, Some(2));

    // A missing-event term between the two positive ones rules the candidate out.
    let s = setup(
        "sequence by host.id with maxspan=1h [process where true] ![network where true] [file where true]",
        &[&lines(&[ev(1, "process", "h", "x"), ev(2, "network", "h", "x"), ev(3, "file", "h", "x")])],
    );
    let r = s.near_misses();
    assert!(r.matches.is_empty());
    assert_eq!(r.near_misses.len(), 1);
    assert_eq!((r.near_misses[0].matched, r.near_misses[0].next_term), (2, None));
    assert_eq!(r.near_misses[0].end, EndReason::RejectedByMissingEvent);

    // The limit keeps the furthest-reaching.
    let many: Vec<String> =
        (0..10).map(|i| ev(i, "process", &format!("h{i}"), "a")).chain([ev(20, "process", "h3", "b")]).collect();
    let s = setup(
        "sequence by host.id [process where process.name == \"a\"] [process where process.name == \"b\"] [file where true]",
        &[&lines(&many)],
    );
    let r = near_misses(&s.plan, &s.bound, &s.data, 3);
    assert_eq!(r.total, 10);
    let kept: Vec<Vec<usize>> = r.near_misses.iter().map(|n| n.events.clone()).collect();
    assert_eq!(kept, [vec![3, 10], vec![0], vec![1]]);
    assert!(near_misses(&s.plan, &s.bound, &s.data, 0).near_misses.is_empty());

    // Not a sequence: nothing to report.
    let s = setup("process where true", &[&ev(1, "process", "h", "x")]);
    assert_eq!(s.near_misses(), NearMisses::default());
}

/// Queries exercising every node kind, runs, until, samples and optional fields.
const QUERIES: &[&str] = &[
    r#"sequence by host.id [process where process.name : ("wscript.exe", "cscript.exe") or not (process.pid > 5000)]
         [network where ?nope.field == "x" or destination.port in (80, 443)]
       until [process where event.action == "end"]"#,
    r#"sequence by host.id with maxspan=30s [network where true] with runs=2 [file where file.extension : "exe"]"#,
    r#"sequence by host.id, process.entity_id with maxspan=1m [process where true] ![network where network.protocol == "dns"] [file where true]"#,
    r#"network where length(destination.domain) > 10 and not network.protocol in ("dns", "http") and ?nope.x == null"#,
    r#"any where ?nope.x != null or process.name == null or startsWith~(process.name, "WSCRIPT") or destination.ip == "10.0.0.0/8""#,
    r#"file where file.name like~ "*.EXE" and file.size >= 50000 and file.path regex ".*Temp.*" and not file.extension == "txt""#,
    r#"sample by host.id [process where process.name == "wscript.exe"] [file where true]"#,
    r#"process where not (?nope.y != null and process.name == "x") or (?nope.z == 1 and process.pid > 1)"#,
    r#"process where ?nope.w == process.name or concat(?nope.w, process.name) == "wscript.exe""#,
];

/// And/or/not outcomes follow from their operands by three-valued logic; leaves are the only
/// nodes reporting a missing field.
fn check_consistent(c: &Condition) {
    let kids: Vec<Option<bool>> = c.children.iter().map(|k| k.outcome.truth()).collect();
    let expected = match c.kind {
        ConditionKind::And => Some(if kids.contains(&Some(false)) {
            Some(false)
        } else if kids.contains(&None) {
            None
        } else {
            Some(true)
        }),
        ConditionKind::Or => Some(if kids.contains(&Some(true)) {
            Some(true)
        } else if kids.contains(&None) {
            None
        } else {
            Some(false)
        }),
        ConditionKind::Not => Some(kids[0].map(|b| !b)),
        _ => None,
    };
    if let Some(expected) = expected {
        assert_eq!(c.outcome.truth(), expected, "{c:#?}");
    } else {
        assert!(c.children.is_empty());
    }
    if c.outcome == Outcome::FieldMissing {
        assert!(c.fields.iter().any(|f| f.status != FieldStatus::Present), "{c:#?}");
    }
    c.children.iter().for_each(check_consistent);
}

#[test]
fn every_verdict_is_the_matchers() {
    let mut queries = vec![seed_query()];
    queries.extend(QUERIES);
    let mut checked = 0;
    for query in queries {
        for input in [SAMPLE, BENIGN] {
            let s = setup(query, &[input]);
            for term in 0..s.term_count() {
                let filter = s.filter(term);
                for event in 0..s.data.len() {
                    let e = s.explain(event, term);
                    let cx = Ctx::new(&s.data, event);
                    assert_eq!(e.verdict, matches(filter, cx), "{query}: event {event}, term {term}");
                    assert_eq!(
                        e.condition.outcome.truth(),
                        eval_bool(filter, cx),
                        "{query}: event {event}, term {term}"
                    );
                    check_consistent(&e.condition);
                    checked += 1;
                }
            }
            assert!(explain_event(&s.plan, &s.bound, &s.data, query, 0, s.term_count()).is_none());
            assert!(explain_event(&s.plan, &s.bound, &s.data, query, s.data.len(), 0).is_none());
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn event_query_verdicts_are_its_results() {
    for query in QUERIES.iter().filter(|q| !q.starts_with("sequence") && !q.starts_with("sample")) {
        let s = setup(query, &[SAMPLE]);
        let results = eql::run(&s.plan, &s.data).unwrap();
        let mut found: Vec<usize> = results.matches.iter().filter_map(|m| m.events[0].event()).collect();
        found.sort();
        let explained: Vec<usize> = (0..s.data.len()).filter(|&e| s.explain(e, 0).verdict).collect();
        assert_eq!(found, explained, "{query}");
    }
}

#[test]
fn near_misses_and_matches_agree_with_run() {
    let mut queries = vec![seed_query()];
    queries.extend(QUERIES.iter().filter(|q| q.starts_with("sequence")));
    for query in queries {
        for input in [SAMPLE, BENIGN] {
            let s = setup(query, &[input]);
            let report = near_misses(&s.plan, &s.bound, &s.data, usize::MAX);
            let results = eql::run(&s.plan, &s.data).unwrap();
            assert_eq!(report.matches, results.matches, "{query}");

            // Every partial started ends exactly once: as a result or as a near miss.
            let PlanKind::Sequence { terms, .. } = &s.plan.kind else { unreachable!() };
            let first = terms.iter().position(|t| !t.missing).unwrap();
            let ts = order::timestamps(&s.data, s.plan.timestamp);
            let started: usize = (0..s.data.len())
                .filter(|&e| ts[e].is_some() && matches(&s.bound.filters[first], Ctx::new(&s.data, e)))
                .map(|e| event_keys(&s.data, e, &terms[first].keys).len())
                .sum();
            assert_eq!(started, report.matches.len() + report.total, "{query}");
            let c = report.counts;
            assert_eq!(c.pending + c.replaced + c.expired + c.until + c.rejected_by_missing_event, report.total);
            assert_eq!(report.near_misses.len(), report.total);

            let order = order::sorted_events(&s.data, &ts, s.plan.tiebreaker);
            let place = |e: usize| order.iter().position(|&x| x == e).unwrap();
            for n in &report.near_misses {
                // The closest events of a pending partial are what they claim to be.
                if let (Some(w), Some(t)) = (&n.waiting, n.next_term) {
                    let has_key = |e: usize| event_keys(&s.data, e, &terms[t].keys).contains(&n.join_keys);
                    let hit = |e: usize| s.explain(e, t).verdict;
                    let last = place(*n.events.last().unwrap());
                    let PlanKind::Sequence { maxspan, .. } = &s.plan.kind else { unreachable!() };
                    let in_time = |e: usize| maxspan.is_none_or(|span| ts[e].unwrap() <= ts[n.events[0]].unwrap() + span);
                    if let Some(e) = w.earlier_same_key {
                        assert!(place(e) < last && has_key(e) && hit(e), "{query}: {n:?}");
                    }
                    if let Some(e) = w.later_same_key {
                        assert!(place(e) > last && has_key(e) && !hit(e) && in_time(e), "{query}: {n:?}");
                    }
                    if let Some(o) = &w.later_other_key {
                        assert!(place(o.event) > last && !has_key(o.event) && hit(o.event) && in_time(o.event), "{query}: {n:?}");
                    }
                }
                // Each event of a near miss satisfies the term it stands for, per the explainer.
                let positive: Vec<usize> = (0..terms.len()).filter(|&t| !terms[t].missing).collect();
                for (&event, &term) in n.events.iter().zip(&positive) {
                    assert!(s.explain(event, term).verdict, "{query}: {n:?}");
                }
                assert!(n.matched >= 1 && n.matched <= n.stages);
                assert_eq!(n.next_term, positive.get(n.matched).copied());
            }
            // Sorted: furthest first, then by first event in event order.
            for w in report.near_misses.windows(2) {
                let a = (std::cmp::Reverse(w[0].matched), place(w[0].events[0]));
                let b = (std::cmp::Reverse(w[1].matched), place(w[1].events[0]));
                assert!(a <= b, "{query}");
            }
        }
    }
}
