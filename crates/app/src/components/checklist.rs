//! The triage checklist stepper for the loaded rule: the investigation guide's sections and
//! steps (nesting kept) with a checkbox and a note each, Osquery blocks to copy, a current step
//! moved by Previous / Next, progress, and a Markdown report to download. Progress is kept in
//! localStorage per rule (see `storage`); step ids are the same in every translation, so it
//! survives a language switch.
//!
//! Rule text is untrusted: it is drawn as text nodes, `code` elements and links whose address
//! is http(s) only — never as HTML.

use crate::download;
use crate::i18n::{tr, Lang};
use crate::storage;
use rules::checklist::{safe_url, step_id};
use rules::report::AlertSummary;
use rules::{Checklist, ChecklistState, OsqueryBlock, RuleBundle, Section, Segment, Step};
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub rule: Rc<RuleBundle>,
    /// The alert being triaged, when opened from a result.
    pub alert: Option<AlertSummary>,
}

/// The analyst's progress on one rule; every edit is saved at once.
#[derive(PartialEq)]
struct Progress {
    rule: Rc<RuleBundle>,
    state: ChecklistState,
}

enum Edit {
    /// Another rule: load its saved progress.
    Load(Rc<RuleBundle>),
    Toggle(String),
    Note(String, String),
}

impl Reducible for Progress {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let (rule, mut state) = match edit {
            Edit::Load(rule) => {
                let state = storage::load(&rule.rule);
                return Rc::new(Progress { rule, state });
            }
            _ => (self.rule.clone(), self.state.clone()),
        };
        match edit {
            Edit::Toggle(id) => {
                state.toggle(&id);
            }
            Edit::Note(id, note) => state.set_note(&id, &note),
            Edit::Load(_) => {}
        }
        storage::save(&rule.rule, &state);
        Rc::new(Progress { rule, state })
    }
}

#[function_component(ChecklistView)]
pub fn checklist_view(props: &ChecklistProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let progress = use_reducer({
        let rule = props.rule.clone();
        move || Progress { state: storage::load(&rule.rule), rule }
    });
    {
        let (dispatch, loaded) = (progress.dispatcher(), storage::key(&progress.rule.rule));
        use_effect_with(props.rule.clone(), move |rule| {
            if storage::key(&rule.rule) != loaded {
                dispatch.dispatch(Edit::Load(rule.clone()));
            }
        });
    }
    let checklist =
        use_memo((props.rule.clone(), lang), |(rule, lang)| rule.checklist(lang.code()).cloned().map_err(str::to_string));
    // The current step, by id (ids survive a language switch): at first the first one not done.
    let current = use_state_eq({
        let (checklist, state) = (checklist.clone(), progress.state.clone());
        move || match &*checklist {
            Ok(c) => c.steps().iter().find(|s| !state.is_done(&s.id)).map(|s| s.id.clone()),
            Err(_) => None,
        }
    });
    // Set by Previous / Next so that only their moves scroll the page.
    let scroll = use_mut_ref(|| false);
    {
        let scroll = scroll.clone();
        use_effect_with((*current).clone(), move |_| {
            if std::mem::take(&mut *scroll.borrow_mut()) {
                scroll_current_into_view();
            }
        });
    }
    let failed = use_state_eq(|| false);

    let checklist = match &*checklist {
        Ok(c) => c,
        Err(_) => {
            return html! {
                <div class="checklist" data-testid="checklist">
                    <h2>{ tr(lang, "checklist") }</h2>
                    { alert_view(lang, props.alert.as_ref()) }
                    <p class="muted">{ tr(lang, "no_guide") }</p>
                </div>
            }
        }
    };
    let state = &progress.state;
    let ids: Vec<String> = checklist.steps().into_iter().map(|s| s.id).collect();
    let at = current.as_ref().and_then(|id| ids.iter().position(|i| i == id));
    let current_id = at.and_then(|i| ids.get(i)).cloned().unwrap_or_default();
    let done = state.progress(checklist);

    let go = |to: Option<usize>| {
        let (current, scroll, id) = (current.clone(), scroll.clone(), to.and_then(|i| ids.get(i)).cloned());
        let disabled = id.is_none();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(id) = &id {
                *scroll.borrow_mut() = true;
                current.set(Some(id.clone()));
            }
        });
        (onclick, disabled)
    };
    let (on_prev, no_prev) = go(match at {
        Some(i) => i.checked_sub(1),
        None => ids.len().checked_sub(1),
    });
    let (on_next, no_next) = go(match at {
        Some(i) => Some(i + 1),
        None => Some(0),
    });
    let on_export = {
        let (rule, checklist, state) = (progress.rule.clone(), checklist.clone(), state.clone());
        let (alert, failed) = (props.alert.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            let md = rules::report::markdown(&rule.rule, &checklist, &state, alert.as_ref());
            let name = format!("triage-{}.md", download::file_stem(&rule.rule.name));
            failed.set(download::text_file(&name, "text/markdown;charset=utf-8", &md).is_err());
        })
    };
    let view = StepView {
        lang,
        state,
        current: &current_id,
        on_toggle: progress.dispatcher().to_callback().reform(Edit::Toggle),
        on_note: progress.dispatcher().to_callback().reform(|(id, note)| Edit::Note(id, note)),
        on_select: {
            let current = current.clone();
            Callback::from(move |id: String| current.set(Some(id)))
        },
    };

    html! {
        <div class="checklist" data-testid="checklist">
            <h2>{ tr(lang, "checklist") }</h2>
            { alert_view(lang, props.alert.as_ref()) }
            <div class="cl-toolbar">
                <div class="cl-progress" data-testid="checklist-progress">
                    <progress max={done.total.to_string()} value={done.done.to_string()} aria-hidden="true"></progress>
                    <span aria-live="polite">{ format!("{} / {} {}", done.done, done.total, tr(lang, "progress")) }</span>
                </div>
                <button type="button" data-testid="checklist-prev" disabled={no_prev} onclick={on_prev}>{ tr(lang, "previous") }</button>
                <button type="button" data-testid="checklist-next" disabled={no_next} onclick={on_next}>{ tr(lang, "next") }</button>
                <button type="button" data-testid="checklist-export" onclick={on_export}>{ tr(lang, "export") }</button>
            </div>
            if *failed {
                <div class="failure" role="alert">{ tr(lang, "export_failed") }</div>
            }
            { body(&view, checklist) }
        </div>
    }
}

