//! The whole corpus as one rule pack (`rules::pack`, what `eqlplay scan` runs): the events read
//! once for the union of the rules' fields, each rule run over the shared order and only the
//! events of its categories — and every rule's results exactly those it gives alone, event for
//! event, in the same order, on the samples and on generated events.

use eql::compare::Identity;
use rules::pack::{Pack, Status};

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn a_pack_gives_every_rule_the_results_it_gives_alone() {
    let mut loaded = Vec::new();
    for path in eqlplay_tests::corpus_rule_files() {
        let text = std::fs::read_to_string(&path).expect("rule file");
        loaded.push((path.display().to_string(), rules::load_rule(&text).expect("the corpus loads")));
    }
    let pack = Pack::new(loaded);
    assert_eq!(pack.rules.len(), super::EXPECTED_RULES);
    let (mut compared, mut with_results) = (0, 0);
    for set in super::events() {
        let mut reader = eql::Reader::new(pack.fields.clone());
        reader.add_ndjson(0, &set.text);
        let shared = reader.finish();
        for (i, together) in pack.run(&shared, &rules::pack::Hidden::default(), &mut |_, _| {}) {
            let r = &pack.rules[i];
            let Status::Ready(plan) = &r.status else { unreachable!("run gives ready rules only") };
            let together = together.unwrap_or_else(|e| panic!("{}: {e}", r.source));
            // Alone: the rule's own plan (its own field table) over its own dataset.
            let own = eql::compile_text(&r.rule.query, &rules::pack::settings(&r.rule)).expect("compiles alone");
            let mut reader = eql::Reader::new(own.fields.clone());
            reader.add_ndjson(0, &set.text);
            let data = reader.finish();
            let alone = eql::run(&own, &data).expect("runs alone").matches;
            let ids = |data: &eql::Dataset, ms: &[eql::Match]| -> Vec<(Identity, Vec<String>)> {
                ms.iter().map(|m| (Identity::of(data, m), m.join_keys.iter().map(|k| k.key_text()).collect())).collect()
            };
            assert_eq!(ids(&shared, &together), ids(&data, &alone), "{} on {}", r.source, set.name);
            assert_eq!(plan.query.to_string(), own.query.to_string());
            compared += 1;
            with_results += usize::from(!alone.is_empty());
        }
    }
    println!("pack: {compared} rule runs compared ({with_results} with results), every one the same as alone");
    assert!(with_results >= 10, "too few results to compare: {with_results}");
}
