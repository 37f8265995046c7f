//! The results region: match count, one card per match, query and input errors.

use crate::i18n::{tr, Lang};
use crate::protocol::{EventRef, MatchView, Outcome, WaitingView};
use crate::state::Shown;
use rules::report::AlertSummary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The results on screen (compared by the run they came from, not item by item).
    pub shown: Option<Shown>,
    /// Opens the triage checklist about one result.
    pub on_triage: Callback<AlertSummary>,
    /// The selected result card, whose events the events table highlights.
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// Shows why an event (by index) does or does not match each term.
    pub on_explain: Callback<usize>,
    /// The loaded rule's `max_signals`: Kibana asks for at most this many results per run.
    pub max_alerts: Option<u32>,
    /// Downloads the results as JSON lines (`eqlplay match --with-source`).
    pub on_export: Callback<()>,
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    match props.shown.as_ref().map(|s| &*s.outcome) {
        None => html! { <p class="muted">{ tr(lang, "loading") }</p> },
        Some(Outcome::QueryErrors(errors)) => html! {
            <div class="query-errors">
                <h2>{ tr(lang, "query_error") }</h2>
                { for errors.iter().map(|e| html! {
                    <pre class="query-error" data-testid="query-error" title={e.position.clone()}>{ e.rendered.clone() }</pre>
                }) }
            </div>
        },
        Some(Outcome::Ran { matches, events, problems, problem_total, millis, total, near_misses, near_miss_total, exceptions, .. }) => {
            let total = *total;
            let noun = tr(lang, if total == 1 { "match" } else { "matches" });
            html! {
                <div class="results">
                    <h2 data-testid="match-count" class="match-count">
                        { format!("{total} {noun} {} {events} {}", tr(lang, "in_events"), tr(lang, "events_word")).trim().to_string() }
                        <span class="timing">{ format!(" · {millis:.0} ms") }</span>
                        if !matches.is_empty() {
                            <button type="button" class="link-button export-results" data-testid="export-results"
                                title={tr(lang, "export_results_title")}
                                onclick={props.on_export.reform(|_: MouseEvent| ())}>{ tr(lang, "export_results") }</button>
                        }
                    </h2>
                    { for problems.iter().map(|p| html! {
                        <div class="input-error" data-testid="input-error">{ format!("{} {}: {}", tr(lang, "line"), p.line, p.message) }</div>
                    }) }
                    if *problem_total > problems.len() {
                        <div class="input-error" data-testid="more-input-errors">{ tr(lang, "more_input_errors")
                            .replace("{n}", &(problem_total - problems.len()).to_string()) }</div>
                    }
                    if let Some(x) = exceptions {
                        <p class="exceptions-note" data-testid="exceptions-note">{ tr(lang, "exceptions_note")
                            .replace("{items}", &x.items.len().to_string())
                            .replace("{events}", &x.items.iter().map(|i| i.1).sum::<usize>().to_string()) }</p>
                    }
                    { max_alerts_note(lang, matches, total, props.max_alerts) }
                    { for matches.iter().enumerate().map(|(i, m)| match_card(lang, i, m, props, alerted(matches, total, props.max_alerts, i))) }
                    if total > matches.len() {
                        <p class="muted" data-testid="cards-capped">{ tr(lang, "cards_capped")
                            .replace("{shown}", &matches.len().to_string()).replace("{total}", &total.to_string()) }</p>
                    }
                    if !near_misses.is_empty() {
                        <section class="near-misses" data-testid="near-misses">
                            <h3>{ format!("{} ({near_miss_total})", tr(lang, "near_misses")) }</h3>
                            <ul>
                                { for near_misses.iter().map(|n| html! {
                                    <li data-testid="near-miss">
                                        <span class="stage">{ format!("{}/{}", n.matched, n.stages) }</span>
                                        <span class="line">{ format!("{} {}", tr(lang, "line"),
                                            n.lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")) }</span>
                                        <span class="reason">{ reason(lang, &n.reason, n.by_line) }</span>
                                        if !n.join_keys.is_empty() {
                                            <span class="keys">{ format!("{} {}", tr(lang, "by"), n.join_keys.join(", ")) }</span>
                                        }
                                        if let Some(w) = &n.waiting {
                                            { closest(lang, w, &props.on_explain) }
                                        }
                                    </li>
                                }) }
                            </ul>
                        </section>
                    }
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

/// The events closest to completing a pending partial, each a button that explains it.
fn closest(lang: Lang, w: &WaitingView, on_explain: &Callback<usize>) -> Html {
    let zh = lang == Lang::ZhCn;
    let t = w.term + 1;
    let line = |e: EventRef| {
        let on_explain = on_explain.clone();
        let label = if zh { format!("第 {} 行", e.line) } else { format!("line {}", e.line) };
        html! {
            <button type="button" class="link-button" data-testid="closest-event" title={tr(lang, "explain")}
                onclick={Callback::from(move |_: MouseEvent| on_explain.emit(e.index))}>{ label }</button>
        }
    };
    let mut items: Vec<Html> = Vec::new();
    if let Some(e) = w.earlier_same_key {
        let text = if zh { format!(" 符合条件 {t} 且键相同，但发生得更早（序列中的事件须依次发生）") }
            else { format!(" matches term {t} with the same key, but comes earlier (a sequence's events must follow each other)") };
        items.push(html! { <li>{ line(e) }{ text }</li> });
    }
    if let Some(e) = w.later_same_key {
        let text = if zh { format!(" 键相同，但不符合条件 {t}") } else { format!(" has the same key but does not match term {t}") };
        items.push(html! { <li>{ line(e) }{ text }</li> });
    }
    if let Some((e, differences)) = &w.later_other_key {
        // Whole values: ids of one host often share both a long prefix and a long suffix.
        let shown: Vec<Html> = differences
            .iter()
            .map(|(field, value)| {
                html! { <span class="key-diff"><code>{ field.clone() }</code>{ " = " }<code>{ value.clone() }</code></span> }
            })
            .collect();
        let text = match (differences.is_empty(), zh) {
            (true, false) => format!(" matches term {t}, but has no join key"),
            (true, true) => format!(" 符合条件 {t}，但缺少连接键"),
            (false, false) => format!(" matches term {t}, but with another key: "),
            (false, true) => format!(" 符合条件 {t}，但键不同："),
        };
        items.push(html! { <li>{ line(*e) }{ text }{ for shown }</li> });
    }
    if w.earlier_same_key.is_none() && w.later_other_key.is_none() {
        let text = match (zh, w.within_maxspan) {
            (false, false) => format!("no later event matches term {t}"),
            (false, true) => format!("no later event within maxspan matches term {t}"),
            (true, false) => format!("之后没有事件符合条件 {t}"),
            (true, true) => format!("maxspan 内之后没有事件符合条件 {t}"),
        };
        items.push(html! { <li>{ text }</li> });
    }
    html! { <ul class="closest" data-testid="closest">{ for items }</ul> }
}

/// Why a partial sequence ended, in words.
fn reason(lang: Lang, reason: &str, by: Option<u32>) -> String {
    let zh = lang == Lang::ZhCn;
    let by = by.map(|l| if zh { format!("（第 {l} 行）") } else { format!(" (line {l})") }).unwrap_or_default();
    match (reason, zh) {
        ("pending", false) => "never completed".into(),
        ("pending", true) => "未完成".into(),
        ("replaced", false) => format!("replaced by a newer partial{by}"),
        ("replaced", true) => format!("被更新的部分序列取代{by}"),
        ("expired", false) => format!("maxspan exceeded{by}"),
        ("expired", true) => format!("超出 maxspan{by}"),
        ("until", false) => format!("ended by until{by}"),
        ("until", true) => format!("被 until 终止{by}"),
        ("rejected_by_missing_event", false) => "a missing-event term was present".into(),
        ("rejected_by_missing_event", true) => "缺失事件条件存在匹配事件".into(),
        (other, _) => other.to_string(),
    }
}

/// The time between a result's first and last event, from their ISO timestamps.
fn time_span(m: &MatchView) -> Option<String> {
    let times: Vec<i64> = m
        .events
        .iter()
        .filter(|e| !e.missing)
        .filter_map(|e| eql::data::timestamp::parse_iso(&e.timestamp))
        .collect();
    let (first, last) = (times.iter().min()?, times.iter().max()?);
    if times.len() < 2 {
        return None;
    }
    let ms = (last - first) as f64 / 1e6;
    Some(if ms < 1000.0 { format!("{ms:.0} ms") } else if ms < 120_000.0 { format!("{:.1} s", ms / 1000.0) } else { format!("{:.1} min", ms / 60_000.0) })
}

/// Enter and Space act like a click on elements with `role="button"`.
pub fn on_activate(cb: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            cb.emit(());
        }
    })
}

/// Whether Kibana, asking for `max_alerts` results (`size = max_signals`, no result position),
/// would get result `index`: the most recent ones (the tail), or the first samples.
fn alerted(matches: &[MatchView], total: usize, max_alerts: Option<u32>, index: usize) -> bool {
    let Some(max) = max_alerts.map(|m| m as usize) else { return true };
    if matches.first().is_some_and(|m| m.sample) {
        index < max
    } else {
        index >= total.saturating_sub(max)
    }
}

/// Says when Kibana would raise fewer alerts than there are results.
fn max_alerts_note(lang: Lang, matches: &[MatchView], total: usize, max_alerts: Option<u32>) -> Html {
    let Some(max) = max_alerts.filter(|&m| total > m as usize) else { return html! {} };
    let m = total;
    let sample = matches.first().is_some_and(|m| m.sample);
    let text = match (lang == Lang::ZhCn, sample) {
        (false, false) => format!("Kibana asks for at most {max} results per run (the rule's max_signals): it would raise alerts for the {max} most recent of these {m} only."),
        (false, true) => format!("Kibana asks for at most {max} results per run (the rule's max_signals): it would raise alerts for the first {max} of these {m} samples only."),
        (true, false) => format!("Kibana 每次运行最多取 {max} 个结果（规则的 max_signals）：这 {m} 个结果中只有最近的 {max} 个会产生告警。"),
        (true, true) => format!("Kibana 每次运行最多取 {max} 个结果（规则的 max_signals）：这 {m} 个样本中只有前 {max} 个会产生告警。"),
    };
    html! { <p class="max-alerts-note" data-testid="max-alerts-note">{ text }</p> }
}

fn match_card(lang: Lang, index: usize, m: &MatchView, props: &ResultsProps, alerted: bool) -> Html {
    let triage = {
        let (on_triage, alert) = (props.on_triage.clone(), alert_summary(index, m));
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_triage.emit(alert.clone())
        })
    };
    let selected = props.selected == Some(index);
    let select = {
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(index))
    };
    let select_key = {
        let on_select = props.on_select.clone();
        on_activate(Callback::from(move |_| on_select.emit(index)))
    };
    html! {
        <article class={classes!("match", selected.then_some("selected"), (!alerted).then_some("not-alerted"))} data-testid="match" onclick={select}
            onkeydown={select_key} aria-pressed={selected.to_string()} tabindex="0" role="button">
            <header>
                <span class="match-no">{ format!("#{}", index + 1) }</span>
                if !alerted {
                    <span class="badge not-alerted-badge" data-testid="not-alerted" title={tr(lang, "not_alerted_title")}>{ tr(lang, "not_alerted") }</span>
                }
                if !m.join_keys.is_empty() {
                    <span class="keys">{ format!("{} {}", tr(lang, "by"), m.join_keys.join(", ")) }</span>
                }
                if let Some(span) = time_span(m) {
                    <span class="span" data-testid="match-span" title={tr(lang, "time_span")}>{ format!("⏱ {span}") }</span>
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