/// Which alert is being triaged, or how to pick one.
fn alert_view(lang: Lang, alert: Option<&AlertSummary>) -> Html {
    match alert {
        Some(a) => html! {
            <div class="cl-alert" data-testid="checklist-alert">
                <div><span class="muted">{ tr(lang, "triaging") }{ ": " }</span><strong>{ a.title.clone() }</strong></div>
                if !a.fields.is_empty() {
                    <dl>
                        { for a.fields.iter().map(|(k, v)| html! { <><dt>{ k.clone() }</dt><dd>{ v.clone() }</dd></> }) }
                    </dl>
                }
            </div>
        },
        None => html! { <p class="muted cl-no-alert">{ tr(lang, "no_alert") }</p> },
    }
}

fn scroll_current_into_view() {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".checklist .step.current > .step-row").ok().flatten());
    if let Some(el) = el {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// What drawing the steps needs.
pub(crate) struct StepView<'a> {
    pub lang: Lang,
    pub state: &'a ChecklistState,
    /// Id of the highlighted step ("" for none).
    pub current: &'a str,
    pub on_toggle: Callback<String>,
    pub on_note: Callback<(String, String)>,
    pub on_select: Callback<String>,
}

/// Every section with its steps (a plain function, so tests can inspect it).
pub(crate) fn body(v: &StepView, checklist: &Checklist) -> Html {
    html! {
        <div class="cl-body">
            if !checklist.warnings.is_empty() {
                <details class="cl-warnings">
                    <summary>{ tr(v.lang, "guide_warnings") }</summary>
                    <ul>{ for checklist.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                </details>
            }
            { for checklist.sections.iter().enumerate().map(|(si, s)| section(v, si, s)) }
        </div>
    }
}

fn section(v: &StepView, si: usize, s: &Section) -> Html {
    let level = format!("lvl-{}", s.level.min(6));
    html! {
        <section class={classes!("cl-section", level)}>
            if !s.title.trim().is_empty() {
                <h3 class="cl-title">{ s.title.clone() }</h3>
            }
            if let Some(intro) = s.intro.as_deref().filter(|t| !t.trim().is_empty()) {
                <details class="cl-intro">
                    <summary>{ tr(v.lang, "background") }</summary>
                    { for paragraphs(intro).iter().map(|p| html! { <p>{ segments_html(&rules::checklist::segments(p)) }</p> }) }
                </details>
            }
            if !s.steps.is_empty() {
                { steps(v, si, &mut Vec::new(), &s.steps) }
            }
        </section>
    }
}

/// Intro text as paragraphs, Markdown quote markers dropped.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(|l| l.trim_start().trim_start_matches('>').trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

// Recursion is bounded: the checklist builder caps nesting at rules::checklist::MAX_DEPTH.
fn steps(v: &StepView, si: usize, path: &mut Vec<usize>, list: &[Step]) -> Html {
    let items: Vec<Html> = list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            path.push(i);
            let item = step(v, si, path, s);
            path.pop();
            item
        })
        .collect();
    html! { <ul class="steps">{ for items }</ul> }
}

