//! The Learn tab: the built-in course's exercises with levels and progress; an exercise's
//! story and task, its events and starter query put in the editors, a Check button, the
//! feedback (counts; hints and the detailed explanation cost points), and the explanation once
//! solved. The built-in course, or a pack file with its events inline. The trainer module
//! (exercise packs and the checker) is fetched when the tab first opens; progress is kept in
//! localStorage and can be exported.
//!
//! A report is shown only while the query (or answer) it graded is the one on screen.

use super::checklist::segments_html;
use crate::i18n::{tr, Lang};
use crate::progress::{ExerciseProgress, Progress};
use crate::trainer;
use exercises::view::{CourseView, ExerciseView};
use exercises::Report;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LearnProps {
    /// The query in the editor now.
    pub query: String,
    /// Opening an exercise: its starter query and its events go to the editors.
    pub on_open: Callback<(String, AttrValue)>,
}

/// A graded submission and the text it graded.
#[derive(Clone, PartialEq)]
struct Graded {
    exercise: String,
    text: String,
    report: Result<Report, String>,
}

#[function_component(Learn)]
pub fn learn(props: &LearnProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let course = use_state(|| None::<Result<Rc<CourseView>, String>>);
    let progress = use_state(Progress::default);
    let current = use_state(|| None::<usize>);
    let answer = use_state(String::new);
    let graded = use_state(|| None::<Graded>);
    // Showing a course the trainer opened: its progress, and no exercise chosen yet.
    let show = {
        let (course, progress, current, graded) = (course.clone(), progress.clone(), current.clone(), graded.clone());
        Callback::from(move |opened: Result<CourseView, String>| {
            let opened = opened.map(Rc::new);
            if let Ok(c) = &opened {
                progress.set(Progress::load(&c.id, &c.version));
            }
            current.set(None);
            graded.set(None);
            course.set(Some(opened));
        })
    };
    {
        let show = show.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { show.emit(trainer::open_builtin().await) });
        });
    }
    let on_pack_file = {
        let show = show.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let (show, name) = (show.clone(), file.name());
            let file = gloo::file::File::from(file);
            wasm_bindgen_futures::spawn_local(async move {
                match gloo::file::futures::read_as_text(&file).await {
                    Ok(text) => show.emit(trainer::open_pack(&text, &name).await),
                    Err(e) => show.emit(Err(format!("{name}: {e}"))),
                }
            });
        })
    };
    let on_builtin = {
        let show = show.clone();
        Callback::from(move |_: MouseEvent| {
            let show = show.clone();
            wasm_bindgen_futures::spawn_local(async move { show.emit(trainer::open_builtin().await) });
        })
    };
    let pack_picker = html! {
        <div class="learn-packs">
            <button type="button" data-testid="learn-builtin" onclick={on_builtin}>{ tr(lang, "learn_builtin") }</button>
            <label class="file-button">
                { tr(lang, "learn_pack_file") }
                <input type="file" accept=".toml" data-testid="learn-pack-file" onchange={on_pack_file} />
            </label>
        </div>
    };
    let view = match &*course {
        None => return html! { <div class="learn" data-testid="learn"><p class="muted">{ tr(lang, "learn_loading") }</p></div> },
        Some(Err(e)) => {
            return html! {
                <div class="learn" data-testid="learn">
                    { pack_picker }
                    <pre class="failure" role="alert" data-testid="learn-pack-error">{ e.clone() }</pre>
                </div>
            }
        }
        Some(Ok(c)) => c.clone(),
    };
    let open = {
        let (current, graded, answer, on_open, view) = (current.clone(), graded.clone(), answer.clone(), props.on_open.clone(), view.clone());
        Callback::from(move |i: usize| {
            if let Some(ex) = view.exercises.get(i) {
                current.set(Some(i));
                graded.set(None);
                answer.set(String::new());
                on_open.emit((ex.starter_query.clone(), AttrValue::from(ex.events.clone())));
            }
        })
    };
    let list = view.exercises.iter().enumerate().map(|(i, ex)| {
        let solved = progress.of(&ex.id).solved;
        let selected = *current == Some(i);
        let onclick = { let open = open.clone(); Callback::from(move |_: MouseEvent| open.emit(i)) };
        html! {
            <li>
                <button type="button" class={classes!("learn-item", selected.then_some("selected"), solved.then_some("solved"))}
                    data-testid="learn-exercise" data-id={ex.id.clone()} aria-current={selected.then_some("step")} {onclick}>
                    <span class="muted">{ format!("{} {}", tr(lang, "learn_level"), ex.level) }</span>{ " " }
                    { ex.title.get(lang.code()).to_string() }
                    if solved { <span class="learn-done" aria-label={tr(lang, "learn_solved")}>{ " ✓" }</span> }
                </button>
            </li>
        }
    });
    let export = {
        let progress = progress.clone();
        Callback::from(move |_: MouseEvent| {
            let name = format!("{}-progress.json", progress.course);
            let _ = crate::download::text_file(&name, "application/json", &progress.record());
        })
    };
    html! {
        <div class="learn" data-testid="learn">
            { pack_picker }
            <div class="learn-head">
                <h2>{ view.title.get(lang.code()).to_string() }</h2>
                <span data-testid="learn-progress">{ format!("{} / {} {}", progress.solved(), view.exercises.len(), tr(lang, "learn_solved_of")) }</span>
                <button type="button" data-testid="learn-export" onclick={export}>{ tr(lang, "learn_export") }</button>
            </div>
            { markdown(view.description.get(lang.code())) }
            <ol class="learn-list">{ for list }</ol>
            if let Some(i) = *current {
                if let Some(ex) = view.exercises.get(i) {
                    { exercise(lang, ex, i, view.exercises.len(), props, &progress, &answer, &graded, &open) }
                }
            }
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn exercise(
    lang: Lang,
    ex: &ExerciseView,
    index: usize,
    count: usize,
    props: &LearnProps,
    progress: &UseStateHandle<Progress>,
    answer: &UseStateHandle<String>,
    graded: &UseStateHandle<Option<Graded>>,
    open: &Callback<usize>,
) -> Html {
    let code = lang.code();
    let mine = progress.of(&ex.id);
    let text = if ex.answered_with_query { props.query.clone() } else { (**answer).clone() };
    // What is on screen is true: a report only for the text it graded.
    let report = graded.as_ref().filter(|g| g.exercise == ex.id && g.text == text).map(|g| g.report.clone());
    let check = |details: bool, extra_hint: bool| {
        let (ex_id, text, progress, graded) = (ex.id.clone(), text.clone(), progress.clone(), graded.clone());
        let (is_query, code) = (ex.answered_with_query, code.to_string());
        let hint_count = ex.hints.len();
        Callback::from(move |_: MouseEvent| {
            let (ex_id, text, progress, graded, code) = (ex_id.clone(), text.clone(), progress.clone(), graded.clone(), code.clone());
            let mut mine = progress.of(&ex_id);
            if extra_hint {
                mine.hints = (mine.hints + 1).min(hint_count);
            }
            mine.details |= details;
            wasm_bindgen_futures::spawn_local(async move {
                let report = trainer::check(&ex_id, is_query, &text, &code, mine.hints, mine.details).await;
                let mut next = (*progress).clone();
                let entry = next.exercises.entry(ex_id.clone()).or_default();
                entry.hints = mine.hints;
                entry.details = mine.details;
                if let Ok(r) = &report {
                    entry.solved |= r.solved;
                    entry.score = entry.score.max(r.score);
                }
                next.save();
                progress.set(next);
                graded.set(Some(Graded { exercise: ex_id, text, report }));
            });
        })
    };
    let on_answer = {
        let answer = answer.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            answer.set(area.value());
        })
    };
    let step = |to: usize, key: &str, test_id: &'static str| {
        let open = open.clone();
        html! { <button type="button" data-testid={test_id} onclick={Callback::from(move |_: MouseEvent| open.emit(to))}>{ tr(lang, key) }</button> }
    };
    let hints = ex.hints.iter().take(mine.hints).map(|h| html! { <li class="learn-hint">{ markdown(h.text.get(code)) }</li> });
    // Exercises to solve first: named, not enforced (a learner may look ahead).
    let first: Vec<String> = ex.requires.iter().filter(|r| !progress.of(r).solved).cloned().collect();
    let next_hint = ex.hints.get(mine.hints);
    html! {
        <section class="learn-exercise" data-testid="learn-current" data-id={ex.id.clone()}>
            <h3>{ ex.title.get(code).to_string() }</h3>
            if !first.is_empty() {
                <p class="muted" data-testid="learn-requires">{ format!("{} {}", tr(lang, "learn_requires"), first.join(", ")) }</p>
            }
            { markdown(ex.story.get(code)) }
            <h4>{ tr(lang, "learn_task") }</h4>
            { markdown(ex.task.get(code)) }
            if !ex.questions.is_empty() {
                <ul class="learn-questions">
                    { for ex.questions.iter().map(|q| html! {
                        <li><code>{ q.id.clone() }</code>{ " — " }{ q.text.get(code).to_string() }
                            if !q.choices.is_empty() { <span class="muted">{ format!(" ({})", q.choices.join(" | ")) }</span> }
                        </li>
                    }) }
                </ul>
            }
            if ex.answered_with_query {
                <p class="muted">{ tr(lang, "learn_query_hint") }</p>
            } else {
                <label class="label" for="learn-answer">{ tr(lang, "learn_answer") }</label>
                <textarea id="learn-answer" class="editor" data-testid="learn-answer" rows="4" spellcheck="false"
                    value={(**answer).clone()} oninput={on_answer} />
            }
            <div class="learn-actions">
                <button type="button" class="primary" data-testid="learn-check" onclick={check(false, false)}>{ tr(lang, "learn_check") }</button>
                if let Some(h) = next_hint {
                    <button type="button" data-testid="learn-hint" onclick={check(false, true)}>
                        { format!("{} (−{} {})", tr(lang, "learn_hint"), h.cost, tr(lang, "learn_hint_cost")) }
                    </button>
                }
                if ex.answered_with_query && !mine.details {
                    <button type="button" data-testid="learn-details" onclick={check(true, false)}>
                        { format!("{} (−{} {})", tr(lang, "learn_details"), exercises::report::DETAILS_COST, tr(lang, "learn_hint_cost")) }
                    </button>
                }
            </div>
            if mine.hints > 0 { <ul class="learn-hints" data-testid="learn-hints">{ for hints }</ul> }
            { match report {
                Some(Ok(r)) => feedback(lang, ex, &r, &mine),
                Some(Err(e)) => html! { <pre class="failure" role="alert" data-testid="learn-error">{ e }</pre> },
                None => html! {},
            } }
            <div class="learn-steps">
                if index > 0 { { step(index - 1, "learn_prev", "learn-prev") } }
                if index + 1 < count { { step(index + 1, "learn_next", "learn-next") } }
            </div>
        </section>
    }
}

