//! The built-in rule, read and its guide turned into checklists at build time, so the page needs
//! no TOML reader or Markdown parser to open (those load on demand: `js/on-demand.js`).

#[path = "src/languages.rs"]
mod languages;

fn main() {
    let seed = std::path::Path::new("../../web/rules/seed.toml");
    println!("cargo::rerun-if-changed={}", seed.display());
    println!("cargo::rerun-if-changed=src/languages.rs");
    let text = std::fs::read_to_string(seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
    let answer = rules::RuleBundle::answer(&text, languages::CODES);
    if let Err(e) = rules::RuleBundle::from_answer(&answer) {
        panic!("{}: {e}", seed.display());
    }
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("seed-rule.bin");
    std::fs::write(&out, answer).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
