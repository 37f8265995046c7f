//! Runs `cargo test`, passing its output through, and closes with one line adding up every
//! test binary's `test result:` line — so the last line speaks for the whole run, not for the
//! last (often empty) doc-test binary. Ignored tests count as skipped, listed with their reasons:
//! a test that could not run never counts as passed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn count(line: &str, word: &str) -> usize {
    line.split([';', '.'])
        .find_map(|part| part.trim().strip_suffix(word).and_then(|n| n.trim().parse().ok()))
        .unwrap_or(0)
}

/// `test NAME ... ignored, REASON` → (NAME, REASON).
fn ignored(line: &str) -> Option<(&str, &str)> {
    let (name, outcome) = line.strip_prefix("test ")?.split_once(" ... ")?;
    let reason = outcome.strip_prefix("ignored")?;
    Some((name, reason.trim_start_matches(',').trim()))
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    /// reason → tests skipped for it
    why: BTreeMap<String, Vec<String>>,
}

impl Tally {
    fn read(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("test result: ") {
            self.passed += count(rest, "passed");
            self.failed += count(rest, "failed");
            self.skipped += count(rest, "ignored");
        } else if let Some((name, reason)) = ignored(line) {
            let reason = if reason.is_empty() { "no reason given" } else { reason };
            self.why.entry(reason.to_string()).or_default().push(name.to_string());
        }
    }

    fn closing_line(&self) -> String {
        let mut line = format!("all: {} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped);
        if !self.why.is_empty() {
            let reasons: Vec<String> = self.why.iter().map(|(r, t)| format!("{}: {r}", t.len())).collect();
            line.push_str(&format!(" ({})", reasons.join("; ")));
        }
        line
    }
}

pub fn run_and_tally(cmd: &mut Command) -> Result<(), String> {
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot run cargo test: {e}"))?;
    let mut tally = Tally::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            tally.read(&line);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    println!();
    for (reason, tests) in &tally.why {
        println!("skipped ({reason}): {}", tests.join(", "));
    }
    println!("{}", tally.closing_line());
    if status.success() && tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("tests failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_summaries() {
        let s = "ok. 12 passed; 1 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!((count(s, "passed"), count(s, "failed"), count(s, "ignored")), (12, 1, 3));
    }

    #[test]
    fn skipped_tests_are_counted_and_named_with_their_reason() {
        let mut t = Tally::default();
        for line in [
            "test elasticsearch_spec_tests ... ignored, reference data not found: set EQLPLAY_SHARED",
            "test result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s",
            "test every_corpus_query_round_trips ... ignored, reference data not found: set EQLPLAY_SHARED",
            "test parses ... ok",
            "test result: ok. 1 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s",
        ] {
            t.read(line);
        }
        assert_eq!(
            t.closing_line(),
            "all: 1 passed, 0 failed, 2 skipped (2: reference data not found: set EQLPLAY_SHARED)"
        );
    }
}