fn feedback(lang: Lang, ex: &ExerciseView, r: &Report, mine: &ExerciseProgress) -> Html {
    let verdict = if r.solved { tr(lang, "learn_solved") } else { tr(lang, "learn_not_yet") };
    html! {
        <div class={classes!("learn-report", r.solved.then_some("solved"))} data-testid="learn-report" aria-live="polite">
            <p data-testid="learn-verdict"><strong>{ verdict }</strong>{ format!(" · {} {}", tr(lang, "learn_score"), r.score) }</p>
            <ul class="learn-feedback">
                { for r.feedback.iter().map(|f| html! {
                    <li class={format!("tier-{}", f.tier)} data-testid="learn-feedback" data-kind={f.kind.clone()}>{ f.message.clone() }</li>
                }) }
            </ul>
            if r.solved || mine.solved {
                <div class="learn-explanation" data-testid="learn-explanation">
                    <h4>{ tr(lang, "learn_explanation") }</h4>
                    { markdown(ex.explanation.get(lang.code())) }
                </div>
            }
        </div>
    }
}

/// Course text: paragraphs, fenced code blocks, and inline `code` and http(s) links — drawn as
/// text nodes, never as HTML.
fn markdown(text: &str) -> Html {
    let mut blocks = Vec::new();
    let mut in_code = false;
    let (mut para, mut code) = (String::new(), String::new());
    let flush = |para: &mut String, blocks: &mut Vec<Html>| {
        if !para.trim().is_empty() {
            blocks.push(html! { <p>{ segments_html(&rules::checklist::segments(&para.replace("**", ""))) }</p> });
        }
        para.clear();
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            if in_code {
                blocks.push(html! { <pre><code>{ std::mem::take(&mut code) }</code></pre> });
            } else {
                flush(&mut para, &mut blocks);
            }
            in_code = !in_code;
        } else if in_code {
            code.push_str(line);
            code.push('\n');
        } else if line.trim().is_empty() {
            flush(&mut para, &mut blocks);
        } else {
            para.push_str(line);
            para.push(' ');
        }
    }
    if in_code {
        blocks.push(html! { <pre><code>{ code }</code></pre> });
    }
    flush(&mut para, &mut blocks);
    html! { <div class="learn-text">{ for blocks }</div> }
}
