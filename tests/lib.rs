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
