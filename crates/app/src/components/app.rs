//! The whole page: rule on the left, events below it, results on the right.

use super::results::Results;
use crate::analysis::{analyse, SAMPLE_EVENTS};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let rule = use_memo((), |_| rules::seed_rule().ok());
    let query = use_state(|| rule.as_ref().as_ref().map(|r| r.query.trim().to_string()).unwrap_or_default());
    let events = use_state(|| SAMPLE_EVENTS.to_string());
    let outcome = {
        let (q, e) = ((*query).clone(), (*events).clone());
        use_memo((q, e), |(q, e)| analyse(q, e))
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_events = {
        let events = events.clone();
        Callback::from(move |e: InputEvent| events.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let rule_name = rule.as_ref().as_ref().map(|r| r.name.clone()).unwrap_or_else(|| "Custom query".into());
    html! {
        <div class="page">
            <header class="top">
                <h1>{ "EQL Playground" }</h1>
                <span class="tagline">{ "Elastic EQL rules against your events — in the browser, nothing leaves it" }</span>
            </header>
            <main class="panes">
                <section class="pane rule-pane" aria-label="Rule">
                    <h2>{ rule_name }</h2>
                    <label for="rule-editor" class="label">{ "EQL query" }</label>
                    <textarea id="rule-editor" data-testid="rule-editor" class="editor" spellcheck="false"
                        value={(*query).clone()} oninput={on_query} />
                    <label for="events-input" class="label">{ "Events (NDJSON, one JSON object per line)" }</label>
                    <textarea id="events-input" data-testid="events-input" class="editor events" spellcheck="false"
                        value={(*events).clone()} oninput={on_events} />
                </section>
                <section class="pane results-pane" aria-label="Results" aria-live="polite">
                    <Results outcome={(*outcome).clone()} />
                </section>
            </main>
        </div>
    }
}
