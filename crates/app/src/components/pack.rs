//! The Pack tab: a whole rule pack (a Kibana export, detection-rules TOML files, a folder or a
//! zip of them) over the loaded events. The rules that fired — sortable, filterable, each opened
//! as if it had been loaded alone — what fired on each host, all alerts on one timeline, and
//! what was not run or failed, with why.

use crate::i18n::{tr, Lang};
use crate::protocol::{FiredRule, PackAlert, PackView};
use crate::state::OpenPack;
use std::collections::BTreeMap;
use std::rc::Rc;
use super::drop_zone::use_drop_zone;
use web_sys::{FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PackProps {
    pub pack: Option<OpenPack>,
    /// Its results over the events on screen (`None` while it is read or runs).
    pub view: Option<Rc<PackView>>,
    pub settled: bool,
    /// Why the last request failed (a pack that could not be read says so here too).
    pub failure: Option<String>,
    /// Files chosen or dropped: `[file, path]` pairs, and the paths.
    pub on_load: Callback<(js_sys::Array, Vec<String>)>,
    /// Close the pack (Cancel, while it runs).
    pub on_close: Callback<()>,
    /// Open the pack's rule at this index as if loaded alone.
    pub on_open: Callback<usize>,
    /// Download the alerts as `eqlplay scan` prints them.
    pub on_download: Callback<()>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Severity,
    Risk,
    Alerts,
    Hosts,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Rules,
    Hosts,
    Timeline,
}

/// Severities by rank, highest first (Kibana's four).
fn severity_rank(severity: &str) -> u8 {
    match severity.to_ascii_lowercase().as_str() {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

/// Whether a fired rule is kept by the filter text (its name, id, severity, techniques, hosts).
fn kept(rule: &FiredRule, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty()
        || [&rule.name, &rule.rule_id, &rule.severity].iter().any(|s| s.to_lowercase().contains(&f))
        || rule.techniques.iter().chain(&rule.hosts).any(|s| s.to_lowercase().contains(&f))
        || (rule.building_block && "building block".contains(&f))
}

/// The fired rules kept by the filter, sorted (descending for numbers and severity).
fn sorted<'a>(view: &'a PackView, filter: &str, by: Sort, ascending: bool) -> Vec<(usize, &'a FiredRule)> {
    let mut rules: Vec<(usize, &FiredRule)> = view.fired.iter().enumerate().filter(|(_, r)| kept(r, filter)).collect();
    rules.sort_by(|(_, a), (_, b)| {
        let order = match by {
            Sort::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            Sort::Severity => severity_rank(&b.severity).cmp(&severity_rank(&a.severity)),
            Sort::Risk => b.risk_score.cmp(&a.risk_score),
            Sort::Alerts => b.alerts.cmp(&a.alerts),
            Sort::Hosts => b.hosts.len().cmp(&a.hosts.len()),
        };
        if ascending { order.reverse() } else { order }
    });
    rules
}

/// Chosen files as the worker takes them: `[file, path]` pairs (the path inside a chosen
/// folder, else the name), and the paths.
fn files_of(list: Option<FileList>) -> (js_sys::Array, Vec<String>) {
    let (files, mut names) = (js_sys::Array::new(), Vec::new());
    if let Some(list) = list {
        for file in (0..list.length()).filter_map(|i| list.get(i)) {
            let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string()).filter(|p| !p.is_empty());
            let path = relative.unwrap_or_else(|| file.name());
            files.push(&js_sys::Array::of2(&file, &path.clone().into()));
            names.push(path);
        }
    }
    (files, names)
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/dropped.js")]
extern "C" {
    /// The dropped files, folders walked, as `[file, path]` pairs. Called during the drop event
    /// (its items are gone after it), so it is not an `async fn`, which would start later.
    #[wasm_bindgen(js_name = droppedFiles)]
    fn dropped_files(dropped: &web_sys::DataTransfer) -> js_sys::Promise;
}

#[function_component(PackTab)]
pub fn pack_tab(props: &PackProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let filter = use_state(String::new);
    let sort = use_state(|| (Sort::Severity, false));
    let show = use_state(|| Show::Rules);

    let load = {
        let on_load = props.on_load.clone();
        Callback::from(move |(files, names): (js_sys::Array, Vec<String>)| {
            if files.length() > 0 {
                on_load.emit((files, names));
            }
        })
    };
    let on_files = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            load.emit(files_of(input.files()));
            // Choosing the same files again (edited since) must load them again.
            input.set_value("");
        })
    };
    let on_dropped = {
        let load = load.clone();
        Callback::from(move |dropped: web_sys::DataTransfer| {
            let (load, walked) = (load.clone(), wasm_bindgen_futures::JsFuture::from(dropped_files(&dropped)));
            wasm_bindgen_futures::spawn_local(async move {
                let pairs = js_sys::Array::from(&walked.await.unwrap_or_default());
                let names = pairs.iter().filter_map(|p| js_sys::Array::from(&p).get(1).as_string()).collect();
                load.emit((pairs, names));
            });
        })
    };
    let drop = use_drop_zone(on_dropped);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let show_button = |which: Show, key: &str, test_id: &'static str| {
        let show = show.clone();
        let selected = *show == which;
        html! {
            <button type="button" class={classes!("toggle", selected.then_some("selected"))} aria-pressed={selected.to_string()}
                data-testid={test_id} onclick={Callback::from(move |_: MouseEvent| show.set(which))}>{ tr(lang, key) }</button>
        }
    };

    // The pack is being read or run (not merely a query edit on its way): no view yet, or the
    // worker reports progress.
    let running = props.pack.as_ref().is_some_and(|p| !props.settled && (props.view.is_none() || p.progress.is_some()));
    // Settled without a view: the pack could not be read (the worker said why).
    let unreadable = props.pack.is_some() && props.settled && props.view.is_none();
    html! {
        <div class={classes!("pack-tab", drop.dragging.then_some("dragging"))} data-testid="pack-tab"
            ondrop={drop.ondrop} ondragover={drop.ondragover} ondragleave={drop.ondragleave}>
            <h3>{ tr(lang, "pack_title") }</h3>
            <p class="muted">{ tr(lang, "pack_hint") }</p>
            <div class="pack-load">
                <label class="file-button">
                    { tr(lang, "pack_files") }
                    <input type="file" multiple=true accept=".toml,.ndjson,.json,.jsonl,.zip" data-testid="pack-files" onchange={on_files.clone()} />
                </label>
                <label class="file-button">
                    { tr(lang, "pack_folder") }
                    <input type="file" webkitdirectory=true data-testid="pack-folder" onchange={on_files} />
                </label>
                if props.pack.is_some() {
                    <button type="button" data-testid="pack-close" onclick={on_close}>
                        { tr(lang, if running { "cancel" } else { "pack_close" }) }
                    </button>
                }
            </div>
            if let Some(pack) = &props.pack {
                <p class="muted" data-testid="pack-files-read">{ files_line(lang, &pack.files) }</p>
                if running {
                    <div class="busy" data-testid="pack-running">
                        <span class="spinner" aria-hidden="true"></span>
                        if let Some((done, total)) = pack.progress {
                            <progress max={total.to_string()} value={done.to_string()}></progress>
                            <span>{ tr(lang, "pack_progress").replace("{percent}", &(done * 100 / total.max(1)).to_string()) }</span>
                        } else {
                            <span>{ tr(lang, "pack_reading") }</span>
                        }
                    </div>
                }
            }
            if unreadable {
                <div class="failure" role="alert" data-testid="pack-failure">
                    { props.failure.clone().unwrap_or_else(|| tr(lang, "pack_unreadable").to_string()) }
                </div>
            }
            if let Some(view) = &props.view {
                <p class="pack-summary" data-testid="pack-summary">{ summary(lang, view) }</p>
                if view.excepted_rules > 0 {
                    <p class="muted" data-testid="pack-exceptions">{ tr(lang, "pack_exceptions")
                        .replace("{events}", &view.hidden_events.to_string()).replace("{rules}", &view.excepted_rules.to_string()) }</p>
                }
                <div class="pack-controls">
                    { show_button(Show::Rules, "pack_show_rules", "pack-show-rules") }
                    { show_button(Show::Hosts, "pack_show_hosts", "pack-show-hosts") }
                    { show_button(Show::Timeline, "pack_show_timeline", "pack-show-timeline") }
                    <input type="search" class="pack-filter" data-testid="pack-filter" placeholder={tr(lang, "pack_filter")}
                        aria-label={tr(lang, "pack_filter")} value={(*filter).clone()} oninput={on_filter} />
                </div>
                if view.alert_total > 0 {
                    <button type="button" data-testid="pack-download"
                        onclick={props.on_download.reform(|_: MouseEvent| ())}>{ tr(lang, "pack_download") }</button>
                }
                if view.alert_total > view.alerts.len() {
                    <p class="muted">{ tr(lang, "pack_alerts_capped").replace("{shown}", &view.alerts.len().to_string()).replace("{total}", &view.alert_total.to_string()) }</p>
                }
                {
                    match *show {
                        Show::Rules => rules_table(lang, view, &filter, &sort, &props.on_open),
                        Show::Hosts => hosts(lang, view, &filter, &props.on_open),
                        Show::Timeline => timeline(lang, view, &filter),
                    }
                }
                { not_run_and_failed(lang, view) }
            }
        </div>
    }
}

