//! The Tune tab: the query compared with a pinned version (results gained and lost, each with
//! its reason), the rule's exception items (opened from Kibana's export or written here, each
//! toggled, with the events it hid and the results it suppressed), and the rule on Kibana's
//! schedule (`timeline`). What it shows comes from the shown run, which was computed with
//! exactly this baseline, these items and this schedule.

use crate::i18n::{tr, Lang};
use super::timeline::ScheduleSection;
use crate::protocol::{ChangeView, ComparisonView, ExceptionsView, Outcome, ScheduleSpec};
use crate::state::{Baseline, Exception, ExceptionEdit, Shown};
use rules::exceptions::{self, Entry, ExceptionItem};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TuneProps {
    pub shown: Option<Shown>,
    pub baseline: Option<Baseline>,
    pub query: String,
    /// The loaded rule's query, if a rule is loaded.
    pub rule_query: Option<String>,
    pub exceptions: Vec<Exception>,
    pub problems: Vec<String>,
    pub on_pin: Callback<Option<Baseline>>,
    pub on_exceptions: Callback<ExceptionEdit>,
    /// Shows why an event (by index) does or does not match each term.
    pub on_explain: Callback<usize>,
    /// Downloads the items as Kibana's exception list NDJSON.
    pub on_export: Callback<String>,
    pub schedule_open: bool,
    pub schedule_spec: ScheduleSpec,
    pub on_schedule_open: Callback<bool>,
    pub on_schedule_start: Callback<String>,
}

#[function_component(Tune)]
pub fn tune(props: &TuneProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let (comparison, exceptions, schedule) = match props.shown.as_ref().map(|s| &*s.outcome) {
        Some(Outcome::Ran { comparison, exceptions, schedule, .. }) => (comparison.as_ref(), exceptions.as_ref(), schedule.as_ref()),
        _ => (None, None, None),
    };
    html! {
        <div class="tune" data-testid="tune">
            { compare_section(lang, props, comparison) }
            <ExceptionsSection exceptions={props.exceptions.clone()} problems={props.problems.clone()}
                view={exceptions.cloned()} on_edit={props.on_exceptions.clone()} on_export={props.on_export.clone()} />
            <ScheduleSection open={props.schedule_open} spec={props.schedule_spec.clone()} view={schedule.cloned()}
                on_open={props.on_schedule_open.clone()} on_start={props.on_schedule_start.clone()} />
        </div>
    }
}

fn compare_section(lang: Lang, props: &TuneProps, comparison: Option<&(String, ComparisonView)>) -> Html {
    let pin = |baseline: Option<Baseline>| props.on_pin.reform(move |_: MouseEvent| baseline.clone());
    let pin_query = pin(Some(Baseline { query: props.query.clone(), from_rule: false }));
    let rule_button = props.rule_query.as_ref().map(|q| {
        let onclick = pin(Some(Baseline { query: q.clone(), from_rule: true }));
        html! { <button type="button" data-testid="compare-rule" {onclick}>{ tr(lang, "compare_rule") }</button> }
    });
    // Only a comparison with the baseline as it is now (an older run's is on its way out).
    let current = comparison.filter(|(query, _)| props.baseline.as_ref().is_some_and(|b| b.query == *query)).map(|(_, c)| c);
    html! {
        <section class="compare" data-testid="compare">
            <h3>{ tr(lang, "compare_title") }</h3>
            if let Some(baseline) = &props.baseline {
                <p class="muted" data-testid="compare-with">{ tr(lang, if baseline.from_rule { "compared_with_rule" } else { "compared_with_pinned" }) }</p>
                <div class="buttons">
                    <button type="button" data-testid="pin-baseline" onclick={pin_query}>{ tr(lang, "pin_again") }</button>
                    <button type="button" data-testid="unpin" onclick={pin(None)}>{ tr(lang, "unpin") }</button>
                </div>
                { current.map(|c| comparison_view(lang, c, &props.on_explain)).unwrap_or_default() }
            } else {
                <p class="muted">{ tr(lang, "compare_hint") }</p>
                <div class="buttons">
                    <button type="button" data-testid="pin-baseline" onclick={pin_query}>{ tr(lang, "pin") }</button>
                    { rule_button.unwrap_or_default() }
                </div>
            }
        </section>
    }
}

