//! Marks the tests that cannot run here as ignored, with their reason (see `reference.rs`):
//! those reading the reference data when it is absent, and the browser tests when no built site
//! was named (`cargo xtask test` builds it and sets `EQLPLAY_SITE`).

#[path = "reference.rs"]
mod reference;

fn main() {
    let root = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("..");
    reference::emit_shared_cfg(&root);
    println!("cargo::rustc-check-cfg=cfg(eqlplay_no_site)");
    println!("cargo::rerun-if-env-changed=EQLPLAY_SITE");
    if std::env::var_os("EQLPLAY_SITE").is_none() {
        println!("cargo::rustc-cfg=eqlplay_no_site");
    }
}