fn files_line(lang: Lang, files: &[String]) -> String {
    let mut shown: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
    let more = files.len().saturating_sub(shown.len());
    let more_text = tr(lang, "pack_more_files").replace("{n}", &more.to_string());
    if more > 0 {
        shown.push(&more_text);
    }
    format!("{} {}", tr(lang, "pack_from"), shown.join(", "))
}

fn summary(lang: Lang, view: &PackView) -> String {
    tr(lang, "pack_summary")
        .replace("{rules}", &view.rules.to_string())
        .replace("{ran}", &view.ran.to_string())
        .replace("{fired}", &view.fired.len().to_string())
        .replace("{alerts}", &view.alert_total.to_string())
        .replace("{events}", &view.events.to_string())
        .replace("{seconds}", &format!("{:.2}", view.millis / 1000.0))
}

fn rules_table(lang: Lang, view: &PackView, filter: &str, sort: &UseStateHandle<(Sort, bool)>, on_open: &Callback<usize>) -> Html {
    let (by, ascending) = **sort;
    let header = |which: Sort, key: &str, test_id: &'static str| {
        let sort = sort.clone();
        let state = match (by == which, ascending) {
            (false, _) => "none",
            (true, false) => "descending",
            (true, true) => "ascending",
        };
        let onclick = Callback::from(move |_: MouseEvent| {
            let (now, asc) = *sort;
            sort.set((which, now == which && !asc));
        });
        html! { <th aria-sort={state}><button type="button" class="sort" data-testid={test_id} {onclick}>{ tr(lang, key) }</button></th> }
    };
    let rows = sorted(view, filter, by, ascending);
    if view.fired.is_empty() {
        return html! { <p class="muted" data-testid="pack-none-fired">{ tr(lang, "pack_none_fired") }</p> };
    }
    html! {
        <table class="pack-rules" data-testid="pack-rules">
            <thead><tr>
                { header(Sort::Name, "pack_col_rule", "pack-sort-name") }
                { header(Sort::Severity, "pack_col_severity", "pack-sort-severity") }
                { header(Sort::Risk, "pack_col_risk", "pack-sort-risk") }
                <th>{ "MITRE ATT&CK" }</th>
                { header(Sort::Alerts, "pack_col_alerts", "pack-sort-alerts") }
                { header(Sort::Hosts, "pack_col_hosts", "pack-sort-hosts") }
            </tr></thead>
            <tbody>
            { for rows.into_iter().map(|(_, r)| {
                let (on_open, index) = (on_open.clone(), r.index);
                html! {
                    <tr data-testid="pack-rule">
                        <td><button type="button" class="link" data-testid="pack-open" title={tr(lang, "pack_open")}
                            onclick={Callback::from(move |_: MouseEvent| on_open.emit(index))}>{ r.name.clone() }</button>
                            if r.building_block {
                                { " " }<span class="bb-badge" data-testid="pack-building-block" title={tr(lang, "pack_building_block_hint")}>{ tr(lang, "pack_building_block") }</span>
                            }
                        </td>
                        <td class={classes!("severity", format!("sev-{}", r.severity.to_ascii_lowercase()))}>{ r.severity.clone() }</td>
                        <td class="num">{ r.risk_score.map(|s| s.to_string()).unwrap_or_default() }</td>
                        <td>{ r.techniques.join(", ") }</td>
                        <td class="num" data-testid="pack-rule-alerts">{ r.alerts }</td>
                        <td title={r.hosts.join(", ")}>{ r.hosts.len() }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

/// Per host: the rules that fired on it, with their alert counts, most alerts first.
fn hosts(lang: Lang, view: &PackView, filter: &str, on_open: &Callback<usize>) -> Html {
    let f = filter.trim().to_lowercase();
    let mut by_host: BTreeMap<&str, BTreeMap<usize, usize>> = BTreeMap::new();
    for a in &view.alerts {
        *by_host.entry(a.host.as_str()).or_default().entry(a.rule).or_default() += 1;
    }
    let mut hosts: Vec<(&str, BTreeMap<usize, usize>)> = by_host
        .into_iter()
        .filter(|(host, rules)| f.is_empty() || host.to_lowercase().contains(&f) || rules.keys().any(|&r| view.fired.get(r).is_some_and(|r| kept(r, filter))))
        .collect();
    hosts.sort_by_key(|(host, rules)| (std::cmp::Reverse(rules.values().sum::<usize>()), *host));
    html! {
        <div class="pack-hosts" data-testid="pack-hosts">
        { for hosts.into_iter().map(|(host, rules)| {
            let total: usize = rules.values().sum();
            let mut rules: Vec<(usize, usize)> = rules.into_iter().collect();
            rules.sort_by_key(|&(r, n)| (std::cmp::Reverse(n), r));
            html! {
                <section class="pack-host" data-testid="pack-host">
                    <h4>
                        <span data-testid="pack-host-name">{ if host.is_empty() { tr(lang, "pack_no_host").to_string() } else { host.to_string() } }</span>
                        <span class="muted">{ format!(" — {total} {}", tr(lang, "pack_col_alerts").to_lowercase()) }</span>
                    </h4>
                    <ul>
                    { for rules.into_iter().filter_map(|(r, n)| view.fired.get(r).map(|rule| (rule, n))).map(|(rule, n)| {
                        let (on_open, index) = (on_open.clone(), rule.index);
                        html! {
                            <li>
                                <span class={classes!("severity", format!("sev-{}", rule.severity.to_ascii_lowercase()))}>{ rule.severity.clone() }</span>
                                { " " }
                                <button type="button" class="link" onclick={Callback::from(move |_: MouseEvent| on_open.emit(index))}>{ rule.name.clone() }</button>
                                <span class="muted">{ format!(" × {n}") }</span>
                            </li>
                        }
                    }) }
                    </ul>
                </section>
            }
        }) }
        </div>
    }
}

/// Every alert on one time axis, a row per rule, coloured by severity.
fn timeline(lang: Lang, view: &PackView, filter: &str) -> Html {
    let rules: Vec<(usize, &FiredRule)> = view.fired.iter().enumerate().filter(|(_, r)| kept(r, filter)).collect();
    let alerts: Vec<&PackAlert> = view.alerts.iter().filter(|a| a.first_ms.is_some() && rules.iter().any(|(i, _)| *i == a.rule)).collect();
    let (Some(first), Some(last)) = (alerts.iter().filter_map(|a| a.first_ms).min(), alerts.iter().filter_map(|a| a.last_ms).max()) else {
        return html! { <p class="muted">{ tr(lang, "pack_no_times") }</p> };
    };
    // In the units of a ~640 px wide pane, so the text keeps its size.
    const LEFT: f64 = 190.0;
    const WIDTH: f64 = 420.0;
    const ROW: f64 = 24.0;
    let span = (last - first).max(1) as f64;
    let x = |ms: i64| LEFT + (ms - first) as f64 / span * WIDTH;
    let height = ROW * rules.len() as f64 + 30.0;
    let iso = |ms: i64| js_sys::Date::new(&(ms as f64).into()).to_iso_string().as_string().unwrap_or_default();
    html! {
        <svg class="pack-timeline" data-testid="pack-timeline" viewBox={format!("0 0 {} {height}", LEFT + WIDTH + 20.0)} role="img"
            aria-label={tr(lang, "pack_show_timeline")}>
            { for rules.iter().enumerate().map(|(row, (i, rule))| {
                let y = ROW * row as f64 + ROW / 2.0;
                let severity = format!("sev-{}", rule.severity.to_ascii_lowercase());
                html! {
                    <g>
                        <text x="0" y={(y + 4.0).to_string()} class="label">{ shorten(&rule.name, 24) }</text>
                        <line x1={LEFT.to_string()} x2={(LEFT + WIDTH).to_string()} y1={y.to_string()} y2={y.to_string()} class="row" />
                        { for alerts.iter().filter(|a| a.rule == *i).map(|a| {
                            let (start, end) = (a.first_ms.unwrap_or(first), a.last_ms.unwrap_or(first));
                            html! {
                                <g class={classes!("alert", severity.clone())} data-testid="pack-timeline-alert">
                                    <title>{ format!("{} — {} — {} … {} — {} {}", rule.name, a.host, iso(start), iso(end), tr(lang, "line"),
                                        a.lines.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")) }</title>
                                    <line x1={x(start).to_string()} x2={x(end).to_string()} y1={y.to_string()} y2={y.to_string()} class="span" />
                                    <circle cx={x(start).to_string()} cy={y.to_string()} r="5" />
                                </g>
                            }
                        }) }
                    </g>
                }
            }) }
            <text x={LEFT.to_string()} y={(height - 8.0).to_string()} class="axis">{ iso(first).replace('T', " ") }</text>
            <text x={(LEFT + WIDTH).to_string()} y={(height - 8.0).to_string()} class="axis" text-anchor="end">{ iso(last).replace('T', " ") }</text>
        </svg>
    }
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn not_run_and_failed(lang: Lang, view: &PackView) -> Html {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, kind) in &view.not_run {
        *kinds.entry(kind.as_str()).or_default() += 1;
    }
    let kinds_text = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
    html! {
        <>
            if !view.not_run.is_empty() {
                <details class="pack-not-run" data-testid="pack-not-run">
                    <summary>{ format!("{}: {} ({kinds_text})", tr(lang, "pack_not_run"), view.not_run.len()) }</summary>
                    <ul>{ for view.not_run.iter().map(|(name, kind)| html! { <li>{ format!("{name} — {kind}") }</li> }) }</ul>
                </details>
            }
            if !view.failed.is_empty() {
                <details class="pack-failed" data-testid="pack-failed">
                    <summary>{ format!("{}: {}", tr(lang, "pack_failed"), view.failed.len()) }</summary>
                    <ul>{ for view.failed.iter().map(|(what, why)| html! { <li><strong>{ what.clone() }</strong>{ format!(": {why}") }</li> }) }</ul>
                </details>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, severity: &str, risk: u32, alerts: usize, hosts: &[&str]) -> FiredRule {
        FiredRule {
            index: 0,
            rule_id: format!("id-{name}"),
            name: name.into(),
            severity: severity.into(),
            risk_score: Some(risk),
            techniques: vec!["T1105".into()],
            alerts,
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            building_block: name == "b",
        }
    }

    #[test]
    fn rules_sort_by_each_column_and_filter_by_what_a_user_types() {
        let view = PackView {
            fired: vec![rule("b", "low", 21, 9, &["ws-1"]), rule("a", "critical", 99, 1, &["ws-2", "ws-3"]), rule("c", "high", 73, 3, &["ws-fin-014"])],
            ..PackView::default()
        };
        let names = |by, asc, filter: &str| sorted(&view, filter, by, asc).iter().map(|(_, r)| r.name.clone()).collect::<Vec<_>>().join("");
        assert_eq!(names(Sort::Severity, false, ""), "acb");
        assert_eq!(names(Sort::Severity, true, ""), "bca");
        assert_eq!(names(Sort::Name, false, ""), "abc");
        assert_eq!(names(Sort::Risk, false, ""), "acb");
        assert_eq!(names(Sort::Alerts, false, ""), "bca");
        assert_eq!(names(Sort::Hosts, false, ""), "abc");
        assert_eq!(names(Sort::Severity, false, "FIN-014"), "c");
        assert_eq!(names(Sort::Severity, false, "t1105"), "acb");
        assert_eq!(names(Sort::Severity, false, "id-b"), "b");
        assert_eq!(names(Sort::Severity, false, "building"), "b");
    }

    #[test]
    fn long_names_are_cut_on_a_character() {
        assert_eq!(shorten("远程文件下载脚本解释器", 4), "远程文件…");
        assert_eq!(shorten("short", 40), "short");
    }
}
