//! The Tune tab: the query compared with a pinned version (results gained and lost, each with
//! its reason), the rule's exception items (opened from Kibana's export or written here, each
//! toggled, with the events it hid and the results it suppressed: `exceptions`), and the rule
//! on Kibana's schedule (`timeline`). What it shows comes from the shown run, which was computed with
//! exactly this baseline, these items and this schedule.

use crate::i18n::{tr, Lang};
use super::exceptions::ExceptionsSection;
use super::handover::{HandOver, HandOverSection};
use super::timeline::ScheduleSection;
use crate::protocol::{ChangeView, ComparisonView, Outcome, ScheduleSpec};
use crate::state::{Baseline, Exception, ExceptionEdit, Shown};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TuneProps {
    pub shown: Option<Shown>,
    pub baseline: Option<Baseline>,
    pub query: String,
    /// The loaded rule's query, if a rule is loaded.
    pub rule_query: Option<String>,
    /// The data stream the events would go into.
    pub index: String,
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
    pub on_hand_over: Callback<HandOver>,
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
            <HandOverSection has_rule={props.rule_query.is_some()} index={props.index.clone()} on_export={props.on_hand_over.clone()} />
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
