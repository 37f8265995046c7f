//! The whole page: rule and events on the left, results on the right. What it draws lives in
//! `state`; `link` keeps the worker, which reads and matches, in step with the inputs.

use super::checklist::ChecklistView;
use super::events_pane::EventsPane;
use super::events_view::EventsView;
use super::learn::Learn;
use super::pack::PackTab;
use super::handover::HandOver;
use super::query_diff::QueryDiff;
use super::query_editor::QueryEditor;
use super::results::Results;
use super::rule_card::RuleCard;
use super::rule_picker::RulePicker;
use super::tune::Tune;
use crate::i18n::{tr, Lang};
use crate::link::{has_rows, Link};
use crate::protocol::{Outcome, RowFilter, RunSettings};
use crate::samples::{self, SAMPLE_EVENTS};
use crate::share::Opened;
use crate::state::{Action, Baseline, EventsReset, ExceptionEdit, State, Tab};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// The first state: the built-in rule over the sample, or what a share link in the URL holds.
fn initial_state() -> State {
    let rule = crate::rule_source::builtin();
    let mut state = State {
        query: rule.as_ref().map(|r| r.rule.query.trim().to_string()).unwrap_or_default(),
        rule,
        events_reset: EventsReset { count: 0, text: AttrValue::Static(SAMPLE_EVENTS) },
        ..State::default()
    };
    match crate::share::opened() {
        Some(Ok(Opened::Session(shared))) => {
            state.query = shared.query;
            state.settings = shared.settings;
            state.lang = Lang::from_code(&shared.lang);
            if let Some(events) = shared.events {
                state.events_reset.text = AttrValue::Rc(events.into());
            }
        }
        Some(Ok(Opened::Pack(json))) => {
            state.tab = Tab::Learn;
            state.learn_opened = true;
            state.linked_pack = Some(AttrValue::Rc(json.into()));
        }
        Some(Err(e)) => state.notice = Some(e),
        None => {}
    }
    state
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let link = {
        let dispatch = state.dispatcher();
        let (query, settings) = (state.query.clone(), state.settings.clone());
        use_memo((), move |_| Link::new(Callback::from(move |a| dispatch.dispatch(a)), query, settings))
    };

    // The first events go to the worker once, and run at once.
    {
        let (link, text) = (link.clone(), state.events_reset.text.clone());
        use_effect_with((), move |_| link.replace_text(JsValue::from_str(&text)));
    }
    // The events table asks for rows when it is shown, and when the run, the filter or the
    // scrolled-to window change — never because rows arrived.
    {
        let link = link.clone();
        let ran = state.shown.as_ref().is_some_and(|s| has_rows(&s.outcome));
        let key = (state.tab == Tab::Events && ran, state.shown_stamp(), state.filter, state.window);
        use_effect_with(key, move |(visible, _, filter, window)| {
            if *visible {
                link.rows(*window, *filter);
            }
        });
    }
    // The baseline and the exception items are inputs of every run, like the query.
    {
        let link = link.clone();
        use_effect_with(state.tuning(), move |tuning| link.set_tuning(tuning.clone()));
    }
    // The selected event is explained again for each new run over the same events.
    {
        let link = link.clone();
        use_effect_with((state.selected_event, state.shown_stamp()), move |(event, stamp)| {
            if let (Some(event), Some(_)) = (event, stamp) {
                link.explain(*event);
            }
        });
    }

    let on_window = {
        let dispatch = state.dispatcher();
        Callback::from(move |start: usize| dispatch.dispatch(Action::Window(start)))
    };
    let on_filter = {
        let dispatch = state.dispatcher();
        Callback::from(move |f: RowFilter| dispatch.dispatch(Action::Filter(f)))
    };
    let on_select_event = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: usize| dispatch.dispatch(Action::SelectEvent(event)))
    };
    // From a near miss: show the events tab with that event explained.
    let on_explain = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: usize| {
            dispatch.dispatch(Action::Tab(Tab::Events));
            dispatch.dispatch(Action::SelectEvent(event));
        })
    };
    let on_select_match = {
        let dispatch = state.dispatcher();
        Callback::from(move |i| dispatch.dispatch(Action::SelectMatch(i)))
    };
    let on_query = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        Callback::from(move |q: String| {
            dispatch.dispatch(Action::Query(q.clone()));
            link.set_query(q);
        })
    };
    // Underlines describe the query as it is now: none while an edit is on its way.
    let query_errors: Vec<(usize, usize, String)> = match state.shown.as_ref().map(|s| &*s.outcome) {
        Some(Outcome::QueryErrors(errors)) if state.settled => {
            errors.iter().map(|e| (e.start, e.end, format!("{}: {}", e.position, first_line(&e.rendered)))).collect()
        }
        _ => Vec::new(),
    };
    let query_warnings: Vec<(usize, usize, String)> = match state.shown.as_ref().map(|s| &*s.outcome) {
        Some(Outcome::Ran { warnings, .. }) if state.settled => {
            warnings.iter().map(|w| (w.start, w.end, format!("{}: {} — {}", w.position, first_line(&w.rendered), tr(state.lang, "field_unseen")))).collect()
        }
        _ => Vec::new(),
    };
    // The editor got the focus: the fields of the events and ECS's names, for completion.
    let on_editor_focus = {
        let (dispatch, link, help, has_ecs, category) =
            (state.dispatcher(), link.clone(), state.field_help.clone(), state.ecs.is_some(), state.settings.event_category_field.clone());
        Callback::from(move |_: ()| {
            link.fields(help.as_deref(), category.trim());
            if !has_ecs {
                let dispatch = dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let fields = samples::fetch_own(crate::completion::ECS_FIELDS_PATH).await;
                    let categories = samples::fetch_own(crate::completion::ECS_CATEGORIES_PATH).await;
                    if let (Ok(fields), Ok(categories)) = (fields, categories) {
                        dispatch.dispatch(Action::Ecs(crate::completion::Ecs::parse(&fields, &categories)));
                    }
                });
            }
        })
    };
    let on_text = {
        let (dispatch, link, from_file) = (state.dispatcher(), link.clone(), state.events_file.is_some());
        Callback::from(move |text: JsValue| {
            if from_file {
                dispatch.dispatch(Action::EventsFile(None));
            }
            link.set_text(text);
        })
    };
    let on_file = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        Callback::from(move |file: web_sys::File| {
            dispatch.dispatch(Action::EventsFile(Some(file.name())));
            link.load_file(file);
        })
    };
    let on_settings = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        Callback::from(move |s: RunSettings| {
            dispatch.dispatch(Action::Settings(s.clone()));
            link.set_settings(s);
        })
    };
    let on_cancel = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.cancel())
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
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::share::encode(&shared).await {
                    Ok(fragment) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_hash(&fragment);
                            let link = window.location().href().unwrap_or_default();
                            let _ = window.navigator().clipboard().write_text(&link);
                            dispatch.dispatch(Action::ShareLink(link));
                        }
                    }
                    Err(e) => dispatch.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let on_rule = {
        let (dispatch, link, settings) = (state.dispatcher(), link.clone(), state.settings.clone());
        Callback::from(move |rule: Option<Rc<rules::RuleBundle>>| {
            if let Some(r) = &rule {
                let (query, settings) = State::rule_inputs(&r.rule, &settings);
                link.set_rule_inputs(query, settings);
            }
            dispatch.dispatch(Action::Rule(rule));
        })
    };
    let take_events = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        move |text: AttrValue| {
            link.replace_text(JsValue::from_str(&text));
            dispatch.dispatch(Action::ResetEvents(text));
        }
    };
    let on_download_sample = {
        let take_events = take_events.clone();
        Callback::from(move |_: MouseEvent| take_events(AttrValue::Static(SAMPLE_EVENTS)))
    };
    let on_benign_sample = {
        let (dispatch, take_events) = (state.dispatcher(), take_events.clone());
        Callback::from(move |_: MouseEvent| {
            let (take_events, dispatch) = (take_events.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match samples::fetch_own(samples::BENIGN_EVENTS_PATH).await {
                    Ok(text) => take_events(AttrValue::from(text)),
                    Err(e) => dispatch.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let on_lab_sample = {
        let (dispatch, on_file) = (state.dispatcher(), on_file.clone());
        Callback::from(move |_: MouseEvent| {
            let (dispatch, on_file) = (dispatch.clone(), on_file.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // Loaded as the file it is, so it goes through the converter like a dropped log.
                let file = samples::fetch_own(samples::LAB_SYSMON_PATH).await.and_then(|xml| {
                    web_sys::File::new_with_str_sequence(&js_sys::Array::of1(&xml.into()), "lab-sysmon.xml").map_err(|_| "cannot make the file".to_string())
                });
                match file {
                    Ok(file) => on_file.emit(file),
                    Err(e) => dispatch.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let on_host_id = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        Callback::from(move |id: String| {
            dispatch.dispatch(Action::HostId(id.clone()));
            link.set_host_id(id);
        })
    };
    let on_download_events = {
        let link = link.clone();
        Callback::from(move |_: ()| link.export_events())
    };
    let on_open_exercise = {
        let (dispatch, link, take_events) = (state.dispatcher(), link.clone(), take_events.clone());
        Callback::from(move |(query, events): (String, AttrValue)| {
            dispatch.dispatch(Action::Query(query.clone()));
            link.set_query(query);
            take_events(events);
        })
    };
    let sample_button = |key: &str, test_id: &'static str, onclick: Callback<MouseEvent>| {
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
        let link = link.clone();
        Callback::from(move |_: ()| link.export())
    };
    let on_pin = {
        let dispatch = state.dispatcher();
        Callback::from(move |baseline: Option<Baseline>| dispatch.dispatch(Action::Pin(baseline)))
    };
    let on_exceptions = {
        let dispatch = state.dispatcher();
        Callback::from(move |edit: ExceptionEdit| dispatch.dispatch(Action::Exceptions(edit)))
    };
    let on_export_exceptions = {
        let dispatch = state.dispatcher();
        Callback::from(move |ndjson: String| {
            if crate::download::text_file("exceptions.ndjson", "application/x-ndjson", &ndjson).is_err() {
                dispatch.dispatch(Action::Notice("save_failed"));
            }
        })
    };
    let on_schedule_open = {
        let dispatch = state.dispatcher();
        Callback::from(move |open: bool| dispatch.dispatch(Action::Schedule(open)))
    };
    let on_schedule_start = {
        let dispatch = state.dispatcher();
        Callback::from(move |start: String| dispatch.dispatch(Action::ScheduleStart(start)))
    };
    let index = rules::export::index_name(state.rule.as_ref().map(|r| &r.rule));
    let on_hand_over = {
        let (dispatch, link, index) = (state.dispatcher(), link.clone(), index.clone());
        let (rule, query, settings, exceptions) =
            (state.rule.clone(), state.query.clone(), state.settings.clone(), state.exceptions.clone());
        Callback::from(move |what: HandOver| {
            let rule = rule.as_ref().map(|r| r.rule.clone());
            let size = rule.as_ref().map_or(rules::DEFAULT_MAX_SIGNALS, |r| r.max_signals);
            match what {
                HandOver::Bulk => link.export_for(crate::protocol::Request::ExportBulk { index: index.clone() }),
                HandOver::Search => link.export_for(crate::protocol::Request::ExportSearch { query: query.clone(), settings: settings.clone(), size }),
                HandOver::Rule => {
                    let Some(rule) = rule else { return };
                    let items: Vec<_> = exceptions.iter().filter(|e| e.enabled).flat_map(|e| rules::exceptions::parse(&e.json).0).collect();
                    let text = rules::export::rule_import(&rule, &query, &items);
                    if crate::download::text_file("rule.ndjson", "application/x-ndjson", &text).is_err() {
                        dispatch.dispatch(Action::Notice("save_failed"));
                    }
                }
                HandOver::Template => {
                    let (dispatch, index, query, settings) = (dispatch.clone(), index.clone(), query.clone(), settings.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let ecs = samples::fetch_own(crate::completion::ECS_FIELDS_PATH).await.unwrap_or_default();
                        let paths: Vec<String> = match eql::compile_text(&query, &crate::session::engine_settings(&settings)) {
                            Ok(plan) => (0..plan.fields.len()).map(|i| plan.fields.get(eql::data::FieldId(i as u32)).path.clone()).collect(),
                            Err(_) => Vec::new(),
                        };
                        let ecs_type = |p: &str| rules::export::ecs_type(&ecs, p).map(String::from);
                        let body = rules::export::template(rule.as_ref(), &index, &paths, &ecs_type);
                        let text = serde_json::to_string_pretty(&body).unwrap_or_default() + "\n";
                        if crate::download::text_file("index-template.json", "application/json", &text).is_err() {
                            dispatch.dispatch(Action::Notice("save_failed"));
                        }
                    });
                }
            }
        })
    };
    let on_pack_load = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        Callback::from(move |(files, names): (js_sys::Array, Vec<String>)| {
            let id = link.load_pack(&files);
            dispatch.dispatch(Action::Pack(Some((id, names))));
        })
    };
    let on_pack_close = {
        let (dispatch, link) = (state.dispatcher(), link.clone());
        let busy = state.pack.is_some() && !state.settled;
        Callback::from(move |_: ()| {
            link.close_pack(busy);
            dispatch.dispatch(Action::Pack(None));
        })
    };
    let on_pack_open = {
        let (link, id) = (link.clone(), state.pack.as_ref().map(|p| p.id));
        Callback::from(move |index: usize| {
            if let Some(id) = id {
                link.open_pack_rule(id, index);
            }
        })
    };
    let on_pack_download = {
        let (link, id) = (link.clone(), state.pack.as_ref().map(|p| p.id));
        Callback::from(move |_: ()| {
            if let Some(pack) = id {
                link.export_for(crate::protocol::Request::ExportPackAlerts { pack });
            }
        })
    };
    let on_hide_results = {
        let dispatch = state.dispatcher();
        Callback::from(move |hide: bool| dispatch.dispatch(Action::HideResults(hide)))
    };
    let hidden_results = html! { <p class="muted hidden-results" data-testid="results-hidden">{ tr(lang, "results_hidden") }</p> };
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
                    <RulePicker on_rule={on_rule} on_exceptions={on_exceptions.clone()} />
                    if let Some(rule) = &state.rule {
                        <RuleCard rule={rule.clone()} />
                    }
                    if let Some(baseline) = state.baseline.as_ref().filter(|b| b.query.trim() != state.query.trim()) {
                        <QueryDiff baseline={baseline.query.clone()} query={state.query.clone()} />
                    }
                    <label for="rule-editor" class="label">{ tr(lang, "query") }</label>
                    <QueryEditor value={state.query.clone()} errors={query_errors} warnings={query_warnings} on_input={on_query}
                        help={state.field_help.clone()} ecs={state.ecs.clone()} on_focus={on_editor_focus} />
                    <div class="samples">
                        <span class="muted">{ tr(lang, "samples") }</span>
                        { sample_button("sample_download", "sample-download", on_download_sample) }
                        { sample_button("sample_benign", "sample-benign", on_benign_sample) }
                        { sample_button("sample_lab", "sample-lab", on_lab_sample) }
                    </div>
                    <EventsPane reset={state.events_reset.clone()} file={state.events_file.clone()}
                        settings={state.settings.clone()} progress={state.progress} conversion={state.conversion.clone()}
                        host_id={state.host_id.clone()} on_host_id={on_host_id}
                        on_text={on_text} on_file={on_file} on_settings={on_settings} on_download_events={on_download_events} />
                </section>
                <section class="pane results-pane" aria-label={tr(lang, "results")}>
                    <div class="tabs" role="tablist">
                        { tab_button(Tab::Results, "tab_results", "tab-results") }
                        { tab_button(Tab::Events, "tab_events", "tab-events") }
                        { tab_button(Tab::Triage, "tab_triage", "tab-triage") }
                        { tab_button(Tab::Tune, "tab_tune", "tab-tune") }
                        { tab_button(Tab::Pack, "tab_pack", "tab-pack") }
                        { tab_button(Tab::Learn, "tab_learn", "tab-learn") }
                    </div>
                    <div hidden={state.tab != Tab::Results} aria-live="polite"
                        aria-busy={if state.settled { "false" } else { "true" }} data-testid="results"
                        class={classes!("results-region", (!state.settled).then_some("updating"))}>
                        if !state.settled {
                            <div class="busy">
                                <span class="spinner" aria-hidden="true"></span>
                                <span>{ tr(lang, "working") }</span>
                                <button type="button" data-testid="cancel" onclick={on_cancel}>{ tr(lang, "cancel") }</button>
                            </div>
                        }
                        if let Some(message) = &state.notice {
                            <div class="failure" role="alert" data-testid="notice">{ message.clone() }</div>
                        }
                        if let Some(message) = &state.failure {
                            <div class="failure" role="alert" data-testid="failure">{ message.clone() }</div>
                        }
                        if state.results_hidden {
                            { hidden_results.clone() }
                        } else {
                            <Results shown={state.shown.clone()} on_triage={on_triage}
                                selected={state.selected_match} on_select={on_select_match} on_explain={on_explain.clone()}
                                max_alerts={state.rule.as_ref().filter(|r| r.rule.query.trim() == state.query.trim()).map(|r| r.rule.max_signals)}
                                on_export={on_export} />
                        }
                    </div>
                    if state.tab == Tab::Events && state.results_hidden {
                        { hidden_results }
                    } else if state.tab == Tab::Events {
                        <EventsView rows={state.rows.clone()} filter={state.filter} selected_match={state.selected_match}
                            selected_event={state.selected_event} explanation={state.explanation.clone()}
                            on_window={on_window} on_filter={on_filter} on_select={on_select_event} />
                    }
                    if state.learn_opened {
                        <div hidden={state.tab != Tab::Learn}>
                            <Learn query={state.query.clone()} linked_pack={state.linked_pack.clone()} on_open={on_open_exercise}
                                on_hide_results={on_hide_results} />
                        </div>
                    }
                    if state.tab == Tab::Tune {
                        <div aria-busy={if state.settled { "false" } else { "true" }}
                            class={classes!("results-region", (!state.settled).then_some("updating"))}>
                            <Tune shown={state.shown.clone().filter(|_| !state.results_hidden)} baseline={state.baseline.clone()}
                                query={state.query.clone()} rule_query={state.rule.as_ref().map(|r| r.rule.query.trim().to_string())}
                                exceptions={state.exceptions.clone()} problems={state.exception_problems.clone()}
                                on_pin={on_pin} on_exceptions={on_exceptions} on_explain={on_explain.clone()}
                                on_export={on_export_exceptions} schedule_open={state.schedule_open}
                                schedule_spec={state.schedule_spec()} on_schedule_open={on_schedule_open}
                                on_schedule_start={on_schedule_start} index={index} on_hand_over={on_hand_over} />
                        </div>
                    }
                    if state.tab == Tab::Pack {
                        <PackTab pack={state.pack.clone()} view={state.pack_view()} settled={state.settled} failure={state.failure.clone()}
                            on_load={on_pack_load} on_close={on_pack_close} on_open={on_pack_open} on_download={on_pack_download} />
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
