//! The rule on Kibana's schedule: every run that alerted as a band over its window, each result
//! as a mark at its first event — alerted, or never alerted with the reason — and the lists the
//! marks stand for. Drawn from the shown run, which simulated exactly this schedule.

use crate::i18n::{tr, Lang};
use crate::protocol::{MissedView, RunView, ScheduleSpec, ScheduleView, ScheduledResult};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScheduleProps {
    pub open: bool,
    pub spec: ScheduleSpec,
    pub view: Option<ScheduleView>,
    pub on_open: Callback<bool>,
    pub on_start: Callback<String>,
}

#[function_component(ScheduleSection)]
pub fn schedule_section(props: &ScheduleProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    if !props.open {
        return html! {
            <section class="schedule" data-testid="schedule">
                <h3>{ tr(lang, "schedule_title") }</h3>
                <p class="muted">{ tr(lang, "schedule_hint") }</p>
                <button type="button" data-testid="schedule-open" onclick={props.on_open.reform(|_: MouseEvent| true)}>{ tr(lang, "schedule_open") }</button>
            </section>
        };
    }
    let spec = &props.spec;
    let field = if spec.timestamp_override.is_empty() { "@timestamp" } else { spec.timestamp_override.as_str() };
    let on_start = props.on_start.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <section class="schedule" data-testid="schedule">
            <h3>{ tr(lang, "schedule_title") }</h3>
            <p data-testid="schedule-settings">{ tr(lang, "schedule_settings")
                .replace("{interval}", &spec.interval).replace("{from}", &spec.from)
                .replace("{max}", &spec.max_signals.to_string()).replace("{field}", field) }</p>
            <div class="buttons">
                <label>{ tr(lang, "schedule_start") }{ " " }
                    <input type="text" data-testid="schedule-start" value={spec.start.clone()} spellcheck="false"
                        placeholder={tr(lang, "schedule_start_hint")} onchange={on_start} />
                </label>
                <button type="button" data-testid="schedule-close" onclick={props.on_open.reform(|_: MouseEvent| false)}>{ tr(lang, "close") }</button>
            </div>
            { props.view.as_ref().map(|v| simulated(lang, v)).unwrap_or_default() }
            <p class="muted small">{ tr(lang, "schedule_cannot_know") }</p>
        </section>
    }
}

fn simulated(lang: Lang, view: &ScheduleView) -> Html {
    let ScheduleView::Simulated { first_ms, last_ms, lookback, runs_total, runs, never } = view else {
        let ScheduleView::Invalid(e) = view else { return Html::default() };
        return html! { <div class="input-error" data-testid="schedule-error">{ e.clone() }</div> };
    };
    let alerts: usize = runs.iter().map(|r| r.alerts.len()).sum();
    html! {
        <>
            <p class="compare-summary" data-testid="schedule-summary">{ tr(lang, "schedule_summary")
                .replace("{runs}", &runs_total.to_string()).replace("{alerts}", &alerts.to_string())
                .replace("{never}", &never.len().to_string()) }</p>
            { timeline(lang, *first_ms, *last_ms, runs, never) }
            if !never.is_empty() {
                <h4>{ tr(lang, "never_alerted") }</h4>
                <ul class="never-alerted">
                    { for never.iter().map(|(r, why)| html! {
                        <li data-testid="never-alerted"><span class="line">{ lines(lang, r) }</span>{ ": " }{ missed(lang, why, lookback) }</li>
                    }) }
                </ul>
            }
            if !runs.is_empty() {
                <h4>{ tr(lang, "runs_that_alerted") }</h4>
                <ul class="scheduled-runs">{ for runs.iter().map(|r| run_item(lang, r)) }</ul>
            }
        </>
    }
}

fn lines(lang: Lang, r: &ScheduledResult) -> String {
    let each: Vec<String> = r.lines.iter().map(|l| if *l == 0 { "—".to_string() } else { format!("{} {l}", tr(lang, "line")) }).collect();
    each.join(" → ")
}

