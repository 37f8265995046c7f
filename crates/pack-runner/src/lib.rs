//! The rule pack runner the page's worker loads on demand (see `crates/app/js/on-demand.js`):
//! it reads a pack's files (Kibana exports, detection-rules TOML, zips), runs the pack over the
//! events and answers with the overview (`rules::overview`), and builds the checklists of a rule
//! the page opens — so the page carries no pack code, and the rule reader (which the page
//! fetches to open one rule file) no engine.

use rules::collection::Collection;
use rules::overview::LoadedPack;
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    /// The last pack read: its rules (for [`pack_rule`]) and the pack compiled (for
    /// [`run_rule_pack`]).
    static PACK: RefCell<Option<(Vec<rules::Rule>, LoadedPack)>> = const { RefCell::new(None) };
    /// The alerts of the last run, as `eqlplay scan` prints them (for [`pack_alerts`]).
    static ALERTS: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Reads a pack's files ([`Collection::files_to_bytes`]) and keeps it, compiled, for
/// [`run_rule_pack`] and [`pack_rule`]. Answers nothing: what could not be read is part of the
/// overview.
#[wasm_bindgen]
pub fn read_rule_pack(files: &[u8]) -> Vec<u8> {
    let collection = Collection::read_files_bytes(files);
    let rules = collection.rules.iter().map(|(_, r)| r.clone()).collect();
    PACK.with(|p| *p.borrow_mut() = Some((rules, LoadedPack::new(collection))));
    ALERTS.with(|a| a.borrow_mut().clear());
    Vec::new()
}

/// The last pack read over the events of `text`, as pack number `id`
/// ([`rules::overview::encode`] bytes); `progress(done, total)` is called as it runs.
#[wasm_bindgen]
pub fn run_rule_pack(id: u32, text: &str, progress: &js_sys::Function) -> Vec<u8> {
    PACK.with(|p| match p.borrow().as_ref() {
        Some((_, pack)) => {
            let mut report = |done: usize, total: usize| {
                let _ = progress.call2(&wasm_bindgen::JsValue::NULL, &(done as f64).into(), &(total as f64).into());
            };
            let now = (js_sys::Date::now() * 1e6) as i64;
            let (view, alerts) = pack.view(id, text, now, &mut report);
            ALERTS.with(|a| *a.borrow_mut() = alerts);
            rules::overview::encode(&view)
        }
        None => Vec::new(),
    })
}

/// The alerts of the last run, one JSON line each, as `eqlplay scan` prints them.
#[wasm_bindgen]
pub fn pack_alerts() -> String {
    ALERTS.with(|a| a.borrow().clone())
}

/// The exception items rule `index` of the last pack read applies (those of the lists it
/// names), one Kibana export line each: they come along when the rule is opened alone.
#[wasm_bindgen]
pub fn pack_rule_exceptions(index: usize) -> String {
    PACK.with(|p| p.borrow().as_ref().map(|(_, pack)| pack.exceptions_of(index)).unwrap_or_default())
}

/// Rule `index` of the last pack read, with its checklists, as [`rules::RuleBundle::answer`]
/// bytes.
#[wasm_bindgen]
pub fn pack_rule(index: usize, languages: &str) -> Vec<u8> {
    match PACK.with(|p| p.borrow().as_ref().and_then(|(rules, _)| rules.get(index).cloned())) {
        Some(rule) => rules::RuleBundle::answer_for(rule, &languages.split(',').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>()),
        None => rules::RuleBundle::refusal("the pack was read again since: open the rule from the new one"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_rule_opens_with_its_checklists_as_if_read_alone() {
        let zip = archive::zip_of(&[("rules/seed.toml", rules::SEED_RULE_TOML.as_bytes())]);
        let files = vec![("pack.zip".to_string(), zip), ("x.toml".to_string(), b"[rule\n".to_vec())];
        assert!(read_rule_pack(&Collection::files_to_bytes(&files)).is_empty());
        let opened = rules::RuleBundle::from_answer(&pack_rule(0, "en,zh-CN")).expect("bundle");
        let alone = rules::RuleBundle::from_answer(&rules::RuleBundle::answer(rules::SEED_RULE_TOML, &["en", "zh-CN"])).expect("bundle");
        assert_eq!(opened, alone);
        assert!(rules::RuleBundle::from_answer(&pack_rule(1, "en")).is_err(), "no rule 1");
        let (view, alerts) = PACK.with(|p| p.borrow().as_ref().map(|(_, pack)| pack.view(3, "", 0, &mut |_, _| {}))).expect("kept");
        assert_eq!((view.pack, view.rules, view.failed.len()), (3, 1, 1));
        assert_eq!(alerts, "");
    }
}