fn comparison_view(lang: Lang, c: &ComparisonView, on_explain: &Callback<usize>) -> Html {
    match c {
        ComparisonView::BaselineInvalid(error) => html! {
            <pre class="query-error" data-testid="baseline-error">{ format!("{}\n{error}", tr(lang, "baseline_invalid")) }</pre>
        },
        ComparisonView::Compared { gained, lost, kept, changes } => html! {
            <>
                <p class="compare-summary" data-testid="compare-summary">
                    <span class="gained">{ format!("+{gained} {}", tr(lang, "gained")) }</span>{ " · " }
                    <span class="lost">{ format!("−{lost} {}", tr(lang, "lost")) }</span>{ " · " }
                    <span>{ format!("{kept} {}", tr(lang, "kept")) }</span>
                </p>
                { for changes.iter().map(|ch| change_card(lang, ch, on_explain)) }
                if changes.len() < gained + lost {
                    <p class="muted">{ tr(lang, "changes_capped").replace("{n}", &changes.len().to_string()) }</p>
                }
            </>
        },
    }
}

fn change_card(lang: Lang, c: &ChangeView, on_explain: &Callback<usize>) -> Html {
    let (class, badge, absent, present) = match c.gained {
        true => ("change gained", "gained", "baseline_lacks", "edit_has"),
        false => ("change lost", "lost", "edit_lacks", "baseline_has"),
    };
    let events = c.events.iter().map(|e| match e {
        Some(e) => {
            let index = e.index;
            html! {
                <button type="button" class="link-button" data-testid="change-event"
                    onclick={on_explain.reform(move |_: MouseEvent| index)}>{ format!("{} {}", tr(lang, "line"), e.line) }</button>
            }
        }
        None => html! { <span class="muted">{ tr(lang, "missing_event") }</span> },
    });
    html! {
        <div class={class} data-testid={if c.gained { "change-gained" } else { "change-lost" }}>
            <div class="change-head">
                <span class="badge">{ tr(lang, badge) }</span>
                { for events.enumerate().map(|(i, e)| html! { <>{ if i > 0 { " → " } else { "" } }{ e }</> }) }
                if !c.join_keys.is_empty() {
                    <span class="keys">{ format!("{} {}", tr(lang, "by"), c.join_keys.join(", ")) }</span>
                }
            </div>
            <p class="why" data-testid="change-absent"><strong>{ tr(lang, absent) }</strong>{ " " }{ c.absent.clone() }</p>
            <p class="why" data-testid="change-present"><strong>{ tr(lang, present) }</strong>{ " " }{ c.present.clone() }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ExceptionsProps {
    exceptions: Vec<Exception>,
    problems: Vec<String>,
    view: Option<ExceptionsView>,
    on_edit: Callback<ExceptionEdit>,
    on_export: Callback<String>,
}

#[function_component(ExceptionsSection)]
fn exceptions_section(props: &ExceptionsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let (field, value) = (use_node_ref(), use_node_ref());
    // Held here and drawn as `selected`, so the list never starts on whichever option came last.
    let operator = use_state(|| exceptions::OPERATORS[0].to_string());
    let error = use_state(|| None::<String>);
    let on_operator = {
        let operator = operator.clone();
        Callback::from(move |e: Event| operator.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_add = {
        let (field, operator, value, error, on_edit) = (field.clone(), operator.clone(), value.clone(), error.clone(), props.on_edit.clone());
        let count = props.exceptions.len();
        Callback::from(move |_: MouseEvent| {
            let text = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            match Entry::written(&text(&field), &operator, &text(&value)) {
                Ok(entry) => {
                    let name = entry.to_string();
                    let item = ExceptionItem {
                        item_id: format!("playground-{}", count + 1),
                        name,
                        list_id: "playground".into(),
                        entries: vec![entry],
                        os_types: Vec::new(),
                        expire_time: None,
                    };
                    error.set(None);
                    on_edit.emit(ExceptionEdit::Add(vec![Exception::new(&item)], Vec::new()));
                }
                Err(e) => error.set(Some(e)),
            }
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
            <div class="exception-form">
                <input type="text" ref={field} data-testid="exception-field" aria-label={tr(lang, "exception_field")}
                    placeholder={tr(lang, "exception_field")} spellcheck="false" />
                <select data-testid="exception-operator" aria-label={tr(lang, "exception_operator")} onchange={on_operator}>
                    { for exceptions::OPERATORS.iter().map(|op| html! { <option value={*op} selected={*op == operator.as_str()}>{ *op }</option> }) }
                </select>
                <input type="text" ref={value} data-testid="exception-value" aria-label={tr(lang, "exception_value")}
                    placeholder={tr(lang, "exception_value")} spellcheck="false" />
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
