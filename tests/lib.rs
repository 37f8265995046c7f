//! Helpers shared by the cross-crate tests.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The read-only reference data (`../shared` beside the checkout, or `$EQLPLAY_SHARED`).
/// Tests read it in place and never copy it into the repository.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("EQLPLAY_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"));
    assert!(
        dir.is_dir(),
        "the shared reference data is missing: expected it at {} (set EQLPLAY_SHARED to override)",
        dir.display()
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
