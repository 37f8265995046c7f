//! The whole page: rule and events on the left, results on the right. State lives in a reducer;
//! the worker does the reading and matching.

use super::events_pane::EventsPane;
use super::results::Results;
use crate::bridge::Bridge;
use crate::protocol::{Outcome, Request, Response, RunSettings};
use crate::session::SAMPLE_EVENTS;
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Typing pauses this long before the query runs again.
const DEBOUNCE_MS: u32 = 120;

#[derive(Clone, PartialEq, Default)]
pub struct State {
    pub query: String,
    pub settings: RunSettings,
    /// Bumped whenever the worker holds new events.
    pub data_version: u32,
    pub generation: u32,
    pub busy: bool,
    pub progress: Option<(u64, u64)>,
    pub outcome: Option<Outcome>,
    pub failure: Option<String>,
}

pub enum Action {
    Query(String),
    Settings(RunSettings),
    Loading,
    Worker(Response),
    Running(u32),
    Cancelled,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Query(q) => s.query = q,
            Action::Settings(settings) => s.settings = settings,
            Action::Loading => {
                s.busy = true;
                s.progress = None;
            }
            Action::Running(generation) => {
                s.generation = generation;
                s.busy = true;
            }
            Action::Cancelled => {
                s.busy = false;
                s.progress = None;
                s.failure = Some("Cancelled.".into());
            }
            Action::Worker(Response::Progress { loaded, total }) => s.progress = Some((loaded, total)),
            Action::Worker(Response::Loaded { .. }) => {
                s.progress = None;
                s.data_version += 1;
            }
            Action::Worker(Response::Results { generation, outcome }) => {
                if generation == s.generation {
                    s.outcome = Some(outcome);
                    s.busy = false;
                    s.failure = None;
                }
            }
            Action::Worker(Response::Failed { message }) => {
                s.busy = false;
                s.failure = Some(message);
            }
        }
        Rc::new(s)
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let rule = use_memo((), |_| rules::seed_rule().ok());
    let state = use_reducer(|| State {
        query: rule.as_ref().as_ref().map(|r| r.query.trim().to_string()).unwrap_or_default(),
        ..State::default()
    });
    let bridge = use_mut_ref(|| None::<Rc<Bridge>>);
    let pending = use_mut_ref(|| None::<Timeout>);

    // Start the worker once and hand it the sample events.
    {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            let b = Rc::new(Bridge::new(Callback::from(move |r| dispatch.dispatch(Action::Worker(r)))));
            b.send(&Request::SetText { text: SAMPLE_EVENTS.to_string() }, None);
            *bridge.borrow_mut() = Some(b);
        });
    }

    // Run the query whenever it, the settings or the events change (debounced).
    {
        let (bridge, pending, dispatch) = (bridge.clone(), pending.clone(), state.dispatcher());
        let generation = state.generation;
        use_effect_with(
            (state.query.clone(), state.settings.clone(), state.data_version),
            move |(query, settings, version)| {
                if *version > 0 {
                    let (query, settings) = (query.clone(), settings.clone());
                    let next = generation.wrapping_add(1);
                    let timer = Timeout::new(DEBOUNCE_MS, move || {
                        if let Some(b) = bridge.borrow().as_ref() {
                            dispatch.dispatch(Action::Running(next));
                            b.send(&Request::Run { generation: next, query, settings }, None);
                        }
                    });
                    *pending.borrow_mut() = Some(timer);
                }
            },
        );
    }

    let on_query = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::Query(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
        })
    };
    let on_text = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |text: String| {
            if let Some(b) = bridge.borrow().as_ref() {
                dispatch.dispatch(Action::Loading);
                b.send(&Request::SetText { text }, None);
            }
        })
    };
    let on_file = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |file: web_sys::File| {
            if let Some(b) = bridge.borrow().as_ref() {
                dispatch.dispatch(Action::Loading);
                let request = Request::LoadFile { name: file.name(), size: file.size() as u64 };
                b.send(&request, Some(&JsValue::from(file)));
            }
        })
    };
    let on_settings = {
        let dispatch = state.dispatcher();
        Callback::from(move |s: RunSettings| dispatch.dispatch(Action::Settings(s)))
    };
    let on_cancel = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |_: MouseEvent| {
            if let Some(b) = bridge.borrow().as_ref() {
                b.restart();
                dispatch.dispatch(Action::Cancelled);
                b.send(&Request::SetText { text: String::new() }, None);
            }
        })
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
                        value={state.query.clone()} oninput={on_query} />
                    <EventsPane initial={SAMPLE_EVENTS} settings={state.settings.clone()} progress={state.progress}
                        on_text={on_text} on_file={on_file} on_settings={on_settings} />
                </section>
                <section class="pane results-pane" aria-label="Results" aria-live="polite"
                    aria-busy={if state.busy { "true" } else { "false" }} data-testid="results">
                    if state.busy {
                        <div class="busy">
                            <span class="spinner" aria-hidden="true"></span>
                            <span>{ "Working…" }</span>
                            <button type="button" data-testid="cancel" onclick={on_cancel}>{ "Cancel" }</button>
                        </div>
                    }
                    if let Some(message) = &state.failure {
                        <div class="failure" role="alert">{ message.clone() }</div>
                    }
                    <Results outcome={state.outcome.clone()} />
                </section>
            </main>
        </div>
    }
}
