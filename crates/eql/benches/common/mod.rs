//! Helpers shared by the benches: where the read-only reference data is, the corpus queries, the
//! seed rule and the generated events. See BENCHMARKS.md.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared reference data: `$EQLPLAY_SHARED`, else `<workspace>/../shared`.
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("EQLPLAY_SHARED") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    assert!(
        dir.join("corpus/elastic-detection-rules").is_dir(),
        "detection-rules corpus not found under {} (set EQLPLAY_SHARED to the shared/ folder)",
        dir.display()
    );
    dir
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The value of the top-level `query = '''...'''` of a detection-rules TOML file (a multi-line
/// literal string: no escapes, the newline right after the opening quotes is dropped). Every EQL
/// rule of the corpus writes its query so; `bench/parse_corpus.py` reads the same strings with
/// `tomllib`, and both print the total length as a cross-check.
pub fn rule_query(toml: &str) -> Option<&str> {
    const OPEN: &str = "\nquery = '''";
    let start = toml.find(OPEN)? + OPEN.len();
    let rest = &toml[start..];
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).unwrap_or(rest);
    let end = rest.find("'''")?;
    Some(&rest[..end])
}

/// The `query` of every rule of the corpus, in path order.
pub fn corpus_queries() -> Vec<String> {
    let root = shared_dir().join("corpus/elastic-detection-rules");
    let mut files = Vec::new();
    toml_files(&root, &mut files);
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            rule_query(&text)
                .unwrap_or_else(|| panic!("{}: no query = '''...'''", p.display()))
                .to_string()
        })
        .collect()
}

/// The built-in seed rule's query, read from the playground's own `web/rules/seed.toml`.
pub fn seed_query() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/rules/seed.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rule_query(&text).expect("seed.toml has a query").to_string()
}

/// The generator settings of the benches: the defaults (seed 42, 8 hosts, one planted match per
/// 1000 events), i.e. the same bytes as `eventgen --events N`.
pub fn gen_config(events: usize) -> eventgen::GenConfig {
    eventgen::GenConfig { events, ..eventgen::GenConfig::default() }
}

pub fn generate(events: usize) -> String {
    let mut text = String::new();
    eventgen::generate(&gen_config(events), &mut text);
    text
}

/// The engine end to end: read the NDJSON (only the fields the query uses, on up to `threads`
/// threads) and run the plan. Returns the number of matches.
pub fn engine_end_to_end(plan: &eql::Plan, text: &str, threads: usize) -> usize {
    let mut reader = eql::Reader::new(plan.fields.clone());
    reader.set_threads(threads);
    reader.add_ndjson(0, text);
    let data = reader.finish();
    eql::run(plan, &data).expect("run").matches.len()
}

/// The baseline: every line parsed into a `serde_json::Value` (and dropped).
pub fn serde_value_baseline(text: &str) -> usize {
    let mut n = 0;
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
        std::hint::black_box(&v);
        n += 1;
    }
    n
}

/// The floor of any reader that checks every line: serde_json validating each line as JSON
/// without building anything (`IgnoredAny`). Returns the number of valid lines.
pub fn serde_validate_only(text: &str) -> usize {
    text.lines()
        .filter(|line| !line.is_empty())
        .filter(|line| serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok())
        .count()
}

/// Event counts of the seed-rule benches: `$EQLPLAY_BENCH_EVENTS` (comma-separated), else 200k and 1M.
pub fn event_counts() -> Vec<usize> {
    match std::env::var("EQLPLAY_BENCH_EVENTS") {
        Ok(s) => s
            .split(',')
            .map(|n| n.trim().replace('_', "").parse().expect("EQLPLAY_BENCH_EVENTS: numbers"))
            .collect(),
        Err(_) => vec![200_000, 1_000_000],
    }
}

/// The threads the parallel variants use: `$EQLPLAY_BENCH_THREADS`, else every core.
pub fn bench_threads() -> usize {
    std::env::var("EQLPLAY_BENCH_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
