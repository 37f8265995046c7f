//! Parsing the `query` of all 1081 EQL rules of Elastic's detection-rules corpus (read from
//! shared/ at bench time). Target: under 50 ms for all of them. Peer: `bench/parse_corpus.py`.

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn parse_corpus(c: &mut Criterion) {
    let queries = common::corpus_queries();
    let bytes: usize = queries.iter().map(|q| q.len()).sum();
    let failed: Vec<_> = queries.iter().filter(|q| eql::parse(q).is_err()).collect();
    eprintln!(
        "parse_corpus: queries={} bytes={} parse_failures={}",
        queries.len(),
        bytes,
        failed.len()
    );
    assert!(failed.is_empty(), "some corpus queries do not parse");

    let mut g = c.benchmark_group("parse_corpus");
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function("parse_all", |b| {
        b.iter(|| {
            for q in &queries {
                black_box(eql::parse(black_box(q)).is_ok());
            }
        })
    });
    // Parse + compile (default settings, no mapping): what the playground does per query.
    g.bench_function("compile_all", |b| {
        b.iter(|| {
            for q in &queries {
                black_box(eql::compile_text(black_box(q), &eql::Settings::default()).is_ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, parse_corpus);
criterion_main!(benches);
