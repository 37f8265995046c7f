//! The CLI tests that read the reference data are ignored, with their reason, where it is absent
//! (see `eqlplay_tests::reference`).

fn main() {
    let root = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../..");
    eqlplay_tests::reference::emit_shared_cfg(&root);
}
