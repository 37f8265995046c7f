//! The seed rule over 200k and 1M generated events (eventgen defaults: seed 42, 8 hosts, one
//! planted match per 1000 events), side by side with the serde_json::Value baseline.
//! Targets: the engine end to end at least as fast as the baseline; ≥ 25× the Python `eql`
//! package (`bench/seed_rule.py`). Sizes: `$EQLPLAY_BENCH_EVENTS` (default `200000,1000000`).
//! The engine runs once reading on one thread and once on `$EQLPLAY_BENCH_THREADS` (default:
//! every core).

mod common;

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

fn seed_rule(c: &mut Criterion) {
    let plan = eql::compile_text(&common::seed_query(), &eql::Settings::default()).expect("seed rule compiles");
    let threads = common::bench_threads();
    for events in common::event_counts() {
        let text = common::generate(events);
        let expected = eventgen::expected_matches(&common::gen_config(events));
        let found = common::engine_end_to_end(&plan, &text, 1);
        assert_eq!(common::engine_end_to_end(&plan, &text, threads), found);
        eprintln!(
            "seed_rule: events={events} bytes={} matches={found} expected={expected}",
            text.len()
        );
        assert_eq!(found, expected, "the engine finds the planted sequences");
        assert_eq!(common::serde_value_baseline(&text), events);
        assert_eq!(common::serde_validate_only(&text), events);

        let mut g = c.benchmark_group(format!("seed_rule_{events}"));
        g.throughput(Throughput::Elements(events as u64));
        g.sampling_mode(SamplingMode::Flat);
        if events >= 500_000 {
            g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
        } else {
            g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(12));
        }
        // Reported as target/criterion/seed_rule_<events>/<name>/new/estimates.json.
        g.bench_function("engine_end_to_end", |b| {
            b.iter(|| black_box(common::engine_end_to_end(&plan, black_box(&text), 1)))
        });
        // The same, reading on every core (what `eqlplay match` does; the browser reads on one).
        g.bench_function(format!("engine_end_to_end_{threads}_threads"), |b| {
            b.iter(|| black_box(common::engine_end_to_end(&plan, black_box(&text), threads)))
        });
        g.bench_function("serde_json_value_baseline", |b| {
            b.iter(|| black_box(common::serde_value_baseline(black_box(&text))))
        });
        // Checking each line is JSON and nothing else: what any reader that reports malformed
        // lines must spend at least (serde_json's skipping is close to the best available).
        g.bench_function("serde_json_validate_only", |b| {
            b.iter(|| black_box(common::serde_validate_only(black_box(&text))))
        });
        g.finish();
    }
}

criterion_group!(benches, seed_rule);
criterion_main!(benches);
