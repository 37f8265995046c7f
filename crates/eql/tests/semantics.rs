//! The tricky cases of ../shared/docs/eql-semantics.md §9, each as a user would see it:
//! which input lines a query returns.

use eql::{search, Settings, Slot};

/// NDJSON from `(seconds, fields)`; each event gets a millisecond `@timestamp`, category
/// `process` and `host.id` "h" unless the fields say otherwise.
fn events(list: &[(f64, serde_json::Value)]) -> String {
    list.iter()
        .map(|(secs, fields)| {
            let mut doc = serde_json::json!({
                "@timestamp": (secs * 1000.0).round() as i64,
                "event": { "category": "process" },
                "host": { "id": "h" },
            });
            if let (Some(obj), Some(extra)) = (doc.as_object_mut(), fields.as_object()) {
                for (k, v) in extra {
                    obj.insert(k.clone(), v.clone());
                }
            }
            doc.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each result as its events' line numbers (0 for a missing-event placeholder).
fn lines(query: &str, ndjson: &str) -> Vec<Vec<u32>> {
    let (data, results) = search(query, &[ndjson], &Settings::default())
        .unwrap_or_else(|e| panic!("{}", eql::syntax::error::render_all(&e, query)));
    results
        .matches
        .iter()
        .map(|m| m.events.iter().map(|s| match s {
            Slot::Event { event, .. } => data.origin(*event).line,
            Slot::Missing { .. } => 0,
        }).collect())
        .collect()
}

fn one(fields: serde_json::Value) -> String {
    events(&[(1.0, fields)])
}

use serde_json::json;

#[test]
fn negations_match_events_that_lack_the_field() {
    let empty = one(json!({}));
    assert_eq!(lines(r#"process where process.name != "cmd.exe""#, &empty), vec![vec![1]]);
    assert_eq!(lines(r#"process where not process.name : "cmd*""#, &empty), vec![vec![1]]);
    assert_eq!(lines(r#"process where not endsWith(process.name, ".exe")"#, &empty), vec![vec![1]]);
    assert!(lines(r#"process where length(process.name) == 0"#, &empty).is_empty());
}

#[test]
fn arrays_match_when_any_value_does() {
    let e = one(json!({"process": {"args": ["ps", "-enc"]}}));
    assert_eq!(lines(r#"process where process.args == "-enc""#, &e).len(), 1);
    assert!(lines(r#"process where process.args != "-enc""#, &e).is_empty());
}

#[test]
fn nulls_in_lists_are_dropped() {
    let empty = one(json!({}));
    assert!(lines("process where process.pid in (1, null)", &empty).is_empty());
    assert_eq!(lines("process where process.pid not in (1, null)", &empty).len(), 1);
}

#[test]
fn case_rules_of_equality_colon_and_wildcards() {
    let e = one(json!({"process": {"name": "cmd.exe"}}));
    assert!(lines(r#"process where process.name == "CMD.EXE""#, &e).is_empty());
    assert_eq!(lines(r#"process where process.name : "CMD.EXE""#, &e).len(), 1);
    assert!(lines(r#"process where process.name == "cmd*""#, &e).is_empty());
    let f = events(&[(1.0, json!({"event": {"category": "file"}, "file": {"path": "c:\\windows\\x.dll"}}))]);
    assert_eq!(lines(r#"file where file.path : "C:\\Windows\\*""#, &f).len(), 1);
}

#[test]
fn regexes_are_anchored() {
    let e = one(json!({"process": {"name": "cmd.exe"}}));
    assert!(lines(r#"process where process.name regex "cmd""#, &e).is_empty());
    assert_eq!(lines(r#"process where process.name regex "cmd.*""#, &e).len(), 1);
}

/// `regex~` is Lucene's `ASCII_CASE_INSENSITIVE`: ASCII letters fold, others do not
/// (Elasticsearch's regexp query with `case_insensitive`).
#[test]
fn insensitive_regexes_fold_ascii_letters_only() {
    let e = one(json!({"process": {"name": "CMD.EXE"}}));
    assert_eq!(lines(r#"process where process.name regex~ "cmd\\.e.e""#, &e).len(), 1);
    assert!(lines(r#"process where process.name regex "cmd.*""#, &e).is_empty());
    let umlaut = one(json!({"file": {"name": "ÄNDERUNG.txt"}}));
    assert!(lines(r#"process where file.name regex~ "änderung.*""#, &umlaut).is_empty());
    assert_eq!(lines(r#"process where file.name regex~ "Änderung.*""#, &umlaut).len(), 1);
    // `.` is one character, not one byte.
    assert_eq!(lines(r#"process where file.name regex "Ä.DERUNG.txt""#, &umlaut).len(), 1);
}

#[test]
fn optional_fields_mapped_nowhere_are_null() {
    let e = one(json!({}));
    assert!(lines(r#"process where ?u.x != "a""#, &e).is_empty());
    let with_field_elsewhere = events(&[(1.0, json!({})), (2.0, json!({"u": {"x": "b"}}))]);
    assert_eq!(lines(r#"process where ?u.x != "a""#, &with_field_elsewhere), vec![vec![1], vec![2]]);
}

#[test]
fn categories_are_exact_and_any_value() {
    let e = one(json!({"event": {"category": ["network", "authentication"]}}));
    assert_eq!(lines("network where true", &e).len(), 1);
    assert!(lines("Network where true", &e).is_empty());
}

const AB: &str = r#"sequence by host.id [process where name == "a"] [process where name == "b"]"#;

#[test]
fn the_newest_partial_wins_and_completion_consumes_it() {
    let a1a2b3 = events(&[(1.0, json!({"name": "a"})), (2.0, json!({"name": "a"})), (3.0, json!({"name": "b"}))]);
    assert_eq!(lines(AB, &a1a2b3), vec![vec![2, 3]]);
    let a1b2b3 = events(&[(1.0, json!({"name": "a"})), (2.0, json!({"name": "b"})), (3.0, json!({"name": "b"}))]);
    assert_eq!(lines(AB, &a1b2b3), vec![vec![1, 2]]);
}

#[test]
fn one_event_can_complete_a_sequence_and_start_the_next() {
    let e = events(&[(1.0, json!({})), (2.0, json!({})), (3.0, json!({}))]);
    assert_eq!(lines("sequence [any where true] [any where true]", &e), vec![vec![1, 2], vec![2, 3]]);
}

#[test]
fn maxspan_accepts_a_gap_equal_to_it() {
    let q = r#"sequence with maxspan=5s [process where name == "A"] [process where name == "B"]"#;
    let at = |b: f64| events(&[(0.0, json!({"name": "A"})), (b, json!({"name": "B"}))]);
    assert_eq!(lines(q, &at(5.0)).len(), 1);
    assert!(lines(q, &at(5.001)).is_empty());
    let a0a3b7 = events(&[(0.0, json!({"name": "A"})), (3.0, json!({"name": "A"})), (7.0, json!({"name": "B"}))]);
    assert_eq!(lines(q, &a0a3b7), vec![vec![2, 3]]);
}

#[test]
fn until_drops_pending_partials() {
    let q = r#"sequence by host.id [process where name == "A"] [process where name == "B"] until [process where name == "C"]"#;
    let seq = |names: &[&str]| {
        events(&names.iter().enumerate().map(|(i, n)| (i as f64 + 1.0, json!({"name": n}))).collect::<Vec<_>>())
    };
    assert!(lines(q, &seq(&["A", "C", "B"])).is_empty());
    assert_eq!(lines(q, &seq(&["A", "B", "C"])).len(), 1);
    assert_eq!(lines(q, &seq(&["C", "A", "B"])).len(), 1);
}

#[test]
fn null_join_keys_take_part_only_when_optional() {
    let e = events(&[(1.0, json!({"name": "a"})), (2.0, json!({"name": "b"}))]);
    let q = r#"sequence by user.name [process where name == "a"] [process where name == "b"]"#;
    assert!(lines(q, &e).is_empty());
    let q = r#"sequence by ?user.name [process where name == "a"] [process where name == "b"]"#;
    let (_, results) = search(q, &[&e], &Settings::default()).expect("query");
    assert_eq!(results.matches.len(), 1);
    assert_eq!(results.matches[0].join_keys, vec![eql::Value::Null]);
}

#[test]
fn multi_valued_join_keys_split() {
    let ips = json!(["10.0.0.1", "fe80::1"]);
    let e = events(&[(1.0, json!({"name": "a", "host": {"ip": ips}})), (2.0, json!({"name": "b", "host": {"ip": ips}}))]);
    let q = r#"sequence by host.ip [process where name == "a"] [process where name == "b"]"#;
    assert_eq!(lines(q, &e).len(), 2);
}

#[test]
fn equal_timestamps_keep_input_order() {
    let ab = events(&[(1.0, json!({"name": "a"})), (1.0, json!({"name": "b"}))]);
    assert_eq!(lines(AB, &ab).len(), 1);
    let ba = events(&[(1.0, json!({"name": "b"})), (1.0, json!({"name": "a"}))]);
    assert!(lines(AB, &ba).is_empty());
}

#[test]
fn missing_events() {
    let q = r#"sequence with maxspan=5s [process where name == "A"] ![process where name == "B"]"#;
    let ab = |t: f64| events(&[(0.0, json!({"name": "A"})), (t, json!({"name": "B"}))]);
    assert!(lines(q, &ab(3.0)).is_empty());
    assert!(lines(q, &ab(5.0)).is_empty());
    assert_eq!(lines(q, &ab(6.0)), vec![vec![1, 0]]);
    assert_eq!(lines(q, &events(&[(0.0, json!({"name": "A"}))])), vec![vec![1, 0]]);

    let q = r#"sequence with maxspan=5s [process where name == "A"] ![process where name == "B"] [process where name == "C"]"#;
    let e = events(&[(0.0, json!({"name": "A"})), (0.0, json!({"name": "B"})), (2.0, json!({"name": "C"}))]);
    assert_eq!(lines(q, &e), vec![vec![1, 0, 3]]);

    let q = r#"sequence with maxspan=1m ![process where name == "B"] [process where name == "A"]"#;
    let ba = |t: f64| events(&[(0.0, json!({"name": "B"})), (t, json!({"name": "A"}))]);
    assert!(lines(q, &ba(60.0)).is_empty());
    assert_eq!(lines(q, &ba(61.0)), vec![vec![0, 2]]);
}

#[test]
fn runs_repeat_a_term() {
    let q = r#"sequence [process where name == "A"] with runs=2 [process where name == "B"]"#;
    let e = events(&[(1.0, json!({"name": "A"})), (2.0, json!({"name": "A"})), (3.0, json!({"name": "B"}))]);
    assert_eq!(lines(q, &e), vec![vec![1, 2, 3]]);
    let e = events(&[(1.0, json!({"name": "A"})), (2.0, json!({"name": "B"}))]);
    assert!(lines(q, &e).is_empty());
}

#[test]
fn integer_division_truncates() {
    let e = one(json!({"process": {"args_count": 3}}));
    assert_eq!(lines("process where 4 / process.args_count == 1", &e).len(), 1);
}

#[test]
fn single_quotes_are_an_error_and_raw_strings_keep_backslashes() {
    let err = eql::parse("process where name == 'x'").expect_err("single quotes");
    assert!(err[0].message.contains("double quotes"));
    let e = one(json!({"name": "C:\\x"}));
    assert_eq!(lines(r#"process where name == """C:\x""""#, &e).len(), 1);
}

#[test]
fn samples_use_distinct_events_in_filter_order() {
    let q = r#"sample by host.id [process where name == "A"] [process where name == "B"]"#;
    let e = events(&[(1.0, json!({"name": "B"})), (2.0, json!({"name": "A"}))]);
    assert_eq!(lines(q, &e), vec![vec![2, 1]]);
    let both = events(&[(1.0, json!({"name": ["A", "B"]}))]);
    assert!(lines(q, &both).is_empty());
}

#[test]
fn tail_keeps_the_most_recent_results() {
    let e = events(&(0..5).map(|i| (i as f64, json!({}))).collect::<Vec<_>>());
    let settings = Settings { size: Some(2), ..Settings::default() };
    let (data, results) = search("process where true", &[&e], &settings).expect("query");
    let got: Vec<u32> = results.matches.iter().map(|m| data.origin(m.events[0].event().unwrap_or(0)).line).collect();
    assert_eq!(got, vec![4, 5]);
}
