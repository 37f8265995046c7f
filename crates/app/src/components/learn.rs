//! The Learn tab: the built-in course's exercises with levels and progress; an exercise's
//! story and task, its events and starter query put in the editors, a Check button, the
//! feedback (counts; hints and the detailed explanation cost points), and the explanation once
//! solved. The built-in course, a pack file (TOML with its events inline, or a zip of the pack
//! and its data), or a pack link; a pack from a file can be handed on as a link. The trainer
//! module (exercise packs and the checker) is fetched when the tab first opens; progress is
//! kept in localStorage and can be exported.
//!
//! A report is shown only while the query (or answer) it graded is the one on screen. While a
//! predict exercise waits for its first answer, the page hides the query's results.

use super::checklist::segments_html;
use crate::i18n::{tr, Lang};
use crate::progress::{ExerciseProgress, Progress};
use crate::trainer;
use exercises::course_text::{self, Block};
use exercises::view::{CourseView, ExerciseView};
use exercises::Report;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LearnProps {
    /// The query in the editor now.
    pub query: String,
    /// The pack a link opened the page with (its files as JSON); else the built-in course.
    pub linked_pack: Option<AttrValue>,
    /// Opening an exercise: its starter query and its events go to the editors.
    pub on_open: Callback<(String, AttrValue)>,
    /// Whether the page must hide the results (a prediction is awaited).
    pub on_hide_results: Callback<bool>,
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
    // The link to the open pack, once made (`None` also for the built-in course).
    let pack_link = use_state(|| None::<Result<String, String>>);
    let from_user = use_state(|| false);
    // Showing a course the trainer opened: its progress, and no exercise chosen yet.
    // Showing a course the trainer opened (from the user's file or link when `user`): its
    // progress, and no exercise chosen yet.
    let show = {
        let (course, progress, current, graded) = (course.clone(), progress.clone(), current.clone(), graded.clone());
        let (pack_link, from_user) = (pack_link.clone(), from_user.clone());
        Callback::from(move |(opened, user): (Result<CourseView, String>, bool)| {
            let opened = opened.map(Rc::new);
            if let Ok(c) = &opened {
                progress.set(Progress::load(&c.id, &c.version));
            }
            current.set(None);
            graded.set(None);
            pack_link.set(None);
            from_user.set(user && opened.is_ok());
            course.set(Some(opened));
        })
    };
    {
        let show = show.clone();
        let linked = props.linked_pack.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                show.emit(match linked {
                    Some(json) => (trainer::open_link(&json).await, true),
                    None => (trainer::open_builtin().await, false),
                })
            });
        });
    }
    // A predict exercise hides the results until an answer to it has been graded.
    let awaiting = match (&*course, *current) {
        (Some(Ok(c)), Some(i)) => c.exercises.get(i).is_some_and(|ex| {
            let graded_here = graded.as_ref().is_some_and(|g| g.exercise == ex.id && g.report.is_ok());
            ex.hides_results && !progress.of(&ex.id).solved && !graded_here
        }),
        _ => false,
    };
    {
        let hide = props.on_hide_results.clone();
        use_effect_with(awaiting, move |awaiting| hide.emit(*awaiting));
    }
    let on_pack_file = {
        let show = show.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let (show, name) = (show.clone(), file.name());
            let file = gloo::file::File::from(file);
            wasm_bindgen_futures::spawn_local(async move {
                match gloo::file::futures::read_as_bytes(&file).await {
                    Ok(bytes) => show.emit((trainer::open_pack(&bytes, &name).await, true)),
                    Err(e) => show.emit((Err(format!("{name}: {e}")), true)),
                }
            });
        })
    };
    let on_builtin = {
        let show = show.clone();
        Callback::from(move |_: MouseEvent| {
            let show = show.clone();
            wasm_bindgen_futures::spawn_local(async move { show.emit((trainer::open_builtin().await, false)) });
        })
    };
    let on_pack_link = {
        let pack_link = pack_link.clone();
        Callback::from(move |_: MouseEvent| {
            let pack_link = pack_link.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let link = match trainer::pack_json().await {
                    Ok(json) => crate::share::encode_pack(&json).await,
                    Err(e) => Err(e),
                };
                let link = link.and_then(|fragment| {
                    let window = web_sys::window().ok_or("no window")?;
                    let _ = window.location().set_hash(&fragment);
                    let link = window.location().href().unwrap_or_default();
                    let _ = window.navigator().clipboard().write_text(&link);
                    Ok(link)
                });
                pack_link.set(Some(link));
            });
        })
    };
    let pack_picker = html! {
        <div class="learn-packs">
            <button type="button" data-testid="learn-builtin" onclick={on_builtin}>{ tr(lang, "learn_builtin") }</button>
            <label class="file-button">
                { tr(lang, "learn_pack_file") }
                <input type="file" accept=".toml,.zip" data-testid="learn-pack-file" onchange={on_pack_file} />
            </label>
            if *from_user {
                <button type="button" data-testid="learn-pack-link-make" onclick={on_pack_link}>{ tr(lang, "learn_pack_link") }</button>
            }
        </div>
    };
    let link_bar = match &*pack_link {
        Some(Ok(link)) => html! {
            <div class="share-bar">
                <input type="text" readonly=true value={link.clone()} data-testid="learn-pack-link" aria-label={tr(lang, "learn_pack_link")} />
                <span class="muted">{ tr(lang, "learn_pack_link_note") }</span>
            </div>
        },
        Some(Err(e)) => html! { <pre class="failure" role="alert" data-testid="learn-pack-error">{ e.clone() }</pre> },
        None => html! {},
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
            { link_bar }
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

/// Course text (see `exercises::course_text`), drawn as text nodes, never as HTML; inline
/// `code` and http(s) links as in the checklist.
fn markdown(text: &str) -> Html {
    let blocks = course_text::blocks(text).into_iter().map(|block| match block {
        Block::Paragraph(p) => html! { <p>{ inline(&p) }</p> },
        Block::Code(code) => html! { <pre><code>{ code }</code></pre> },
        Block::List { ordered: false, items } => html! { <ul>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ul> },
        Block::List { ordered: true, items } => html! { <ol>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ol> },
    });
    html! { <div class="learn-text">{ for blocks }</div> }
}

fn inline(text: &str) -> Html {
    course_text::strong_spans(text)
        .into_iter()
        .map(|(strong, part)| {
            let part = segments_html(&rules::checklist::segments(part));
            if strong { html! { <strong>{ part }</strong> } } else { part }
        })
        .collect()
}
