//! Where the page's rules come from: the built-in one (read at build time) and rule files, read
//! by the rule reader module, which is fetched the first time it is needed.

use crate::languages;
use rules::RuleBundle;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const SEED_RULE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/seed-rule.bin"));

/// The built-in rule with its checklists.
pub fn builtin() -> Option<Rc<RuleBundle>> {
    RuleBundle::from_answer(SEED_RULE).ok().map(Rc::new)
}

#[wasm_bindgen(module = "/js/rule-reader.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = readRuleFile)]
    async fn read_rule_file_js(text: &str, languages: &str) -> Result<JsValue, JsValue>;
}

/// The first EQL rule of a rule file, with its checklists in the page's languages.
pub async fn read_rule_file(text: &str) -> Result<Rc<RuleBundle>, String> {
    let answer = read_rule_file_js(text, &languages::CODES.join(","))
        .await
        .map_err(|e| format!("the rule reader did not load: {}", e.as_string().unwrap_or_else(|| format!("{e:?}"))))?;
    let bytes = answer.dyn_into::<js_sys::Uint8Array>().map_err(|_| "the rule reader gave no answer")?.to_vec();
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
