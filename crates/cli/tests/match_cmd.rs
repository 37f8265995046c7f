//! `eqlplay match` against the sample events.

mod common;

use common::*;
use serde_json::{json, Value};

/// The JSON object on 1-based line `n` of the sample.
fn sample_event(n: usize) -> Value {
    let text = sample_text();
    let line = text.lines().nth(n - 1).expect("sample line");
    serde_json::from_str(line).expect("sample line is JSON")
}

fn event_lines(result: &Value) -> Vec<u64> {
    result["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect()
}

/// The seed rule's expected result: join keys are line 14's host.id and process.entity_id.
fn expected_keys() -> Value {
    let e = sample_event(14);
    json!([e["host"]["id"], e["process"]["entity_id"]])
}

#[test]
fn seed_rule_finds_exactly_the_one_sequence() {
    let out = run(&["match", "--rule", SEED_RULE, SAMPLE]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert_eq!(results.len(), 1, "{}", out.stdout);
    let r = &results[0];
    assert_eq!(r["kind"], "sequence");
    assert_eq!(r["join_keys"], expected_keys());
    assert_eq!(r["events"], json!([{"line": 14}, {"line": 15}]));
    assert_eq!(out.stderr, "");
}

#[test]
fn with_source_adds_the_event_json() {
    let out = run(&["match", "--rule", SEED_RULE, "--with-source", SAMPLE]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert_eq!(results.len(), 1);
    let events = results[0]["events"].as_array().expect("events");
    assert_eq!(events[0]["line"], 14);
    assert_eq!(events[0]["source"], sample_event(14));
    assert_eq!(events[1]["source"], sample_event(15));
    // Verbatim: the source text is the input line itself.
    let line15 = sample_text().lines().nth(14).expect("line 15").to_string();
    assert!(
        out.stdout.contains(&line15),
        "source is not the verbatim line"
    );
}

#[test]
fn several_inputs_add_the_file() {
    let out = run(&["match", "--rule", SEED_RULE, BENIGN, SAMPLE]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert_eq!(results.len(), 1, "{}", out.stdout);
    assert_eq!(results[0]["join_keys"], expected_keys());
    assert_eq!(
        results[0]["events"],
        json!([{"file": SAMPLE, "line": 14}, {"file": SAMPLE, "line": 15}])
    );
}

#[test]
fn json_array_input_gives_element_indexes() {
    let events: Vec<Value> = sample_text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let pretty = serde_json::to_string_pretty(&events).expect("array");
    let path = scratch("array.json", pretty.as_bytes());
    let out = run(&["match", "--rule", SEED_RULE, "--with-source", &path]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    // One result, on one line, even though the events were pretty-printed.
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    let results = out.json_lines();
    assert_eq!(event_lines(&results[0]), [14, 15]);
    assert_eq!(results[0]["events"][0]["source"], events[13]);
}

#[test]
fn search_response_input() {
    let hits: Vec<Value> = sample_text()
        .lines()
        .map(|l| json!({"_index": "logs", "_source": serde_json::from_str::<Value>(l).expect("JSON")}))
        .collect();
    let response = serde_json::to_string_pretty(&json!({"took": 1, "hits": {"hits": hits}}))
        .expect("response");
    let path = scratch("search.json", response.as_bytes());
    let out = run(&["match", "--rule", SEED_RULE, &path]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(event_lines(&out.json_lines()[0]), [14, 15]);
}

#[test]
fn malformed_lines_are_reported_and_skipped() {
    let mut lines: Vec<String> = sample_text().lines().map(str::to_string).collect();
    lines[4] = "{\"broken\": ".into();
    lines[29] = "not json at all".into();
    lines[32] = "[1, 2]".into();
    let path = scratch("malformed.ndjson", (lines.join("\n") + "\n").as_bytes());
    let out = run(&["match", "--rule", SEED_RULE, &path]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert_eq!(results.len(), 1);
    assert_eq!(event_lines(&results[0]), [14, 15]);
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    assert!(
        errors[0].starts_with(&format!("{path}:5: ")),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].starts_with(&format!("{path}:30: ")),
        "{}",
        out.stderr
    );
    assert!(
        errors[2].starts_with(&format!("{path}:33: ")),
        "{}",
        out.stderr
    );
}

#[test]
fn invalid_query_exits_2_with_position_and_caret() {
    let out = run(&["match", "--query", "process wher true", SAMPLE]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    let first = out.stderr.lines().next().unwrap_or("");
    assert!(first.starts_with("--query: 1:9: "), "{}", out.stderr);
    assert!(
        out.stderr.lines().any(|l| l.ends_with("|         ^^^^")),
        "{}",
        out.stderr
    );

    // From a rule file: the label names the file and the rule.
    let text = std::fs::read_to_string(workspace().join(SEED_RULE)).expect("seed rule");
    let broken = text.replace("[file where", "[file wher");
    let path = scratch("broken-rule.toml", broken.as_bytes());
    let out = run(&["match", "--rule", &path, SAMPLE]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(&format!("{path} (rule \"")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("query): 5:9: expected 'where'"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains('^'), "{}", out.stderr);
}

#[test]
fn unknown_field_with_a_mapping_is_invalid() {
    let mapping = scratch(
        "mapping.json",
        br#"{"mappings":{"properties":{"@timestamp":{"type":"date"},"event":{"properties":{"category":{"type":"keyword"}}}}}}"#,
    );
    let out = run(&[
        "match",
        "--query",
        "process where nosuch.field == \"x\"",
        "--mapping",
        &mapping,
        SAMPLE,
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("Unknown column [nosuch.field]"),
        "{}",
        out.stderr
    );
}

#[test]
fn size_and_result_position() {
    let query = r#"process where process.name == "wscript.exe""#;
    let all = run(&["match", "--query", query, SAMPLE]);
    assert_eq!(all.code, 0, "stderr: {}", all.stderr);
    let all: Vec<Vec<u64>> = all.json_lines().iter().map(event_lines).collect();
    assert!(all.len() > 4, "{all:?}");
    let lines = |extra: &[&str]| -> Vec<Vec<u64>> {
        let mut args = vec!["match", "--query", query];
        args.extend_from_slice(extra);
        args.push(SAMPLE);
        let out = run(&args);
        assert_eq!(out.code, 0, "stderr: {}", out.stderr);
        out.json_lines().iter().map(event_lines).collect()
    };
    assert_eq!(
        lines(&["--size", "2", "--result-position", "head"]),
        all[..2]
    );
    assert_eq!(
        lines(&["--size", "2", "--result-position", "tail"]),
        all[all.len() - 2..]
    );
    assert_eq!(
        lines(&["--size=2"]),
        all[all.len() - 2..],
        "tail is the default"
    );
    assert_eq!(lines(&["--size", "1000"]), all);
}

#[test]
fn stdin_dash() {
    let out = run_with_stdin(&["match", "--rule", SEED_RULE, "-"], &sample_text());
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["events"], json!([{"line": 14}, {"line": 15}]));

    let out = run_with_stdin(&["match", "--rule", SEED_RULE, "-", BENIGN], &sample_text());
    assert_eq!(
        out.json_lines()[0]["events"][0],
        json!({"file": "-", "line": 14})
    );
}

#[test]
fn missing_events_and_samples() {
    let out = run(&[
        "match",
        "--query",
        "sequence by host.id with maxspan=1m [network where true] ![file where true] [process where true]",
        SAMPLE,
    ]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert!(!results.is_empty());
    assert_eq!(results[0]["events"][1], json!({"missing": true}));

    let out = run(&[
        "match",
        "--query",
        "sample by host.id [network where true] [file where true]",
        SAMPLE,
    ]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let results = out.json_lines();
    assert!(!results.is_empty());
    assert!(results
        .iter()
        .all(|r| r["kind"] == "sample" && r["events"].as_array().map(Vec::len) == Some(2)));
}

#[test]
fn rule_overrides_apply() {
    // event_category_override names the category field; timestamp_override is not the
    // EQL timestamp field (Kibana uses it for the time range only).
    let rule = scratch(
        "overrides.json",
        br#"{"name":"o","type":"eql","language":"eql","query":"sequence [process where true] [file where true]",
            "event_category_override":"kind","timestamp_override":"no.such.field"}"#,
    );
    let events = scratch(
        "overrides.ndjson",
        concat!(
            r#"{"@timestamp":"2024-01-01T00:00:01Z","kind":"process"}"#,
            "\n",
            r#"{"@timestamp":"2024-01-01T00:00:02Z","kind":"file","event":{"category":"process"}}"#,
            "\n"
        )
        .as_bytes(),
    );
    let out = run(&["match", "--rule", &rule, &events]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        r#"{"kind":"sequence","join_keys":[],"events":[{"line":1},{"line":2}]}"#
    );
    // A flag overrides the rule.
    let out = run(&[
        "match",
        "--rule",
        &rule,
        "--event-category-field",
        "event.category",
        &events,
    ]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn first_eql_rule_of_an_export_is_used() {
    let export = scratch(
        "export.ndjson",
        concat!(
            r#"{"name":"kql","type":"query","language":"kuery","query":"a:1"}"#,
            "\n",
            r#"{"name":"eql","type":"eql","language":"eql","query":"process where process.name == \"wscript.exe\""}"#,
            "\n",
            r#"{"exported_count":2}"#,
            "\n"
        )
        .as_bytes(),
    );
    let out = run(&["match", "--rule", &export, "--size", "1", SAMPLE]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.json_lines().len(), 1);
    assert!(
        out.stderr
            .contains("running the first EQL one, rule \"eql\""),
        "{}",
        out.stderr
    );

    let kql = scratch(
        "kql.json",
        br#"{"name":"kql","type":"query","language":"kuery","query":"a:1"}"#,
    );
    let out = run(&["match", "--rule", &kql, SAMPLE]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not an EQL rule"), "{}", out.stderr);
}

#[test]
fn not_utf8_is_read_lossily_and_reported() {
    let path = scratch(
        "lossy.ndjson",
        b"{\"event\":{\"category\":\"process\"},\"x\":\"\xff\"}\n",
    );
    let out = run(&[
        "match",
        "--query",
        "process where true",
        "--with-source",
        &path,
    ]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert!(out.stderr.contains("not valid UTF-8"), "{}", out.stderr);
    assert_eq!(out.json_lines()[0]["events"][0]["source"]["x"], "\u{fffd}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["match", SAMPLE],
        vec!["match", "--query", "any where true"],
        vec![
            "match",
            "--query",
            "any where true",
            "--rule",
            SEED_RULE,
            SAMPLE,
        ],
        vec!["match", "--query", "any where true", "--bogus", SAMPLE],
        vec![
            "match",
            "--query",
            "any where true",
            "--size",
            "many",
            SAMPLE,
        ],
        vec![
            "match",
            "--query",
            "any where true",
            "--result-position",
            "middle",
            SAMPLE,
        ],
        vec!["match", "--query", "any where true", "no/such/file.ndjson"],
        vec!["nonsense"],
    ] {
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let out = run(&["match", "--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("--result-position"));
}

#[test]
fn threads_change_nothing_but_speed() {
    // About 6 MiB: the benign sample over and over, a broken line in the middle, the sample
    // with its one match at the end — large enough to be read on several threads.
    let benign = std::fs::read_to_string(workspace().join(BENIGN)).expect("benign sample");
    let mut text = String::new();
    let mut copies = 0;
    while text.len() < 3 << 20 {
        text.push_str(&benign);
        copies += 1;
    }
    text.push_str("{\"broken\": \n");
    for _ in 0..copies {
        text.push_str(&benign);
    }
    let broken_line = benign.lines().count() * copies + 1;
    let before_sample = text.lines().count();
    text.push_str(&sample_text());
    let path = scratch("threads.ndjson", text.as_bytes());

    let one = run(&["match", "--rule", SEED_RULE, "--threads", "1", &path]);
    let four = run(&["match", "--rule", SEED_RULE, "--threads", "4", &path]);
    assert_eq!(one.code, 0, "stderr: {}", one.stderr);
    assert_eq!(four.stdout, one.stdout);
    assert_eq!(four.stderr, one.stderr);
    let results = one.json_lines();
    assert_eq!(results.len(), 1, "{}", one.stdout);
    assert_eq!(event_lines(&results[0]), [before_sample as u64 + 14, before_sample as u64 + 15]);
    assert!(one.stderr.starts_with(&format!("{path}:{broken_line}: ")), "{}", one.stderr);
    assert_eq!(one.stderr.lines().count(), 1, "{}", one.stderr);

    let zero = run(&["match", "--rule", SEED_RULE, "--threads", "0", &path]);
    assert_eq!(zero.code, 2);
    assert!(zero.stderr.contains("--threads must be at least 1"), "{}", zero.stderr);
}

#[test]
fn near_misses_say_what_came_closest_on_stderr() {
    let out = run(&["match", "--rule", SEED_RULE, "--near-misses", "10", SAMPLE]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    // The results on stdout are unchanged.
    assert_eq!(out.json_lines().len(), 1);
    let err = &out.stderr;
    assert!(err.starts_with("near misses: 5 sequences started and never completed (5 shown)\n"), "{err}");
    assert!(err.contains("  line 13 (1 of 2 terms), by efd52412-"), "{err}");
    assert!(err.contains(": replaced by a newer partial (line 14)\n"), "{err}");
    assert!(err.contains("    line 41 has the same key but does not match term 2\n"), "{err}");
    assert!(err.contains("    line 50 matches term 2, but with another key: host.id = 2889bdc2-b170-3c84-e04a-857f5d9d47b9\n"), "{err}");
    assert!(err.contains("    line 56 matches term 2 with the same key, but comes earlier\n"), "{err}");
    // Only the furthest N, and only for sequences.
    let two = run(&["match", "--rule", SEED_RULE, "--near-misses", "2", SAMPLE]);
    assert!(two.stderr.starts_with("near misses: 5 sequences started and never completed (2 shown)\n"), "{}", two.stderr);
    let event = run(&["match", "--query", "process where true", "--near-misses", "3", SAMPLE]);
    assert_eq!(event.stderr, "note: --near-misses applies to sequence queries only\n");
}

/// Deterministic bytes that are neither JSON nor UTF-8, with a line end now and then.
fn binary_junk(len: usize) -> Vec<u8> {
    let mut x: u32 = 2463534242;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if x % 300 == 0 { b'\n' } else { (x >> 24) as u8 }
        })
        .collect()
}

/// stderr's `FILE:LINE: reason` lines.
fn line_errors<'a>(stderr: &'a str, path: &str) -> Vec<&'a str> {
    let prefix = format!("{path}:");
    stderr
        .lines()
        .filter(|l| l.strip_prefix(&prefix).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())))
        .collect()
}

#[test]
fn a_flood_of_bad_lines_lists_twenty_and_counts_the_rest() {
    let path = scratch("junk.bin", &binary_junk(3 << 20));
    let out = run(&["match", "--query", "any where true", &path]);
    assert_eq!(out.code, 0, "stderr: {}", &out.stderr[..out.stderr.len().min(2000)]);
    let errors = line_errors(&out.stderr, &path);
    assert_eq!(errors.len(), 20, "the first twenty are listed");
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("… and ") && last.ends_with("more unreadable lines (--all-errors lists them all)"), "{last}");
    let more: usize = last.split_whitespace().nth(2).and_then(|n| n.parse().ok()).expect("a count");
    assert!(more > 5000, "{last}");
    // --all-errors lists every one.
    let all = run(&["match", "--query", "any where true", "--all-errors", &path]);
    let listed = line_errors(&all.stderr, &path).len();
    assert_eq!(listed, 20 + more);
}

#[test]
fn a_closed_stderr_ends_the_command_quietly() {
    // `eqlplay match … 2>&1 | head`: the reader of stderr is gone before anything is written.
    let path = scratch("junk-pipe.bin", &binary_junk(1 << 20));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_eqlplay"))
        .args(["match", "--all-errors", "--query", "any where true", &path])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("eqlplay starts");
    drop(child.stderr.take());
    let status = child.wait().expect("eqlplay ends");
    assert_eq!(status.code(), Some(0), "no panic (exit 101) on a closed stderr");
}

/// Elasticsearch's `customDateFormatsAsKey_DifferentIndicesResults`: three indices whose
/// `@timestamp_pretty` has different date formats; each file is read with its own mapping.
#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn index_mappings_read_each_file_with_its_own_mapping() {
    let data = shared_dir().join("conformance/elasticsearch/data");
    let file = |name: &str| data.join(name).to_string_lossy().into_owned();
    let query = "sample by @timestamp_pretty [alert where true] [failure where op_sys == \"redhat\"]";
    let mut args: Vec<String> = ["match", "--query", query].iter().map(|s| s.to_string()).collect();
    for i in 1..=3 {
        args.push("--index-mapping".into());
        args.push(format!("{}={}", file(&format!("sample{i}.data")), file(&format!("sample{i}.mapping"))));
    }
    for i in 1..=3 {
        args.push(file(&format!("sample{i}.data")));
    }
    let out = run(&args);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    // Each event is named by the file and its element index: map them back to the spec's ids.
    let id = |file_name: &str, line: u64| -> i64 {
        let docs: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(file_name).expect("data")).expect("array");
        docs[line as usize - 1]["id"].as_i64().expect("id")
    };
    let results = out.json_lines();
    let ids: Vec<i64> = results
        .iter()
        .flat_map(|r| r["events"].as_array().cloned().unwrap_or_default())
        .map(|e| id(e["file"].as_str().expect("file"), e["line"].as_u64().expect("line")))
        .collect();
    assert_eq!(ids, [15, 27], "{}", out.stdout);
    assert_eq!(results[0]["join_keys"], json!([1671235200000i64]));
    // One mapping for all three reads the other formats wrongly.
    let one = run(&["match", "--query", query, "--mapping", &file("sample1.mapping"), &file("sample1.data"), &file("sample2.data"), &file("sample3.data")]);
    assert_ne!(one.stdout, out.stdout, "the per-file mappings matter here");
}

#[test]
fn index_mapping_must_name_an_events_file() {
    let out = run(&["match", "--query", "any where true", "--index-mapping", "other.ndjson=m.json", SAMPLE]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not one of the events files given"), "{}", out.stderr);
    let out = run(&["match", "--query", "any where true", "--index-mapping", "no-equals", SAMPLE]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("EVENTS_FILE=MAPPING_FILE"), "{}", out.stderr);
}