fn missed(lang: Lang, why: &MissedView, lookback: &str) -> String {
    match why {
        MissedView::LongerThanLookback { span } => tr(lang, "missed_long").replace("{span}", span).replace("{lookback}", lookback),
        MissedView::CutByMaxSignals { max_signals } => tr(lang, "missed_cut").replace("{max}", &max_signals.to_string()),
        MissedView::OutsideEveryWindow => tr(lang, "missed_outside").to_string(),
    }
}

fn run_item(lang: Lang, r: &RunView) -> Html {
    let mut parts = vec![];
    if !r.alerts.is_empty() {
        parts.push(format!("{} {}", tr(lang, "alerts_on"), r.alerts.iter().map(|a| lines(lang, a)).collect::<Vec<_>>().join("; ")));
    }
    if r.suppressed_duplicates > 0 {
        parts.push(tr(lang, "run_duplicates").replace("{n}", &r.suppressed_duplicates.to_string()));
    }
    if r.cut_by_max_signals > 0 {
        parts.push(tr(lang, "run_cut").replace("{n}", &r.cut_by_max_signals.to_string()));
    }
    html! { <li data-testid="schedule-run"><span class="timing">{ r.run_at.clone() }</span>{ " — " }{ parts.join(" · ") }</li> }
}

/// The timeline: x is time from the first to the last event; runs' windows as bands on three
/// alternating rows, alerted results as dots, never-alerted ones as crosses.
fn timeline(lang: Lang, first: i64, last: i64, runs: &[RunView], never: &[(ScheduledResult, MissedView)]) -> Html {
    let (left, width) = (10.0, 980.0);
    let lo = runs.iter().map(|r| r.from_ms).chain([first]).min().unwrap_or(first);
    let hi = last.max(lo + 1);
    let at = |ms: i64| eql::data::timestamp::format_iso_millis(ms.saturating_mul(1_000_000));
    let x = |t: i64| left + (t.clamp(lo, hi) - lo) as f64 / (hi - lo) as f64 * width;
    let band = |i: usize, r: &RunView| {
        let (x0, x1) = (x(r.from_ms), x(r.run_ms));
        html! {
            <rect class="run-band" x={format!("{x0:.1}")} y={(8 + (i % 3) * 14).to_string()} width={format!("{:.1}", (x1 - x0).max(1.5))} height="10">
                <title>{ format!("{} {}", tr(lang, "run_at"), r.run_at) }</title>
            </rect>
        }
    };
    let dot = |r: &ScheduledResult| html! {
        <circle class="alert-mark" cx={format!("{:.1}", x(r.first_ms))} cy="64" r="5"><title>{ lines(lang, r) }</title></circle>
    };
    let cross = |r: &ScheduledResult| {
        let (cx, cy) = (x(r.first_ms), 84.0);
        html! {
            <g class="missed-mark" data-testid="missed-mark">
                <title>{ lines(lang, r) }</title>
                <line x1={format!("{:.1}", cx - 5.0)} y1={format!("{:.1}", cy - 5.0)} x2={format!("{:.1}", cx + 5.0)} y2={format!("{:.1}", cy + 5.0)} />
                <line x1={format!("{:.1}", cx - 5.0)} y1={format!("{:.1}", cy + 5.0)} x2={format!("{:.1}", cx + 5.0)} y2={format!("{:.1}", cy - 5.0)} />
                if r.last_ms > r.first_ms {
                    <line class="span" x1={format!("{cx:.1}")} y1={format!("{cy:.1}")} x2={format!("{:.1}", x(r.last_ms))} y2={format!("{cy:.1}")} />
                }
            </g>
        }
    };
    html! {
        <svg class="timeline" data-testid="timeline" viewBox="0 0 1000 114" role="img" aria-label={tr(lang, "schedule_title")}>
            <line class="axis" x1="10" y1="96" x2="990" y2="96" />
            <text class="axis-label" x="10" y="110">{ at(lo) }</text>
            <text class="axis-label" x="990" y="110" text-anchor="end">{ at(hi) }</text>
            { for runs.iter().enumerate().map(|(i, r)| band(i, r)) }
            { for runs.iter().flat_map(|r| r.alerts.iter()).map(dot) }
            { for never.iter().map(|(r, _)| cross(r)) }
        </svg>
    }
}