fn step(v: &StepView, si: usize, path: &mut Vec<usize>, s: &Step) -> Html {
    let id = step_id(si, path);
    let done = v.state.is_done(&id);
    let note = v.state.note(&id).to_string();
    let current = v.current == id;
    let check_id = format!("cb-{id}");
    let on_check = {
        let (cb, id) = (v.on_toggle.clone(), id.clone());
        Callback::from(move |_: Event| cb.emit(id.clone()))
    };
    // Keyboard focus moves the highlight at once; a mouse moves it on click, since moving it
    // on mousedown would open and close note fields under the pointer before the click lands.
    let on_select = {
        let (cb, id) = (v.on_select.clone(), id.clone());
        Callback::from(move |e: FocusEvent| {
            let keyboard = e.target_dyn_into::<web_sys::Element>().is_some_and(|t| t.matches(":focus-visible").unwrap_or(false));
            if keyboard {
                cb.emit(id.clone());
            }
        })
    };
    let on_click = {
        let (cb, id) = (v.on_select.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let on_note = {
        let (cb, id) = (v.on_note.clone(), id.clone());
        Callback::from(move |e: InputEvent| cb.emit((id.clone(), e.target_unchecked_into::<HtmlTextAreaElement>().value())))
    };
    // A step that is only an Osquery block is named after it.
    let label_only = s.text.trim().is_empty() && !s.osquery.is_empty();
    let text = match (label_only, s.osquery.first()) {
        (true, Some(o)) => html! { <><span class="tag">{ "Osquery" }</span>{ " " }{ o.label.clone() }</> },
        _ => segments_html(&s.segments()),
    };
    html! {
        <li class={classes!("step", done.then_some("done"), current.then_some("current"))} data-testid="checklist-step"
            data-step-id={id.clone()} aria-current={current.then_some("step")}>
            <div class="step-row" onfocusin={on_select} onclick={on_click}>
                <input type="checkbox" id={check_id.clone()} checked={done} onchange={on_check} />
                <label for={check_id} class="step-text">{ text }</label>
            </div>
            { for s.osquery.iter().enumerate().map(|(i, o)| osquery(v.lang, o, !(label_only && i == 0))) }
            { for s.investigate.iter().map(|t| html! {
                <div class="timeline muted"><span class="tag">{ tr(v.lang, "timeline") }</span>{ " " }{ t.label.clone() }</div>
            }) }
            if current || !note.is_empty() {
                <textarea class="step-note" data-testid="checklist-note" rows="2" aria-label={tr(v.lang, "step_note")}
                    placeholder={tr(v.lang, "step_note")} value={note} oninput={on_note} />
            }
            if !s.steps.is_empty() {
                { steps(v, si, path, &s.steps) }
            }
        </li>
    }
}

fn osquery(lang: Lang, o: &OsqueryBlock, with_label: bool) -> Html {
    html! {
        <div class="osquery" data-testid="osquery">
            <div class="osquery-head">
                if with_label {
                    <span class="tag">{ "Osquery" }</span>
                    <span class="osquery-label">{ o.label.clone() }</span>
                }
                <CopyButton text={AttrValue::from(o.query.clone())} label={tr(lang, "copy_query")} />
            </div>
            <pre><code>{ o.query.trim().to_string() }</code></pre>
        </div>
    }
}

/// Step or intro text: text nodes, `code` elements and web links only.
pub(crate) fn segments_html(segments: &[Segment]) -> Html {
    segments
        .iter()
        .map(|seg| match seg {
            Segment::Text { text } => html! { { text.clone() } },
            Segment::Code { code } => html! { <code>{ code.clone() }</code> },
            Segment::Link { text, url } => external_link(url, text, "ext"),
        })
        .collect()
}

/// A link that opens elsewhere, only for http(s) addresses; anything else stays plain text.
pub(crate) fn external_link(url: &str, text: &str, class: &'static str) -> Html {
    match safe_url(url) {
        Some(href) => html! {
            <a class={class} href={href} target="_blank" rel="noopener noreferrer">{ text.to_string() }</a>
        },
        None => html! { <span class={class}>{ text.to_string() }</span> },
    }
}

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    pub label: AttrValue,
}

/// "Copy" through the clipboard API; absent where the browser has none.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let status = use_state_eq(|| None::<bool>);
    let Some(clipboard) = clipboard() else { return html! {} };
    let onclick = {
        let (text, status) = (props.text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let promise = clipboard.write_text(&text);
            let (ok, failed) = (status.clone(), status.clone());
            let on_ok = Closure::once(move |_: JsValue| ok.set(Some(true)));
            let on_err = Closure::once(move |_: JsValue| failed.set(Some(false)));
            let _ = promise.then2(&on_ok, &on_err);
            // Each runs at most once; the promise owns them from here.
            on_ok.forget();
            on_err.forget();
        })
    };
    let word = match *status {
        None => tr(lang, "copy"),
        Some(true) => tr(lang, "copied"),
        Some(false) => tr(lang, "copy_failed"),
    };
    html! {
        <button type="button" class="copy" data-testid="copy-query" aria-label={props.label.clone()} {onclick}>{ word }</button>
    }
}

