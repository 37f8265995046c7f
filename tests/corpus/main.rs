//! Every EQL query of Elastic's detection-rules corpus, through the whole engine: it parses,
//! prints back to text that parses to the same tree (parse → print → parse → same print), compiles
//! with the rule's own settings, and runs over the sample events and 5000 generated Elastic
//! Defend events without an error. The built-in rule and its upstream version must find the
//! sample's one sequence. Prints a closing tally.

mod checklists;
mod pack;
mod seed_page;

use std::path::Path;

const EXPECTED_RULES: usize = 1081;

struct Events {
    name: &'static str,
    text: String,
}

/// 5000 generated events with five planted seed-rule sequences.
fn generator() -> eventgen::GenConfig {
    eventgen::GenConfig { events: 5000, ..eventgen::GenConfig::default() }
}

fn events() -> Vec<Events> {
    let root = eqlplay_tests::workspace_root();
    let sample = |file: &str| std::fs::read_to_string(root.join("web/samples").join(file)).expect("sample events");
    let mut generated = String::new();
    eventgen::generate(&generator(), &mut generated);
    vec![
        Events { name: "script-download", text: sample("script-download.ndjson") },
        Events { name: "benign", text: sample("benign.ndjson") },
        Events { name: "eventgen-5k", text: generated },
    ]
}

/// What one rule gave: its matches per event set, or the first failure.
fn run_rule(rule: &rules::Rule, events: &[Events]) -> Result<Vec<usize>, String> {
    let query = rule.query.trim();
    let tree = eql::parse(query).map_err(|e| format!("parse: {e:?}"))?;
    let printed = tree.to_string();
    let again = eql::parse(&printed).map_err(|e| format!("the printed query does not parse: {e:?}\n{printed}"))?;
    if again.to_string() != printed {
        return Err(format!("printing is not stable:\n{printed}\n{again}"));
    }
    let settings = eql::Settings {
        tiebreaker_field: rule.tiebreaker_field.clone().filter(|f| !f.is_empty()),
        event_category_field: rule.event_category_override.clone().unwrap_or_else(|| "event.category".into()),
        ..eql::Settings::default()
    };
    let plan = eql::compile_text(query, &settings).map_err(|e| format!("compile: {}", eql::syntax::error::render_all(&e, query)))?;
    let mut counts = Vec::with_capacity(events.len());
    for set in events {
        let mut reader = eql::Reader::new(plan.fields.clone());
        reader.add_ndjson(0, &set.text);
        let data = reader.finish();
        if let Some(e) = data.errors().first() {
            return Err(format!("{}: line {}: {}", set.name, e.line, e.message));
        }
        let results = eql::run(&plan, &data).map_err(|e| format!("{}: run: {e:?}", set.name))?;
        counts.push(results.matches.len());
    }
    Ok(counts)
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn every_corpus_query_round_trips_compiles_and_runs() {
    let root = eqlplay_tests::shared_dir().join("corpus/elastic-detection-rules");
    let events = events();
    let mut failures = Vec::new();
    let (mut rules_run, mut matched_any) = (0usize, vec![0usize; events.len()]);
    let mut seed_counts = None;
    for path in eqlplay_tests::corpus_rule_files() {
        let name = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let rule = match rules::load_rule(&text) {
            Ok(rule) => rule,
            Err(e) => {
                failures.push(format!("{name}: load: {e}"));
                continue;
            }
        };
        // A panic is a failure of this rule, reported with the others.
        match std::panic::catch_unwind(|| run_rule(&rule, &events)).unwrap_or_else(|_| Err("panicked".into())) {
            Ok(counts) => {
                rules_run += 1;
                for (any, n) in matched_any.iter_mut().zip(&counts) {
                    *any += usize::from(*n > 0);
                }
                if Path::new(&name).ends_with("command_and_control_remote_file_copy_scripts.toml") {
                    seed_counts = Some(counts);
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    let per_set: Vec<String> =
        events.iter().zip(&matched_any).map(|(set, n)| format!("{n} match in {}", set.name)).collect();
    println!("corpus: {rules_run} of {EXPECTED_RULES} rules round-trip, compile and run; {}", per_set.join(", "));
    assert!(failures.is_empty(), "{} rules failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(rules_run, EXPECTED_RULES);
    // The built-in rule: the sample's one sequence, nothing in the benign set, and exactly the
    // generator's planted sequences (one per 1000 events).
    let planted = eventgen::expected_matches(&generator());
    let seed_text = std::fs::read_to_string(eqlplay_tests::workspace_root().join("web/rules/seed.toml")).expect("seed");
    let seed = rules::load_rule(&seed_text).expect("the built-in rule loads");
    assert_eq!(run_rule(&seed, &events), Ok(vec![1, 0, planted]), "the built-in rule");
    // Upstream's current version of it reads more file extensions (scripts too), so on generated
    // events it also flags the scripts the noise writes; on the samples it agrees.
    let upstream = seed_counts.expect("the upstream rule is in the corpus");
    assert_eq!(upstream[..2], [1, 0], "the upstream rule on the samples");
    assert!(upstream[2] >= planted, "the upstream rule misses planted sequences: {upstream:?}");
}
