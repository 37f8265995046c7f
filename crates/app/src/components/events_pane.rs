//! The events: paste, upload or drop a file (NDJSON, a JSON array, a `_search` response, or a
//! Windows event log the worker converts to ECS), a progress bar while a big file is read, what
//! a conversion gave, and the fields that order and categorise events.

use crate::i18n::{tr, Lang};
use crate::protocol::{ConversionNote, RunSettings};
use std::rc::Rc;
use crate::state::EventsReset;
use super::drop_zone::use_drop_zone;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventsPaneProps {
    /// Text the box takes when `count` changes (it is the user's otherwise: the page never
    /// writes to it while they type).
    pub reset: EventsReset,
    /// The file the events came from, if any.
    pub file: Option<String>,
    pub settings: RunSettings,
    pub progress: Option<(u64, u64)>,
    /// The pasted text, as the JS string the textarea holds (not copied into wasm memory).
    pub on_text: Callback<wasm_bindgen::JsValue>,
    pub on_file: Callback<web_sys::File>,
    pub on_settings: Callback<RunSettings>,
    /// What converting a Windows event log gave, while it is the events.
    pub conversion: Option<Rc<ConversionNote>>,
    pub on_download_events: Callback<()>,
    /// Converted events' `host.id` (empty: their computer name), and its change.
    pub host_id: String,
    pub on_host_id: Callback<String>,
}

#[function_component(EventsPane)]
pub fn events_pane(props: &EventsPaneProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let area = use_node_ref();
    {
        let (area, text) = (area.clone(), props.reset.text.clone());
        use_effect_with(props.reset.count, move |_| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                el.set_value(&text);
            }
        });
    }
    let on_input = {
        let on_text = props.on_text.clone();
        Callback::from(move |e: InputEvent| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            on_text.emit(js_sys::Reflect::get(&area, &"value".into()).unwrap_or_default());
        })
    };
    let take_file = {
        let on_file = props.on_file.clone();
        move |file: web_sys::File| on_file.emit(file)
    };
    let on_change = {
        let take_file = take_file.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                take_file(file);
            }
        })
    };
    let drop = use_drop_zone(Callback::from(move |dropped: web_sys::DataTransfer| {
        if let Some(file) = dropped.files().and_then(|f| f.get(0)) {
            take_file(file);
        }
    }));
    let setting = |field: fn(&mut RunSettings) -> &mut String| {
        let (settings, on_settings) = (props.settings.clone(), props.on_settings.clone());
        Callback::from(move |e: Event| {
            let mut next = settings.clone();
            *field(&mut next) = e.target_unchecked_into::<HtmlInputElement>().value();
            on_settings.emit(next);
        })
    };
    html! {
        <div class={classes!("events-pane", drop.dragging.then_some("dragging"))}
            ondrop={drop.ondrop} ondragover={drop.ondragover} ondragleave={drop.ondragleave} data-testid="events-drop">
            <div class="events-head">
                <label for="events-input" class="label">{ tr(lang, "events") }</label>
                <label class="file-button">
                    { tr(lang, "choose_file") }
                    <input type="file" data-testid="events-file" accept=".ndjson,.json,.jsonl,.txt,.evtx,.xml,application/json"
                        onchange={on_change} />
                </label>
            </div>
            // A stable container, so the textarea below is never rebuilt (it holds the user's text).
            <div class="load-status">
                if let Some(name) = &props.file {
                    <div class="file-name">{ format!("{}: {name}", tr(lang, "file")) }</div>
                }
                if let Some((loaded, total)) = props.progress {
                    <progress data-testid="load-progress" max={total.to_string()} value={loaded.to_string()} />
                }
                if let Some(note) = &props.conversion {
                    { conversion(lang, note, props) }
                }
            </div>
            <textarea id="events-input" data-testid="events-input" class="editor events" spellcheck="false"
                ref={area} oninput={on_input} />
            <details class="settings">
                <summary>{ tr(lang, "fields") }</summary>
                <label>{ tr(lang, "timestamp_field") }{ " " }
                    <input type="text" value={props.settings.timestamp_field.clone()}
                        onchange={setting(|s| &mut s.timestamp_field)} data-testid="timestamp-field" /></label>
                <label>{ tr(lang, "tiebreaker_field") }{ " " }
                    <input type="text" value={props.settings.tiebreaker_field.clone()} placeholder={tr(lang, "none")}
                        onchange={setting(|s| &mut s.tiebreaker_field)} data-testid="tiebreaker-field" /></label>
                <label>{ tr(lang, "category_field") }{ " " }
                    <input type="text" value={props.settings.event_category_field.clone()}
                        onchange={setting(|s| &mut s.event_category_field)} data-testid="category-field" /></label>
            </details>
        </div>
    }
}

/// What a Windows event log became: how many events, which records were skipped, which ids kept
/// only the generic fields — and which fields the playground supplied rather than read.
fn conversion(lang: Lang, note: &ConversionNote, props: &EventsPaneProps) -> Html {
    let download = {
        let on_download = props.on_download_events.clone();
        Callback::from(move |_: MouseEvent| on_download.emit(()))
    };
    // host.id: the computer name (an empty value), or what the user types (on change, not per key).
    let on_host_id = {
        let on_host_id = props.on_host_id.clone();
        Callback::from(move |e: Event| on_host_id.emit(e.target_unchecked_into::<HtmlInputElement>().value().trim().to_string()))
    };
    let generic: usize = note.generic.iter().map(|(_, _, n)| n).sum();
    html! {
        <div class="conversion" data-testid="conversion" role="status">
            <p data-testid="conversion-count">{ format!("{} {} ({})", note.events, tr(lang, "converted_events"), note.format) }</p>
            <p class="muted" data-testid="conversion-supplied">{ tr(lang, "conversion_supplied") }</p>
            <label>{ tr(lang, "host_id_rule") }{ " " }
                <input type="text" data-testid="host-id" value={props.host_id.clone()} placeholder={tr(lang, "host_id_computer")}
                    onchange={on_host_id} />
            </label>
            if !note.errors.is_empty() {
                <details data-testid="conversion-errors">
                    <summary>{ format!("{} {}", note.errors.len(), tr(lang, "conversion_skipped")) }</summary>
                    <ul>{ for note.errors.iter().take(50).map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                </details>
            }
            if generic > 0 {
                <details data-testid="conversion-generic">
                    <summary>{ format!("{generic} {}", tr(lang, "conversion_generic")) }</summary>
                    <ul>{ for note.generic.iter().map(|(channel, id, n)| html! { <li>{ format!("{channel} {id}: {n}") }</li> }) }</ul>
                </details>
            }
            <button type="button" data-testid="download-converted" onclick={download}>{ tr(lang, "download_converted") }</button>
        </div>
    }
}