fn clipboard() -> Option<web_sys::Clipboard> {
    let navigator = web_sys::window()?.navigator();
    let value = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok()?;
    value.dyn_into::<web_sys::Clipboard>().ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use yew::virtual_dom::VNode;

    /// Walks the tree; fails on raw HTML, which this UI never uses.
    fn walk(node: &VNode, f: &mut dyn FnMut(&VNode)) {
        f(node);
        match node {
            VNode::VTag(tag) => {
                if let Some(children) = tag.children() {
                    walk(children, f);
                }
            }
            VNode::VList(list) => list.iter().for_each(|n| walk(n, f)),
            VNode::VRaw(raw) => panic!("raw HTML in the tree: {}", raw.html),
            VNode::VPortal(_) | VNode::VSuspense(_) | VNode::VRef(_) => panic!("unexpected node"),
            VNode::VText(_) | VNode::VComp(_) => {}
        }
    }

    /// Every value of attribute `name`, in document order.
    pub(crate) fn attrs(html: &Html, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        walk(html, &mut |n| {
            if let VNode::VTag(tag) = n {
                out.extend(tag.attributes.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.to_string()));
            }
        });
        out
    }

    /// Every text node, in document order.
    pub(crate) fn texts(html: &Html) -> Vec<String> {
        let mut out = Vec::new();
        walk(html, &mut |n| {
            if let VNode::VText(t) = n {
                out.push(t.text.to_string());
            }
        });
        out
    }

    fn tags(html: &Html) -> Vec<String> {
        let mut out = Vec::new();
        walk(html, &mut |n| {
            if let VNode::VTag(tag) = n {
                out.push(tag.tag().to_string());
            }
        });
        out
    }

    fn view<'a>(state: &'a ChecklistState, current: &'a str) -> StepView<'a> {
        StepView {
            lang: Lang::En,
            state,
            current,
            on_toggle: Callback::noop(),
            on_note: Callback::noop(),
            on_select: Callback::noop(),
        }
    }

    const PAYLOAD: &str = r#"<img src=x onerror="window.__xss=1">"#;

    fn hostile_rule() -> rules::Rule {
        let note = format!(
            "## Look {PAYLOAD}\n\nIntro {PAYLOAD} [bad](javascript:alert(1))\n\n\
             - Check {PAYLOAD} and [click](javascript:alert(1)) or [ok](https://example.com/a)\n  \
             - nested `<script>alert(1)</script>` [data](data:text/html,x)\n"
        );
        let json = serde_json::json!({ "name": "n", "query": "q", "note": note });
        rules::load_rule(&json.to_string()).expect("rule")
    }

    #[test]
    fn hostile_guides_render_as_text() {
        let rule = hostile_rule();
        let checklist = rule.checklist(None).expect("checklist");
        let mut state = ChecklistState::default();
        state.set_note("s0.0", PAYLOAD);
        let html = body(&view(&state, "s0.0.0"), &checklist);
        let hrefs = attrs(&html, "href");
        assert_eq!(hrefs, ["https://example.com/a"], "only the web link is a link");
        assert!(attrs(&html, "rel").iter().all(|r| r == "noopener noreferrer"));
        let all_attrs: Vec<String> = ["src", "onerror", "onclick"].iter().flat_map(|a| attrs(&html, a)).collect();
        assert!(all_attrs.is_empty(), "{all_attrs:?}");
        let tags = tags(&html);
        assert!(!tags.iter().any(|t| t == "img" || t == "script"), "{tags:?}");
        let text = texts(&html).concat();
        // Payloads are text nodes, which the DOM (and Yew's server renderer) escape.
        assert!(text.contains(&format!("Look {PAYLOAD}")), "{text}");
        // Links to other schemes keep their label only (the guide builder drops the address).
        assert!(text.contains(&format!("Check {PAYLOAD} and click or ")), "{text}");
        assert!(text.contains("<script>alert(1)</script>"), "{text}");
        assert!(text.contains("Intro") && text.contains(" bad") && text.contains(" data"), "{text}");
        let every_attr: Vec<String> = ["href", "class", "data-step-id", "id", "for"].iter().flat_map(|a| attrs(&html, a)).collect();
        assert!(!every_attr.iter().any(|a| a.to_ascii_lowercase().contains("javascript")), "{every_attr:?}");
        // Two steps, each with a checkbox, and the note shown for the step that has one.
        assert_eq!(attrs(&html, "data-testid").iter().filter(|t| *t == "checklist-step").count(), 2);
        assert_eq!(attrs(&html, "data-testid").iter().filter(|t| *t == "checklist-note").count(), 2);
    }

    #[test]
    fn only_web_links_become_anchors() {
        for url in ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " data:text/html,x", "/relative", "vbscript:x", ""] {
            let html = external_link(url, "t", "ext");
            assert!(attrs(&html, "href").is_empty(), "{url}");
            assert_eq!(texts(&html), ["t"]);
        }
        let html = external_link("https://attack.mitre.org/techniques/T1105/", "T1105", "ext");
        assert_eq!(attrs(&html, "href"), ["https://attack.mitre.org/techniques/T1105/"]);
        assert_eq!(attrs(&html, "target"), ["_blank"]);
    }

    #[test]
    fn seed_guide_in_both_languages_has_the_same_steps() {
        let rule = rules::seed_rule().expect("seed");
        let state = ChecklistState::default();
        let count = |lang: &str| {
            let c = rule.checklist(Some(lang)).expect("checklist");
            let html = body(&view(&state, ""), &c);
            (attrs(&html, "data-step-id"), texts(&html).concat())
        };
        let (en_ids, en) = count("en");
        let (zh_ids, zh) = count("zh-CN");
        assert_eq!(en_ids, zh_ids);
        assert!(en.contains("Triage and analysis") && zh.contains("分类与分析"));
        assert!(en.contains("SELECT * FROM dns_cache"));
    }

    #[test]
    fn intro_paragraphs_drop_quote_markers() {
        assert_eq!(paragraphs("a\nb\n\n> **Note**:\n> c\n\n\n"), ["a b", "**Note**: c"]);
    }
}
