//! The results region: match count, one card per match, query and input errors.

use crate::i18n::{tr, Lang};
use crate::protocol::{MatchView, Outcome};
use rules::report::AlertSummary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub outcome: Option<Outcome>,
    /// Opens the triage checklist about one result.
    pub on_triage: Callback<AlertSummary>,
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    match &props.outcome {
        None => html! { <p class="muted">{ tr(lang, "loading") }</p> },
        Some(Outcome::QueryErrors(errors)) => html! {
            <div class="query-errors">
                <h2>{ tr(lang, "query_error") }</h2>
                { for errors.iter().map(|e| html! {
                    <pre class="query-error" data-testid="query-error" title={e.position.clone()}>{ e.rendered.clone() }</pre>
                }) }
            </div>
        },
        Some(Outcome::Ran { matches, events, problems, millis }) => {
            let noun = tr(lang, if matches.len() == 1 { "match" } else { "matches" });
            html! {
                <div class="results">
                    <h2 data-testid="match-count" class="match-count">
                        { format!("{} {noun} {} {events} {}", matches.len(), tr(lang, "in_events"), tr(lang, "events_word")).trim().to_string() }
                        <span class="timing">{ format!(" · {millis:.0} ms") }</span>
                    </h2>
                    { for problems.iter().map(|p| html! {
                        <div class="input-error" data-testid="input-error">{ format!("{} {}: {}", tr(lang, "line"), p.line, p.message) }</div>
                    }) }
                    { for matches.iter().enumerate().map(|(i, m)| match_card(lang, i, m, &props.on_triage)) }
                </div>
            }
        }
    }
}

/// What the triage report says about a result.
fn alert_summary(index: usize, m: &MatchView) -> AlertSummary {
    let mut fields = Vec::new();
    if !m.join_keys.is_empty() {
        fields.push(("join keys".to_string(), m.join_keys.join(", ")));
    }
    for (i, e) in m.events.iter().enumerate() {
        let value = if e.missing {
            "(missing event)".to_string()
        } else {
            format!("line {} · {} · {}", e.line, e.timestamp, e.summary)
        };
        fields.push((format!("event {} (term {})", i + 1, e.term + 1), value));
    }
    AlertSummary { title: format!("Result #{}", index + 1), fields }
}

fn match_card(lang: Lang, index: usize, m: &MatchView, on_triage: &Callback<AlertSummary>) -> Html {
    let triage = {
        let (on_triage, alert) = (on_triage.clone(), alert_summary(index, m));
        Callback::from(move |_: MouseEvent| on_triage.emit(alert.clone()))
    };
    html! {
        <article class="match" data-testid="match">
            <header>
                <span class="match-no">{ format!("#{}", index + 1) }</span>
                if !m.join_keys.is_empty() {
                    <span class="keys">{ format!("{} {}", tr(lang, "by"), m.join_keys.join(", ")) }</span>
                }
                <button type="button" class="link-button" data-testid="triage-alert" onclick={triage}>{ tr(lang, "triage_alert") }</button>
            </header>
            <ol class="match-events">
                { for m.events.iter().map(|e| html! {
                    <li class={classes!("match-event", e.missing.then_some("missing"))}>
                        <span class="term">{ format!("{} {}", tr(lang, "term"), e.term + 1) }</span>
                        if e.missing {
                            <span class="summary">{ tr(lang, "missing_event") }</span>
                        } else {
                            <span class="line">{ format!("{} {}", tr(lang, "line"), e.line) }</span>
                            <span class="ts">{ e.timestamp.clone() }</span>
                            <span class="cat">{ e.category.clone() }</span>
                            <span class="summary">{ e.summary.clone() }</span>
                        }
                    </li>
                }) }
            </ol>
        </article>
    }
}
