//! The rule's exception items in the Tune tab: opened from Kibana's export, or written here —
//! entries AND-ed into one item, an entry optionally under a nested field — each toggled or
//! removed, with the events it hid and the results it suppressed in the shown run.

use crate::i18n::{tr, Lang};
use crate::protocol::ExceptionsView;
use crate::state::{Exception, ExceptionEdit};
use rules::exceptions::{self, Entry};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExceptionsProps {
    pub exceptions: Vec<Exception>,
    pub problems: Vec<String>,
    pub view: Option<ExceptionsView>,
    pub on_edit: Callback<ExceptionEdit>,
    pub on_export: Callback<String>,
}

#[function_component(ExceptionsSection)]
pub fn exceptions_section(props: &ExceptionsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let (nested, field, value) = (use_node_ref(), use_node_ref(), use_node_ref());
    // Entries written so far for the next item (AND-ed), each with its nested field.
    let pending = use_state(Vec::<(String, Entry)>::new);
    // Held here and drawn as `selected`, so the list never starts on whichever option came last.
    let operator = use_state(|| exceptions::OPERATORS[0].to_string());
    let error = use_state(|| None::<String>);
    let on_operator = {
        let operator = operator.clone();
        Callback::from(move |e: Event| operator.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    // The entry in the inputs, if one is written there (an empty field with nothing pending is
    // an error; with entries pending, it just adds nothing).
    let written = {
        let (nested, field, value, operator) = (nested.clone(), field.clone(), value.clone(), operator.clone());
        move |required: bool| -> Result<Option<(String, Entry)>, String> {
            let text = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            if !required && text(&field).trim().is_empty() {
                return Ok(None);
            }
            let entry = Entry::written(&text(&field), &operator, &text(&value))?;
            for r in [&field, &value] {
                if let Some(input) = r.cast::<HtmlInputElement>() {
                    input.set_value("");
                }
            }
            Ok(Some((text(&nested), entry)))
        }
    };
    let on_and = {
        let (written, pending, error) = (written.clone(), pending.clone(), error.clone());
        Callback::from(move |_: MouseEvent| match written(true) {
            Ok(entry) => {
                let mut list = (*pending).clone();
                list.extend(entry);
                pending.set(list);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        })
    };
    let on_add = {
        let (written, pending, error, on_edit) = (written.clone(), pending.clone(), error.clone(), props.on_edit.clone());
        let count = props.exceptions.len();
        Callback::from(move |_: MouseEvent| {
            let mut entries = (*pending).clone();
            match written(entries.is_empty()) {
                Ok(entry) => entries.extend(entry),
                Err(e) => return error.set(Some(e)),
            }
            let item = exceptions::written_item(&format!("playground-{}", count + 1), entries);
            pending.set(Vec::new());
            error.set(None);
            on_edit.emit(ExceptionEdit::Add(vec![Exception::new(&item)], Vec::new()));
        })
    };
    let on_file = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let (on_edit, file) = (on_edit.clone(), gloo::file::File::from(file));
            wasm_bindgen_futures::spawn_local(async move {
                match gloo::file::futures::read_as_text(&file).await {
                    Ok(text) => {
                        let (items, errors) = exceptions::parse(&text);
                        let problems = errors.iter().map(|e| e.to_string()).collect();
                        on_edit.emit(ExceptionEdit::Add(items.iter().map(Exception::new).collect(), problems));
                    }
                    Err(e) => on_edit.emit(ExceptionEdit::Add(Vec::new(), vec![e.to_string()])),
                }
            });
        })
    };
    let on_export = {
        let (on_export, lines) = (props.on_export.clone(), props.exceptions.iter().map(|e| format!("{}\n", e.json)).collect::<String>());
        Callback::from(move |_: MouseEvent| on_export.emit(lines.clone()))
    };
    let counts = |e: &Exception| -> Html {
        if !e.enabled {
            return html! { <span class="muted" data-testid="exception-counts">{ tr(lang, "exception_off") }</span> };
        }
        match props.view.as_ref().and_then(|v| v.items.iter().find(|i| i.0 == e.json)) {
            Some((_, hid, suppressed)) => html! {
                <span data-testid="exception-counts">{ tr(lang, "exception_counts")
                    .replace("{events}", &hid.to_string()).replace("{results}", &suppressed.to_string()) }</span>
            },
            None => html! { <span class="muted" data-testid="exception-counts">{ "…" }</span> },
        }
    };
    html! {
        <section class="exceptions" data-testid="exceptions">
            <h3>{ tr(lang, "exceptions_title") }</h3>
            <p class="muted">{ tr(lang, "exceptions_hint") }</p>
            <div class="buttons">
                <label class="file-button">
                    { tr(lang, "exceptions_open") }
                    <input type="file" data-testid="exceptions-file" accept=".ndjson,.json" onchange={on_file} />
                </label>
                if !props.exceptions.is_empty() {
                    <button type="button" data-testid="exceptions-export" onclick={on_export}>{ tr(lang, "exceptions_export") }</button>
                }
            </div>
            { for props.problems.iter().map(|p| html! { <div class="input-error" data-testid="exception-problem">{ p.clone() }</div> }) }
            if !pending.is_empty() {
                <div class="entries pending" data-testid="exception-pending">
                    { pending.iter().map(|(parent, e)| match parent.trim() {
                        "" => e.to_string(),
                        p => format!("{p} {{ {e} }}"),
                    }).collect::<Vec<_>>().join(" AND ") }{ " AND …" }
                </div>
            }
            <div class="exception-form">
                <input type="text" ref={nested} data-testid="exception-nested" aria-label={tr(lang, "exception_nested")}
                    placeholder={tr(lang, "exception_nested")} spellcheck="false" class="nested" />
                <input type="text" ref={field} data-testid="exception-field" aria-label={tr(lang, "exception_field")}
                    placeholder={tr(lang, "exception_field")} spellcheck="false" />
                <select data-testid="exception-operator" aria-label={tr(lang, "exception_operator")} onchange={on_operator}>
                    { for exceptions::OPERATORS.iter().map(|op| html! { <option value={*op} selected={*op == operator.as_str()}>{ *op }</option> }) }
                </select>
                <input type="text" ref={value} data-testid="exception-value" aria-label={tr(lang, "exception_value")}
                    placeholder={tr(lang, "exception_value")} spellcheck="false" />
                <button type="button" data-testid="exception-and" onclick={on_and}>{ tr(lang, "exception_and") }</button>
                <button type="button" data-testid="exception-add" onclick={on_add}>{ tr(lang, "exception_add") }</button>
            </div>
            if let Some(e) = &*error {
                <div class="input-error" data-testid="exception-error">{ e.clone() }</div>
            }
            <ul class="exception-list">
                { for props.exceptions.iter().enumerate().map(|(i, e)| html! {
                    <li data-testid="exception-item" class={classes!((!e.enabled).then_some("off"))}>
                        <label>
                            <input type="checkbox" data-testid="exception-toggle" checked={e.enabled}
                                onchange={props.on_edit.reform(move |_: Event| ExceptionEdit::Toggle(i))} />
                            { " " }<strong>{ e.name.clone() }</strong>
                        </label>
                        <div class="entries">{ e.entries.join(" AND ") }
                            if !e.os_types.is_empty() {
                                <span class="muted">{ format!(" ({})", e.os_types.join(", ")) }</span>
                            }
                        </div>
                        { counts(e) }
                        <button type="button" class="link-button" data-testid="exception-remove"
                            onclick={props.on_edit.reform(move |_: MouseEvent| ExceptionEdit::Remove(i))}>{ tr(lang, "remove") }</button>
                    </li>
                }) }
            </ul>
            if let Some(v) = &props.view {
                if v.only_with > 0 {
                    <p class="muted" data-testid="exceptions-only-with">{ tr(lang, "exceptions_only_with").replace("{n}", &v.only_with.to_string()) }</p>
                }
                { for v.unsupported.iter().map(|u| html! { <p class="input-error" data-testid="exception-unsupported">{ format!("{} {u}", tr(lang, "exception_unsupported")) }</p> }) }
            }
            <p class="muted small">{ tr(lang, "exceptions_cannot_know") }</p>
        </section>
    }
}
