//! Peak memory of one end-to-end seed-rule run versus the input size (target: < 2× the input,
//! the input string included). Not a criterion bench: run it once per size, each in its own
//! process, e.g.
//!
//! ```text
//! cargo bench -p eql --bench seed_rule_memory -- --events 1000000 [--file events.ndjson] [--threads N]
//! ```
//!
//! It reads the NDJSON (from `--file`, else generated with the bench settings), resets the
//! process's peak-RSS mark (`/proc/self/clear_refs`), runs Reader + run once, and prints VmHWM
//! (peak resident set) against the input size. Linux only.

mod common;

use std::time::Instant;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} not in /proc/self/status"))
}

fn main() {
    let mut events = 1_000_000usize;
    let mut file = None;
    let mut threads = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--events" => events = args.next().expect("--events N").replace('_', "").parse().expect("a number"),
            "--file" => file = Some(args.next().expect("--file PATH")),
            "--threads" => threads = args.next().expect("--threads N").parse().expect("a number"),
            _ => {} // `cargo bench` passes --bench
        }
    }
    let plan = eql::compile_text(&common::seed_query(), &eql::Settings::default()).expect("seed rule compiles");
    let text = match &file {
        Some(path) => std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")),
        None => common::generate(events),
    };
    let events = text.lines().count();
    let expected = eventgen::expected_matches(&common::gen_config(events));

    let rss_before = status_kib("VmRSS:");
    let hwm_before = status_kib("VmHWM:");
    // Reset the peak mark to the current RSS, so that VmHWM covers only what follows (plus the
    // input string and the process, which stay resident). If the kernel refuses, the peak so
    // far (the input's generation or read) is kept, which can only overstate the figure.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();

    // common::engine_end_to_end, with the two phases timed apart.
    let t = Instant::now();
    let mut reader = eql::Reader::new(plan.fields.clone());
    reader.set_threads(threads);
    reader.add_ndjson(0, &text);
    let data = reader.finish();
    let read_s = t.elapsed().as_secs_f64();
    let found = eql::run(&plan, &data).expect("run").matches.len();
    let secs = t.elapsed().as_secs_f64();
    let hwm = status_kib("VmHWM:");
    drop(data);
    assert_eq!(found, expected, "the engine finds the planted sequences");

    let input = text.len() as f64;
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "seed_rule_memory: events={events} threads={threads} input_mib={:.1} rss_before_run_mib={:.1} peak_rss_mib={:.1} \
         peak_over_input={:.2}x extra_over_input_mib={:.1} ({:.2}x input) hwm_reset={reset} \
         hwm_before_reset_mib={:.1} matches={found} end_to_end_s={secs:.3} (reader_s={read_s:.3} run_s={:.3})",
        input / 1048576.0,
        mib(rss_before),
        mib(hwm),
        hwm as f64 * 1024.0 / input,
        mib(hwm.saturating_sub(rss_before)),
        hwm.saturating_sub(rss_before) as f64 * 1024.0 / input,
        mib(hwm_before),
        secs - read_s,
    );
}
