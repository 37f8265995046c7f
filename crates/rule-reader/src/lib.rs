//! The rule reader the page loads on demand (see `crates/app/js/on-demand.js`): it reads a
//! rule file — detection-rules TOML or a Kibana export — and builds the checklists of its
//! guide, so the page itself carries neither a TOML reader nor a Markdown parser.

use wasm_bindgen::prelude::wasm_bindgen;

/// The first EQL rule of `text` with its checklists in each of `languages` (comma-separated
/// codes), as [`rules::RuleBundle::answer`] bytes.
#[wasm_bindgen]
pub fn read_rule_file(text: &str, languages: &str) -> Vec<u8> {
    let languages: Vec<&str> = languages.split(',').map(str::trim).filter(|l| !l.is_empty()).collect();
    rules::RuleBundle::answer(text, &languages)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_seed_rule_with_both_checklists() {
        let bundle = rules::RuleBundle::from_answer(&super::read_rule_file(rules::SEED_RULE_TOML, "en, zh-CN")).expect("read");
        assert_eq!(bundle.checklists.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), ["en", "zh-CN"]);
    }
}
