//! Helpers shared by the cross-crate tests.

pub mod reference;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs `cmd` with `input` on its stdin — written from a thread, so a large input cannot
/// deadlock against a full output pipe — and returns what it printed.
pub fn run_with_input(mut cmd: Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?} does not start: {e}"));
    let mut pipe = child.stdin.take().expect("stdin pipe");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("the command runs");
    writer.join().expect("stdin writer");
    out
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The read-only reference data (`../shared` beside the checkout, or `$EQLPLAY_SHARED`).
/// Tests read it in place and never copy it into the repository.
/// Tests that call this are ignored where the data is absent (see [`reference`]), except on CI,
/// where this fails them.
pub fn shared_dir() -> PathBuf {
    let dir = reference::shared_location(&workspace_root());
    assert!(
        dir.is_dir(),
        "the shared reference data is missing: expected it at {} (set EQLPLAY_SHARED to override{})",
        dir.display(),
        if reference::on_ci() { "; CI=true, so its absence is a failure" } else { "" }
    );
    dir
}

/// Every rule file of the Elastic detection-rules corpus, sorted.
pub fn corpus_rule_files() -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&shared_dir().join("corpus/elastic-detection-rules"), &mut files);
    files.sort();
    files
}
