//! The whole page: rule and events on the left, results on the right. State lives in a reducer;
//! the worker does the reading and matching.

use super::checklist::ChecklistView;
use super::events_pane::EventsPane;
use super::results::Results;
use super::rule_card::RuleCard;
use crate::i18n::{tr, Lang};
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

/// The right-hand pane's views.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Results,
    Triage,
}

#[derive(Clone, PartialEq, Default)]
pub struct State {
    pub lang: Lang,
    pub tab: Tab,
    pub rule: Option<Rc<rules::Rule>>,
    /// The alert the triage view is about (chosen from a result).
    pub alert: Option<rules::report::AlertSummary>,
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
    Lang(Lang),
    Tab(Tab),
    Triage(rules::report::AlertSummary),
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
            Action::Lang(lang) => s.lang = lang,
            Action::Tab(tab) => s.tab = tab,
            Action::Triage(alert) => {
                s.alert = Some(alert);
                s.tab = Tab::Triage;
            }
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
                s.failure = Some(tr(s.lang, "cancelled").into());
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
    let state = use_reducer(|| {
        let rule = rules::seed_rule().ok().map(Rc::new);
        State {
            query: rule.as_ref().map(|r| r.query.trim().to_string()).unwrap_or_default(),
            rule,
            ..State::default()
        }
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

    let lang = state.lang;
    let on_lang = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Lang(lang.other())))
    };
    let tab_button = |tab: Tab, key: &str, test_id: &'static str| {
        let dispatch = state.dispatcher();
        let selected = state.tab == tab;
        html! {
            <button type="button" role="tab" class={classes!("tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} data-testid={test_id}
                onclick={Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Tab(tab)))}>
                { tr(lang, key) }
            </button>
        }
    };
    let on_triage = {
        let dispatch = state.dispatcher();
        Callback::from(move |alert| dispatch.dispatch(Action::Triage(alert)))
    };
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class="page" lang={if lang == Lang::ZhCn { "zh-CN" } else { "en" }}>
            <header class="top">
                <h1>{ tr(lang, "title") }</h1>
                <span class="tagline">{ tr(lang, "tagline") }</span>
                <button type="button" class="lang" data-testid="language-toggle" aria-label={tr(lang, "language_label")}
                    onclick={on_lang}>{ tr(lang, "language") }</button>
            </header>
            <main class="panes">
                <section class="pane rule-pane" aria-label={tr(lang, "rule")}>
                    if let Some(rule) = &state.rule {
                        <RuleCard rule={rule.clone()} />
                    }
                    <label for="rule-editor" class="label">{ tr(lang, "query") }</label>
                    <textarea id="rule-editor" data-testid="rule-editor" class="editor" spellcheck="false"
                        value={state.query.clone()} oninput={on_query} />
                    <EventsPane initial={SAMPLE_EVENTS} settings={state.settings.clone()} progress={state.progress}
                        on_text={on_text} on_file={on_file} on_settings={on_settings} />
                </section>
                <section class="pane results-pane" aria-label={tr(lang, "results")}>
                    <div class="tabs" role="tablist">
                        { tab_button(Tab::Results, "tab_results", "tab-results") }
                        { tab_button(Tab::Triage, "tab_triage", "tab-triage") }
                    </div>
                    <div hidden={state.tab != Tab::Results} aria-live="polite"
                        aria-busy={if state.busy { "true" } else { "false" }} data-testid="results">
                        if state.busy {
                            <div class="busy">
                                <span class="spinner" aria-hidden="true"></span>
                                <span>{ tr(lang, "working") }</span>
                                <button type="button" data-testid="cancel" onclick={on_cancel}>{ tr(lang, "cancel") }</button>
                            </div>
                        }
                        if let Some(message) = &state.failure {
                            <div class="failure" role="alert">{ message.clone() }</div>
                        }
                        <Results outcome={state.outcome.clone()} on_triage={on_triage} />
                    </div>
                    if state.tab == Tab::Triage {
                        if let Some(rule) = &state.rule {
                            <ChecklistView rule={rule.clone()} alert={state.alert.clone()} />
                        }
                    }
                </section>
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}
