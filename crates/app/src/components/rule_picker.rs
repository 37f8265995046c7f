//! Which rule the page runs: the built-in one, a rule file (detection-rules TOML, or Kibana's
//! NDJSON/JSON export) pasted or uploaded, or a bare query.

use crate::i18n::{tr, Lang};
use crate::state::{Exception, ExceptionEdit};
use rules::RuleBundle;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RulePickerProps {
    /// A rule was chosen (`None`: a bare query, no rule).
    pub on_rule: Callback<Option<Rc<RuleBundle>>>,
    /// A rule export carried the rule's exception lists: their items, for the Tune tab.
    pub on_exceptions: Callback<ExceptionEdit>,
}

#[function_component(RulePicker)]
pub fn rule_picker(props: &RulePickerProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let pasting = use_state(|| false);
    let error = use_state(|| None::<String>);
    let paste_ref = use_node_ref();
    let reading = use_state(|| false);
    // Numbers each choice, so a slow read never replaces a rule chosen after it.
    let choice = use_mut_ref(|| 0u32);
    let load_text = {
        let (on_rule, on_exceptions, error, pasting, reading, choice) =
            (props.on_rule.clone(), props.on_exceptions.clone(), error.clone(), pasting.clone(), reading.clone(), choice.clone());
        Callback::from(move |text: String| {
            let this = {
                let mut c = choice.borrow_mut();
                *c = c.wrapping_add(1);
                *c
            };
            reading.set(true);
            let (on_rule, on_exceptions, error, pasting, reading, choice) =
                (on_rule.clone(), on_exceptions.clone(), error.clone(), pasting.clone(), reading.clone(), choice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let read = crate::rule_source::read_rule_file(&text).await;
                if *choice.borrow() != this {
                    return;
                }
                reading.set(false);
                match read {
                    Ok(rule) => {
                        error.set(None);
                        pasting.set(false);
                        // A rule export that carries the lists the rule names: their items too.
                        let lists = rules::exceptions::referenced_lists(Some(&rule.rule));
                        let items = match lists.is_empty() {
                            true => Vec::new(),
                            false => rules::exceptions::of_rule(rules::exceptions::parse(&text).0, Some(&rule.rule)),
                        };
                        on_rule.emit(Some(rule));
                        if !items.is_empty() {
                            on_exceptions.emit(ExceptionEdit::Add(items.iter().map(Exception::new).collect(), Vec::new()));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let choose = {
        let (on_rule, error, reading, choice) = (props.on_rule.clone(), error.clone(), reading.clone(), choice.clone());
        move |rule: Option<Rc<RuleBundle>>| {
            let mut c = choice.borrow_mut();
            *c = c.wrapping_add(1);
            drop(c);
            reading.set(false);
            error.set(None);
            on_rule.emit(rule);
        }
    };
    let on_builtin = {
        let choose = choose.clone();
        Callback::from(move |_: MouseEvent| choose(crate::rule_source::builtin()))
    };
    let on_bare = Callback::from(move |_: MouseEvent| choose(None));
    let on_file = {
        let (load_text, error) = (load_text.clone(), error.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let (load_text, error) = (load_text.clone(), error.clone());
            let file = gloo::file::File::from(file);
            wasm_bindgen_futures::spawn_local(async move {
                match gloo::file::futures::read_as_text(&file).await {
                    Ok(text) => load_text.emit(text),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        })
    };
    let on_paste_toggle = {
        let pasting = pasting.clone();
        Callback::from(move |_: MouseEvent| pasting.set(!*pasting))
    };
    let on_paste_load = {
        let (load_text, paste_ref) = (load_text.clone(), paste_ref.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = paste_ref.cast::<HtmlTextAreaElement>() {
                load_text.emit(area.value());
            }
        })
    };
    html! {
        <div class="rule-picker">
            <button type="button" data-testid="rule-builtin" onclick={on_builtin}>{ tr(lang, "builtin_rule") }</button>
            <label class="file-button">
                { tr(lang, "rule_file") }
                <input type="file" data-testid="rule-file" accept=".toml,.json,.ndjson" onchange={on_file} />
            </label>
            <button type="button" data-testid="rule-paste-toggle" onclick={on_paste_toggle}>{ tr(lang, "paste_rule") }</button>
            <button type="button" data-testid="rule-bare" onclick={on_bare}>{ tr(lang, "bare_query") }</button>
            if *pasting {
                <div class="rule-paste">
                    <textarea ref={paste_ref} data-testid="rule-paste" class="editor" spellcheck="false"
                        placeholder={tr(lang, "paste_rule_hint")} />
                    <button type="button" data-testid="rule-paste-load" onclick={on_paste_load}>{ tr(lang, "load_rule") }</button>
                </div>
            }
            // Its own container, so an error appearing never rebuilds the pasted text's box.
            <div class="rule-errors">
                if *reading {
                    <div class="muted" data-testid="rule-reading">{ tr(lang, "reading_rule") }</div>
                }
                if let Some(e) = &*error {
                    <div class="input-error" data-testid="rule-error">{ e.clone() }</div>
                }
            </div>
        </div>
    }
}
