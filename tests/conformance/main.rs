//! Elasticsearch's own EQL spec tests, loaded the way its Java harness loads them
//! (see ../shared/conformance/elasticsearch/README.md), run against our engine.
//! Prints every failure, then `N passed, M failed`. Queries we knowingly fail are listed with
//! their reasons in `known_failures.toml`; any other failure, or a listed query that now
//! passes, fails the test.

mod load;

use eql::{ResultPosition, Settings, Slot};
use load::{Index, Spec};
use std::collections::BTreeMap;

struct Suite {
    files: &'static [&'static str],
    index: &'static str,
    tiebreaker: Option<&'static str>,
    id_field: &'static str,
}

const SUITES: &[Suite] = &[
    Suite {
        files: &["test_queries.toml", "additional_test_queries.toml", "test_queries_date.toml"],
        index: "endgame-140",
        tiebreaker: Some("serial_event_id"),
        id_field: "serial_event_id",
    },
    Suite {
        files: &["test_queries_date_nanos.toml", "test_queries.toml"],
        index: "endgame-140-nanos",
        tiebreaker: Some("serial_event_id"),
        id_field: "serial_event_id",
    },
    Suite { files: &["test_extra.toml"], index: "extra", tiebreaker: Some("sequence"), id_field: "sequence" },
    Suite {
        files: &["test_missing_events.toml"],
        index: "missing-events",
        tiebreaker: Some("sequence"),
        id_field: "sequence",
    },
    Suite { files: &["test_sample.toml"], index: "sample1,sample2,sample3", tiebreaker: None, id_field: "id" },
    Suite { files: &["test_sample_multi.toml"], index: "sample-multi", tiebreaker: None, id_field: "id" },
];

/// What one run gave: the flat event ids, or an error.
fn run_spec(index: &Index, suite: &Suite, spec: &Spec, position: ResultPosition) -> Result<(Vec<i64>, Vec<String>), String> {
    let settings = Settings {
        tiebreaker_field: suite.tiebreaker.map(str::to_string),
        mapping: Some(index.mapping.clone()),
        size: Some(spec.size.unwrap_or(50)),
        result_position: position,
        max_samples_per_key: spec.max_samples_per_key.unwrap_or(1),
        ..Settings::default()
    };
    let plan = eql::compile_text(&spec.query, &settings).map_err(|e| eql::syntax::error::render_all(&e, &spec.query))?;
    let mut fields = plan.fields.clone();
    let id_field = fields.intern(suite.id_field, None);
    let mut reader = eql::Reader::new(fields);
    for (input, (mapping, docs)) in index.parts.iter().enumerate() {
        let input = input as u32;
        reader.set_input_mapping(input, mapping);
        for (i, doc) in docs.iter().enumerate() {
            reader.add_event(eql::data::Origin { input, line: i as u32 + 1, offset: 0, len: 0 }, doc);
        }
    }
    let data = reader.finish();
    if let Some(e) = data.errors().first() {
        return Err(format!("data error: {e:?}"));
    }
    let results = eql::run(&plan, &data).map_err(|e| eql::syntax::error::render_all(&e, &spec.query))?;
    let mut ids = Vec::new();
    let mut keys = Vec::new();
    for m in &results.matches {
        for slot in &m.events {
            ids.push(match slot {
                Slot::Event { event, .. } => match data.first_value(*event, id_field) {
                    Some(eql::data::Val::Int(i)) => i,
                    Some(other) => other.to_text().and_then(|t| t.parse().ok()).unwrap_or(-2),
                    None => -2,
                },
                Slot::Missing { .. } => -1,
            });
        }
        keys.extend(m.join_keys.iter().map(|k| k.key_text()));
    }
    Ok((ids, keys))
}

fn check(index: &Index, suite: &Suite, spec: &Spec) -> Result<(), String> {
    // Elasticsearch's harness picks head or tail at random; results must not depend on it.
    for position in [ResultPosition::Tail, ResultPosition::Head] {
        let (ids, keys) = run_spec(index, suite, spec, position)?;
        if !spec.expected.contains(&ids) {
            return Err(format!("{position:?}: expected {:?}, got {ids:?}", spec.expected));
        }
        if let Some(expected_keys) = &spec.join_keys {
            if !expected_keys.is_empty() && *expected_keys != keys {
                return Err(format!("{position:?}: join keys: expected {expected_keys:?}, got {keys:?}"));
            }
        }
    }
    Ok(())
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn elasticsearch_spec_tests() {
    let dir = eqlplay_tests::shared_dir().join("conformance/elasticsearch");
    let known = load::known_failures();
    let (mut passed, mut failed) = (0, 0);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for suite in SUITES {
        let index = load::index(&dir, suite.index);
        for file in suite.files {
            for spec in load::specs(&dir.join(file)) {
                let id = format!("{}:{}:{}", suite.index, file, spec.name);
                let outcome = std::panic::catch_unwind(|| check(&index, suite, &spec))
                    .unwrap_or_else(|_| Err("panicked".to_string()));
                let known_reason = known.get(&id);
                seen.insert(id.clone());
                match (outcome, known_reason) {
                    (Ok(()), None) => passed += 1,
                    (Ok(()), Some(_)) => {
                        passed += 1;
                        fixed.push(id);
                    }
                    (Err(_), Some(k)) => {
                        failed += 1;
                        *reasons.entry(k.reason.clone()).or_default() += 1;
                        // Where upstream has since edited the query, the edited query must pass.
                        if let Some((from, to)) = &k.upstream_edit {
                            assert!(spec.query.contains(from.as_str()), "{id}: `{from}` is not in the query");
                            let edited = Spec { query: spec.query.replace(from.as_str(), to), ..spec.clone() };
                            match check(&index, suite, &edited) {
                                Ok(()) => println!("known failure {id}: passes with upstream's edit `{from}` → `{to}`"),
                                Err(e) => {
                                    println!("FAIL {id} with upstream's edit `{from}` → `{to}`: {e}");
                                    unexpected.push(id.clone());
                                }
                            }
                        }
                    }
                    (Err(e), None) => {
                        failed += 1;
                        println!("FAIL {id}\n  query: {}\n  {e}", spec.query.replace('\n', "\n         "));
                        unexpected.push(id);
                    }
                }
            }
        }
    }
    for (reason, n) in &reasons {
        println!("known failure ({n}): {reason}");
    }
    for id in &fixed {
        println!("FIXED (remove from known_failures.toml): {id}");
    }
    // A listed failure that no longer exists (renamed upstream, say) must not go unnoticed.
    let mut stale: Vec<&String> = known.keys().filter(|id| !seen.contains(*id)).collect();
    stale.sort();
    for id in &stale {
        println!("STALE (not in the spec files; remove from known_failures.toml): {id}");
    }
    println!("conformance: {passed} passed, {failed} failed");
    assert!(stale.is_empty(), "{} known failures name no spec query", stale.len());
    assert!(unexpected.is_empty() && fixed.is_empty(), "{} unexpected failures, {} fixed", unexpected.len(), fixed.len());
}
