//! The results region: match count, one card per match, query and input errors.

use crate::protocol::{MatchView, Outcome};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub outcome: Option<Outcome>,
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    match &props.outcome {
        None => html! { <p class="muted">{ "Loading events…" }</p> },
        Some(Outcome::QueryErrors(errors)) => html! {
            <div class="query-errors">
                <h2>{ "The query has an error" }</h2>
                { for errors.iter().map(|e| html! {
                    <pre class="query-error" data-testid="query-error" title={e.position.clone()}>{ e.rendered.clone() }</pre>
                }) }
            </div>
        },
        Some(Outcome::Ran { matches, events, problems, millis }) => html! {
            <div class="results">
                <h2 data-testid="match-count" class="match-count">
                    { format!("{} {} in {} events", matches.len(), if matches.len() == 1 { "match" } else { "matches" }, events) }
                    <span class="timing">{ format!(" · {millis:.0} ms") }</span>
                </h2>
                { for problems.iter().map(|p| html! {
                    <div class="input-error" data-testid="input-error">{ format!("line {}: {}", p.line, p.message) }</div>
                }) }
                { for matches.iter().enumerate().map(|(i, m)| match_card(i, m)) }
            </div>
        },
    }
}

fn match_card(index: usize, m: &MatchView) -> Html {
    html! {
        <article class="match" data-testid="match">
            <header>
                <span class="match-no">{ format!("#{}", index + 1) }</span>
                if !m.join_keys.is_empty() {
                    <span class="keys">{ format!("by {}", m.join_keys.join(", ")) }</span>
                }
            </header>
            <ol class="match-events">
                { for m.events.iter().map(|e| html! {
                    <li class={classes!("match-event", e.missing.then_some("missing"))}>
                        <span class="term">{ format!("term {}", e.term + 1) }</span>
                        if e.missing {
                            <span class="summary">{ "no matching event (missing-event term)" }</span>
                        } else {
                            <span class="line">{ format!("line {}", e.line) }</span>
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
