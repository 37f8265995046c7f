//! Where the read-only reference data is (`../shared`), and — for build scripts — the cfg that
//! turns the tests needing it into ignored tests, with their reason, when it is absent.
//!
//! A test that reads the reference data carries
//! `#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]`.
//! The cfg is set only when the data is absent and `CI` is not `true`: on CI those tests run and
//! fail, since a missing corpus must never pass for a checked one.

use std::path::PathBuf;

/// The reference data folder: `$EQLPLAY_SHARED`, else `../shared` beside the checkout.
pub fn shared_location(workspace_root: &std::path::Path) -> PathBuf {
    std::env::var_os("EQLPLAY_SHARED").map(PathBuf::from).unwrap_or_else(|| workspace_root.join("..").join("shared"))
}

/// Whether missing reference data must fail rather than skip.
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// For a build script: declares `eqlplay_no_shared` and sets it when the data is absent.
pub fn emit_shared_cfg(workspace_root: &std::path::Path) {
    println!("cargo::rustc-check-cfg=cfg(eqlplay_no_shared)");
    println!("cargo::rerun-if-env-changed=EQLPLAY_SHARED");
    println!("cargo::rerun-if-env-changed=CI");
    let dir = shared_location(workspace_root);
    // A path that does not exist makes Cargo run this again on every build, which is what
    // notices the data arriving; once it exists, the folder's own changes are watched.
    println!("cargo::rerun-if-changed={}", dir.display());
    if !dir.is_dir() && !on_ci() {
        println!("cargo::rustc-cfg=eqlplay_no_shared");
    }
}
