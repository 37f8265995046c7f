//! Runs `cargo test`, passing its output through, and closes with one line adding up every
//! test binary's `test result:` line — so the last line speaks for the whole run, not for the
//! last (often empty) doc-test binary.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn count(line: &str, word: &str) -> usize {
    line.split([';', '.'])
        .find_map(|part| part.trim().strip_suffix(word).and_then(|n| n.trim().parse().ok()))
        .unwrap_or(0)
}

pub fn run_and_tally(cmd: &mut Command) -> Result<(), String> {
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot run cargo test: {e}"))?;
    let (mut passed, mut failed, mut ignored) = (0, 0, 0);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                passed += count(rest, "passed");
                failed += count(rest, "failed");
                ignored += count(rest, "ignored");
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    println!();
    println!("all: {passed} passed, {failed} failed, {ignored} skipped");
    if status.success() && failed == 0 {
        Ok(())
    } else {
        Err(format!("tests failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn reads_cargo_summaries() {
        let s = "ok. 12 passed; 1 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!((count(s, "passed"), count(s, "failed"), count(s, "ignored")), (12, 1, 3));
    }
}
