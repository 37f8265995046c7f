//! The whole page: rule and events on the left, results on the right. State lives in a reducer;
//! the worker does the reading and matching.

use super::checklist::ChecklistView;
use super::events_pane::EventsPane;
use super::events_view::EventsView;
use super::query_editor::QueryEditor;
use super::rule_picker::RulePicker;
use super::results::Results;
use super::rule_card::RuleCard;
use crate::i18n::{tr, Lang};
use crate::bridge::Bridge;
use crate::protocol::{ExplainView, Outcome, Request, Response, RowFilter, RowView, RunSettings};
use crate::session::SAMPLE_EVENTS;
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Typing pauses this long before the query runs again.
const DEBOUNCE_MS: u32 = 120;

/// The right-hand pane's views.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Results,
    Events,
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
    /// The result card whose events are highlighted.
    pub selected_match: Option<usize>,
    pub filter: RowFilter,
    /// The events table window: first row, rows in all, the rows.
    pub rows: (usize, usize, Vec<RowView>),
    pub selected_event: Option<usize>,
    pub explanation: Option<ExplainView>,
    /// The pasted (or sample, or shared) events when small enough to share; `None` when they came
    /// from a file or are too large for a link.
    pub events_text: Option<Rc<str>>,
    /// What the events box shows initially (the sample, or a share link's events).
    pub initial_events: AttrValue,
    /// The last share link made, shown for copying.
    pub share_link: Option<String>,
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
    SelectMatch(usize),
    Filter(RowFilter),
    SelectEvent(usize),
    EventsText(Option<Rc<str>>),
    Restore(crate::share::Shared),
    Rule(Option<Rc<rules::Rule>>),
    InitialEvents(AttrValue),
    ShareLink(String),
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
                    s.selected_match = None;
                    s.explanation = None;
                    s.selected_event = None;
                }
            }
            Action::Worker(Response::Rows { start, total, rows }) => s.rows = (start, total, rows),
            Action::Worker(Response::Explained(view)) => s.explanation = Some(view),
            Action::Worker(Response::Exported { .. }) => {}
            Action::SelectMatch(i) => s.selected_match = if s.selected_match == Some(i) { None } else { Some(i) },
            Action::Filter(f) => s.filter = f,
            Action::SelectEvent(e) => s.selected_event = Some(e),
            Action::EventsText(text) => s.events_text = text,
            Action::ShareLink(link) => s.share_link = Some(link),
            Action::InitialEvents(text) => s.initial_events = text,
            Action::Rule(rule) => {
                if let Some(r) = &rule {
                    s.query = r.query.trim().to_string();
                    // A rule's own fields apply (Kibana passes them to _eql/search).
                    s.settings.tiebreaker_field = r.tiebreaker_field.clone().unwrap_or_default();
                    s.settings.event_category_field =
                        r.event_category_override.clone().unwrap_or_else(|| "event.category".into());
                }
                s.rule = rule;
                s.alert = None;
            }
            Action::Restore(shared) => {
                s.query = shared.query;
                s.settings = shared.settings;
                s.lang = Lang::from_code(&shared.lang);
                if let Some(events) = shared.events {
                    let events: Rc<str> = events.into();
                    s.initial_events = AttrValue::Rc(events.clone());
                    s.events_text = Some(events);
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
        let mut state = State {
            query: rule.as_ref().map(|r| r.query.trim().to_string()).unwrap_or_default(),
            rule,
            events_text: Some(SAMPLE_EVENTS.into()),
            initial_events: AttrValue::Static(SAMPLE_EVENTS),
            ..State::default()
        };
        // A share link in the URL restores its session.
        let fragment = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        match crate::share::decode(&fragment) {
            Ok(shared) => {
                state = Rc::new(state).reduce(Action::Restore(shared)).as_ref().clone();
            }
            Err(e) if fragment.starts_with("#s=") => state.failure = Some(e),
            Err(_) => {}
        }
        state
    });
    let bridge = use_mut_ref(|| None::<Rc<Bridge>>);
    let pending = use_mut_ref(|| None::<Timeout>);

    // Start the worker once and hand it the first events (the sample, or a share link's).
    {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        let first = state.events_text.as_ref().map(|t| t.to_string()).unwrap_or_default();
        use_effect_with((), move |_| {
            let b = Rc::new(Bridge::new(Callback::from(move |r| match r {
                // A download is the browser's business, not the page state's.
                Response::Exported { ndjson } => {
                    if crate::download::text_file("eql-results.ndjson", "application/x-ndjson", &ndjson).is_err() {
                        dispatch.dispatch(Action::Worker(Response::Failed { message: "The results could not be saved.".into() }));
                    }
                }
                r => dispatch.dispatch(Action::Worker(r)),
            })));
            b.send(&Request::SetText, Some(&JsValue::from_str(&first)));
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

    // Refill the events table when results or the filter change.
    {
        let bridge = bridge.clone();
        let outcome_version = state.outcome.as_ref().map(|o| format!("{:p}", o as *const _)).unwrap_or_default();
        use_effect_with((outcome_version, state.filter, state.generation), move |(_, filter, _)| {
            if let Some(b) = bridge.borrow().as_ref() {
                b.send(&Request::Rows { start: 0, count: 80, filter: *filter }, None);
            }
        });
    }
    let on_window = {
        let (bridge, filter) = (bridge.clone(), state.filter);
        Callback::from(move |start: usize| {
            if let Some(b) = bridge.borrow().as_ref() {
                b.send(&Request::Rows { start, count: 80, filter }, None);
            }
        })
    };
    let on_filter = {
        let dispatch = state.dispatcher();
        Callback::from(move |f| dispatch.dispatch(Action::Filter(f)))
    };
    let on_select_event = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |event: usize| {
            dispatch.dispatch(Action::SelectEvent(event));
            if let Some(b) = bridge.borrow().as_ref() {
                b.send(&Request::Explain { event }, None);
            }
        })
    };
    // From a near miss: show the events tab with that event explained.
    let on_explain = {
        let (dispatch, select) = (state.dispatcher(), on_select_event.clone());
        Callback::from(move |event: usize| {
            dispatch.dispatch(Action::Tab(Tab::Events));
            select.emit(event);
        })
    };
    let on_select_match = {
        let dispatch = state.dispatcher();
        Callback::from(move |i| dispatch.dispatch(Action::SelectMatch(i)))
    };

    let on_query = {
        let dispatch = state.dispatcher();
        Callback::from(move |q: String| dispatch.dispatch(Action::Query(q)))
    };
    let query_errors: Vec<(usize, usize, String)> = match &state.outcome {
        Some(Outcome::QueryErrors(errors)) => {
            errors.iter().map(|e| (e.start, e.end, format!("{}: {}", e.position, first_line(&e.rendered)))).collect()
        }
        _ => Vec::new(),
    };
    let on_text = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |text: JsValue| {
            if let Some(b) = bridge.borrow().as_ref() {
                dispatch.dispatch(Action::Loading);
                b.send(&Request::SetText, Some(&text));
                // Only text small enough for a share link is copied into the page's memory.
                let len = js_sys::JsString::from(text.clone()).length() as usize;
                let kept = (len <= crate::share::MAX_SHARED_EVENTS).then(|| text.as_string()).flatten();
                dispatch.dispatch(Action::EventsText(kept.map(Into::into)));
            }
        })
    };
    let on_file = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |file: web_sys::File| {
            if let Some(b) = bridge.borrow().as_ref() {
                dispatch.dispatch(Action::Loading);
                dispatch.dispatch(Action::EventsText(None));
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
                b.send(&Request::SetText, Some(&JsValue::from_str("")));
            }
        })
    };

    let on_share = {
        let (dispatch, query, settings, events, lang) =
            (state.dispatcher(), state.query.clone(), state.settings.clone(), state.events_text.clone(), state.lang);
        Callback::from(move |_: MouseEvent| {
            let shared = crate::share::Shared {
                query: query.clone(),
                events: events.as_ref().and_then(|t| crate::share::shareable_events(t)),
                settings: settings.clone(),
                lang: lang.code().to_string(),
            };
            let fragment = crate::share::encode(&shared);
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(&fragment);
                let link = window.location().href().unwrap_or_default();
                let _ = window.navigator().clipboard().write_text(&link);
                dispatch.dispatch(Action::ShareLink(link));
            }
        })
    };
    let on_rule = {
        let dispatch = state.dispatcher();
        Callback::from(move |rule| dispatch.dispatch(Action::Rule(rule)))
    };
    let sample_button = |key: &str, test_id: &'static str, text: &'static str| {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(b) = bridge.borrow().as_ref() {
                dispatch.dispatch(Action::Loading);
                b.send(&Request::SetText, Some(&JsValue::from_str(text)));
                dispatch.dispatch(Action::EventsText(Some(text.into())));
                dispatch.dispatch(Action::InitialEvents(AttrValue::Static(text)));
            }
        });
        html! { <button type="button" data-testid={test_id} {onclick}>{ tr(state.lang, key) }</button> }
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
    let on_export = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| {
            if let Some(b) = bridge.borrow().as_ref() {
                b.send(&Request::ExportResults, None);
            }
        })
    };
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class="page" lang={if lang == Lang::ZhCn { "zh-CN" } else { "en" }}>
            <header class="top">
                <h1>{ tr(lang, "title") }</h1>
                <span class="tagline">{ tr(lang, "tagline") }</span>
                <button type="button" class="share" data-testid="share" onclick={on_share}>{ tr(lang, "share") }</button>
                <button type="button" class="lang" data-testid="language-toggle" aria-label={tr(lang, "language_label")}
                    onclick={on_lang}>{ tr(lang, "language") }</button>
            </header>
            if let Some(link) = &state.share_link {
                <div class="share-bar">
                    <input type="text" readonly=true value={link.clone()} data-testid="share-link" aria-label={tr(lang, "share")} />
                    if state.events_text.is_none() {
                        <span class="muted">{ tr(lang, "share_no_events") }</span>
                    }
                </div>
            }
            <main class="panes">
                <section class="pane rule-pane" aria-label={tr(lang, "rule")}>
                    <RulePicker on_rule={on_rule} />
                    if let Some(rule) = &state.rule {
                        <RuleCard rule={rule.clone()} />
                    }
                    <label for="rule-editor" class="label">{ tr(lang, "query") }</label>
                    <QueryEditor value={state.query.clone()} errors={query_errors} on_input={on_query} />
                    <div class="samples">
                        <span class="muted">{ tr(lang, "samples") }</span>
                        { sample_button("sample_download", "sample-download", SAMPLE_EVENTS) }
                        { sample_button("sample_benign", "sample-benign", crate::session::BENIGN_EVENTS) }
                    </div>
                    <EventsPane initial={state.initial_events.clone()} settings={state.settings.clone()} progress={state.progress}
                        on_text={on_text} on_file={on_file} on_settings={on_settings} />
                </section>
                <section class="pane results-pane" aria-label={tr(lang, "results")}>
                    <div class="tabs" role="tablist">
                        { tab_button(Tab::Results, "tab_results", "tab-results") }
                        { tab_button(Tab::Events, "tab_events", "tab-events") }
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
                        <Results outcome={state.outcome.clone()} on_triage={on_triage}
                            selected={state.selected_match} on_select={on_select_match} on_explain={on_explain}
                            max_alerts={state.rule.as_ref().filter(|r| r.query.trim() == state.query.trim()).map(|r| r.max_signals)}
                            on_export={on_export} />
                    </div>
                    if state.tab == Tab::Events {
                        <EventsView start={state.rows.0} total={state.rows.1} rows={state.rows.2.clone()}
                            filter={state.filter} selected_match={state.selected_match}
                            selected_event={state.selected_event} explanation={state.explanation.clone()}
                            on_window={on_window} on_filter={on_filter} on_select={on_select_event} />
                    }
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

/// The message line of a rendered error (without `line:col: ` and the caret excerpt).
fn first_line(rendered: &str) -> String {
    let line = rendered.lines().next().unwrap_or("");
    line.split_once(": ").map_or(line, |(_, m)| m).to_string()
}
