//! Where the page's rules come from: the built-in one (read at build time) and rule files, read
//! by the rule reader module, which is fetched the first time it is needed.

use crate::languages;
use rules::RuleBundle;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

const SEED_RULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/seed-rule.bin"));

/// The built-in rule with its checklists.
pub fn builtin() -> Option<Rc<RuleBundle>> {
    RuleBundle::from_answer(SEED_RULE).ok().map(Rc::new)
}

#[wasm_bindgen(module = "/js/on-demand.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = readRuleFile)]
    async fn read_rule_file_js(text: &str, languages: &str) -> Result<JsValue, JsValue>;
}

/// The first EQL rule of a rule file, with its checklists in the page's languages.
pub async fn read_rule_file(text: &str) -> Result<Rc<RuleBundle>, String> {
    let bytes = crate::on_demand::bytes(read_rule_file_js(text, &languages::CODES.join(",")).await, "rule reader")?;
    RuleBundle::from_answer(&bytes).map(Rc::new)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_builtin_rule_comes_with_both_checklists() {
        let bundle = super::builtin().expect("the seed rule");
        assert_eq!(bundle.rule.name, "Remote File Download via Script Interpreter");
        assert_eq!(bundle.rule, rules::seed_rule().expect("seed"));
        for lang in crate::languages::CODES {
            assert!(bundle.checklist(lang).is_ok_and(|c| c.total_steps() > 10), "{lang}");
        }
    }
}
