//! The analyst's checklist progress, kept in the browser's localStorage, one entry per rule.
//! Nothing here may fail loudly: storage that is missing, disabled, full or holds something
//! that is not a state (an old format, a hand edit) just means starting afresh.

use rules::{ChecklistState, Rule};

const PREFIX: &str = "eqlplay.checklist.";

/// The storage key of a rule's progress: its `rule_id`, or its name when it has none.
pub fn key(rule: &Rule) -> String {
    let id = rule.rule_id.as_deref().map(str::trim).filter(|id| !id.is_empty());
    format!("{PREFIX}{}", id.unwrap_or(rule.name.trim()))
}

/// The saved progress for `rule`, or a fresh state. Step ids are positions in the guide and
/// the same in every translation, so one state serves every language.
pub fn load(rule: &Rule) -> ChecklistState {
    let fresh = || ChecklistState::new(rule.rule_id.as_deref(), None);
    match read(&key(rule)).and_then(|text| parse(rule, &text)) {
        Some(state) => state,
        None => fresh(),
    }
}

/// Saves `state` as `rule`'s progress (silently does nothing when storage refuses).
pub fn save(rule: &Rule, state: &ChecklistState) {
    if let Ok(text) = serde_json::to_string(state) {
        write(&key(rule), &text);
    }
}

/// A stored state, unless it is malformed or belongs to another rule.
fn parse(rule: &Rule, text: &str) -> Option<ChecklistState> {
    let state: ChecklistState = serde_json::from_str(text).ok()?;
    match (&state.rule_id, &rule.rule_id) {
        (Some(saved), Some(id)) if saved != id => None,
        _ => Some(state),
    }
}

#[cfg(target_arch = "wasm32")]
fn available() -> bool {
    // gloo's LocalStorage throws when the page may not use storage (blocked cookies, some
    // private modes); ask first.
    web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))))
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn read(key: &str) -> Option<String> {
    use gloo::storage::{LocalStorage, Storage};
    if !available() {
        return None;
    }
    LocalStorage::raw().get_item(key).ok().flatten()
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn write(key: &str, text: &str) {
    use gloo::storage::{LocalStorage, Storage};
    if available() {
        // Quota or security errors: the progress simply is not kept.
        let _ = LocalStorage::raw().set_item(key, text);
    }
}

// Native builds (unit tests) have no browser storage.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn read(_key: &str) -> Option<String> {
    None
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn write(_key: &str, _text: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: Option<&str>) -> Rule {
        let mut r = rules::load_rule(r#"{"name":" Some rule ","query":"any where true"}"#).expect("rule");
        r.rule_id = id.map(str::to_owned);
        r
    }

    #[test]
    fn keys_prefer_the_rule_id() {
        assert_eq!(key(&rule(Some("abc"))), "eqlplay.checklist.abc");
        assert_eq!(key(&rule(None)), "eqlplay.checklist.Some rule");
        assert_eq!(key(&rule(Some("  "))), "eqlplay.checklist.Some rule");
    }

    #[test]
    fn bad_or_foreign_states_start_fresh() {
        let r = rule(Some("abc"));
        for bad in ["", "{", "null", "[1,2]", r#"{"steps":{"s0.0":{"done":"yes"}}}"#, "\u{0}"] {
            assert!(parse(&r, bad).is_none(), "{bad:?}");
        }
        assert!(parse(&r, r#"{"rule_id":"other","steps":{}}"#).is_none());
        let ok = parse(&r, r#"{"rule_id":"abc","steps":{"s0.0":{"done":true,"note":"n"}}}"#).expect("state");
        assert!(ok.is_done("s0.0"));
        assert_eq!(ok.note("s0.0"), "n");
        assert!(parse(&r, r#"{"steps":{}}"#).is_some());
    }
}
