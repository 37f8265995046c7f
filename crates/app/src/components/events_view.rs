//! The events table — only the visible rows are drawn, so it stays fast at 100k+ events —
//! with matched rows marked by the term they matched, a filter, and the explanation of the
//! selected event: its JSON with the query's fields highlighted, and each predicate's outcome.

use crate::i18n::{tr, Lang};
use crate::protocol::{ConditionView, ExplainView, RowFilter, RowView};
use crate::state::Rows;
use std::rc::Rc;
use web_sys::Element;
use yew::prelude::*;

/// Row height in pixels (fixed, so the scroll position gives the first visible row).
const ROW_HEIGHT: f64 = 26.0;
/// Rows drawn above and below the visible ones.
const OVERSCAN: usize = 30;
/// Rows visible in the viewport (its CSS height is VISIBLE_ROWS * ROW_HEIGHT).
const VISIBLE_ROWS: usize = 20;

#[derive(Properties, PartialEq)]
pub struct EventsViewProps {
    /// The window of rows the worker sent for the shown run (`None` until it arrives).
    pub rows: Option<Rc<Rows>>,
    pub filter: RowFilter,
    pub selected_match: Option<usize>,
    pub selected_event: Option<usize>,
    pub explanation: Option<Rc<ExplainView>>,
    pub on_window: Callback<usize>,
    pub on_filter: Callback<RowFilter>,
    pub on_select: Callback<usize>,
}

#[function_component(EventsView)]
pub fn events_view(props: &EventsViewProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let viewport = use_node_ref();
    let (start, total, rows): (usize, usize, &[RowView]) = match &props.rows {
        Some(r) => (r.start, r.total, &r.rows),
        None => (0, 0, &[]),
    };
    let on_scroll = {
        let (viewport, on_window, len) = (viewport.clone(), props.on_window.clone(), rows.len());
        Callback::from(move |_: Event| {
            if let Some(el) = viewport.cast::<Element>() {
                let first = (el.scroll_top() as f64 / ROW_HEIGHT) as usize;
                let wanted_start = first.saturating_sub(OVERSCAN);
                let covered = first >= start && first + VISIBLE_ROWS <= start + len;
                if !covered {
                    on_window.emit(wanted_start);
                }
            }
        })
    };
    let filter_button = |f: RowFilter, key: &str, test_id: &'static str| {
        let on_filter = props.on_filter.clone();
        let pressed = props.filter == f;
        html! {
            <button type="button" aria-pressed={pressed.to_string()} class={classes!(pressed.then_some("selected"))}
                data-testid={test_id} onclick={Callback::from(move |_: MouseEvent| on_filter.emit(f))}>{ tr(lang, key) }</button>
        }
    };
    let top = start as f64 * ROW_HEIGHT;
    let bottom = (total.saturating_sub(start + rows.len())) as f64 * ROW_HEIGHT;
    html! {
        <div class="events-view">
            <div class="filters" role="group">
                { filter_button(RowFilter::All, "all", "filter-all") }
                { filter_button(RowFilter::Matched, "matched", "filter-matched") }
                { filter_button(RowFilter::Unmatched, "unmatched", "filter-unmatched") }
                <span class="muted" data-testid="row-count">{ format!("{total} {}", tr(lang, "events_word")) }</span>
            </div>
            <div class="table-viewport" ref={viewport} onscroll={on_scroll} data-testid="events-table"
                style={format!("height: {}px", VISIBLE_ROWS as f64 * ROW_HEIGHT)}>
                <div style={format!("height: {top}px")}></div>
                { for rows.iter().map(|row| event_row(lang, row, props)) }
                <div style={format!("height: {bottom}px")}></div>
            </div>
            if let Some(explanation) = &props.explanation {
                <ExplainPanel explanation={explanation.clone()} />
            }
        </div>
    }
}

fn event_row(lang: Lang, row: &RowView, props: &EventsViewProps) -> Html {
    let in_selected = props.selected_match.is_some_and(|m| row.matched.iter().any(|(r, _)| *r == m));
    let selected = props.selected_event == Some(row.index);
    let on_select = {
        let (cb, index) = (props.on_select.clone(), row.index);
        Callback::from(move |_: MouseEvent| cb.emit(index))
    };
    let on_key = {
        let (cb, index) = (props.on_select.clone(), row.index);
        super::results::on_activate(Callback::from(move |_| cb.emit(index)))
    };
    let terms: Vec<String> =
        row.matched.iter().map(|(r, t)| format!("#{} {} {}", r + 1, tr(lang, "term"), t + 1)).collect();
    html! {
        <div class={classes!("event-row", (!row.matched.is_empty()).then_some("matched"),
                in_selected.then_some("in-selected"), selected.then_some("selected"))}
            role="button" tabindex="0" data-testid="event-row" data-line={row.line.to_string()}
            style={format!("height: {ROW_HEIGHT}px")} onclick={on_select} onkeydown={on_key}>
            <span class="line">{ row.line }</span>
            <span class="ts">{ row.timestamp.clone() }</span>
            <span class="cat">{ row.category.clone() }</span>
            <span class="terms">{ terms.join(", ") }</span>
            <span class="summary">{ row.summary.clone() }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ExplainPanelProps {
    explanation: Rc<ExplainView>,
}

#[function_component(ExplainPanel)]
fn explain_panel(props: &ExplainPanelProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let e = &props.explanation;
    html! {
        <div class="explain" data-testid="explain">
            <h3>{ format!("{} {} — {}", tr(lang, "line"), e.line, tr(lang, "explain")) }</h3>
            <div class="explain-grid">
                <pre class="event-json" data-testid="event-json">
                    { for e.json.iter().map(|l| html! { <span class={classes!("json-line", l.hot.then_some("hot"))}>{ format!("{}\n", l.text) }</span> }) }
                </pre>
                <div class="explain-terms">
                    { for e.terms.iter().map(|t| html! {
                        <section class={classes!("explain-term", if t.verdict { "yes" } else { "no" })} data-testid="explain-term">
                            <h4>{ if t.until { "until".to_string() } else { format!("{} {}", tr(lang, "term"), t.source_term + 1) } }
                                <span class="verdict">{ if t.verdict { " ✓" } else { " ✗" } }</span></h4>
                            <ul class="conditions">{ condition(&t.condition) }</ul>
                        </section>
                    }) }
                </div>
            </div>
        </div>
    }
}

fn condition(c: &ConditionView) -> Html {
    let values = c
        .fields
        .iter()
        .map(|f| match f.status.as_str() {
            "present" => format!("{} = {}", f.field, f.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")),
            other => format!("{} ({other})", f.field),
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        <li class={classes!("condition", format!("outcome-{}", c.outcome))} data-testid="predicate">
            <span class="outcome">{ c.outcome.replace('_', " ") }</span>
            <code>{ if c.kind == "leaf" || c.kind == "category" || c.kind == "constant" { c.text.clone() } else { c.kind.clone() } }</code>
            if !values.is_empty() { <span class="values">{ values }</span> }
            if !c.children.is_empty() {
                <ul>{ for c.children.iter().map(condition) }</ul>
            }
        </li>
    }
}
