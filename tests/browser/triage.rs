//! The rule card and the triage checklist in the browser.

use super::harness::Browser;
use fantoccini::Locator;
use serde_json::Value;

const SEED_NAME: &str = "Remote File Download via Script Interpreter";
/// Checkbox of every step, nested ones included, in document order.
const STEP_BOXES: &str = "[data-testid='checklist-step'] > .step-row > input[type=checkbox]";

async fn js(b: &Browser, script: &str) -> Value {
    b.client.execute(script, vec![]).await.expect("run script")
}


/// Opens the page on the Triage tab and returns the number of steps.
async fn open_triage(b: &Browser) -> usize {
    b.click_css("[data-testid='tab-triage']").await;
    let progress = b.text("checklist-progress").await;
    total(&progress).unwrap_or_else(|| panic!("progress reads {progress:?}"))
}

/// N of "k / N ...".
fn total(progress: &str) -> Option<usize> {
    progress.split('/').nth(1)?.split_whitespace().next()?.parse().ok()
}

async fn checked(b: &Browser) -> Vec<bool> {
    let v = js(b, &format!("return [...document.querySelectorAll(\"{STEP_BOXES}\")].map(c => c.checked)")).await;
    serde_json::from_value(v).unwrap_or_default()
}

async fn tick(b: &Browser, index: usize) {
    let boxes = b.client.find_all(Locator::Css(STEP_BOXES)).await.expect("step checkboxes");
    assert!(boxes.len() > index, "only {} steps", boxes.len());
    boxes[index].click().await.expect("tick a step");
}

async fn progress_is(b: &Browser, want: &str) {
    b.wait_until(&format!("progress {want}"), || async { b.text("checklist-progress").await.contains(want) }).await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn rule_card_shows_the_seed_rule() {
    let b = Browser::start().await;
    b.open("/").await;
    let card = b.text("rule-card").await;
    assert!(card.contains(SEED_NAME), "card: {card}");
    assert_eq!(b.text("rule-severity").await.trim(), "medium");
    assert!(b.text("rule-risk").await.contains("47"));
    let link = js(&b, "const a = [...document.querySelectorAll(\"[data-testid='rule-card'] a\")]
            .find(a => a.textContent.trim() === 'T1105');
        return a ? [a.href, a.rel, a.target] : null").await;
    assert_eq!(link, serde_json::json!(["https://attack.mitre.org/techniques/T1105/", "noopener noreferrer", "_blank"]));
    let hrefs = js(&b, "return [...document.querySelectorAll(\"[data-testid='rule-card'] a\")].map(a => a.href)").await;
    let hrefs: Vec<String> = serde_json::from_value(hrefs).unwrap_or_default();
    assert_eq!(hrefs.len(), 6, "two tactics, two techniques, two subtechniques: {hrefs:?}");
    assert!(hrefs.iter().all(|h| h.starts_with("https://attack.mitre.org/")), "{hrefs:?}");
    let schedule = b.text("rule-schedule").await;
    assert!(schedule.contains("5m") && schedule.contains("now-9m") && schedule.contains("4m"), "{schedule}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn checklist_progress_and_notes_survive_a_reload() {
    let b = Browser::start().await;
    b.open("/").await;
    let n = open_triage(&b).await;
    assert!(n > 10, "the seed guide has many steps: {n}");
    progress_is(&b, &format!("0 / {n}")).await;
    tick(&b, 0).await;
    tick(&b, 1).await;
    progress_is(&b, &format!("2 / {n}")).await;
    // The second step is now the current one, so its note field is open.
    let note = b.client.find(Locator::Css(".step.current > [data-testid='checklist-note']")).await.expect("note field");
    note.send_keys("parent is explorer.exe").await.expect("type a note");
    b.wait_until("the note is saved", || async {
        js(&b, "return Object.keys(localStorage).filter(k => k.startsWith('eqlplay.checklist.')).map(k => localStorage[k]).join()")
            .await
            .as_str()
            .is_some_and(|s| s.contains("parent is explorer.exe"))
    })
    .await;

    b.client.refresh().await.expect("reload");
    assert_eq!(open_triage(&b).await, n);
    progress_is(&b, &format!("2 / {n}")).await;
    let ticks = checked(&b).await;
    assert_eq!(&ticks[..3], [true, true, false], "{ticks:?}");
    let notes = js(&b, "return [...document.querySelectorAll(\"[data-testid='checklist-note']\")].map(t => t.value)").await;
    assert!(notes.as_array().is_some_and(|a| a.iter().any(|v| v == "parent is explorer.exe")), "{notes}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn corrupted_storage_starts_afresh() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("rule-card").await;
    js(&b, "localStorage.setItem('eqlplay.checklist.1d276579-3380-4095-ad38-e596a01bc64f', '{not json'); return null").await;
    b.client.refresh().await.expect("reload");
    let n = open_triage(&b).await;
    progress_is(&b, &format!("0 / {n}")).await;
    tick(&b, 0).await;
    progress_is(&b, &format!("1 / {n}")).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn previous_and_next_move_the_current_step() {
    let b = Browser::start().await;
    b.open("/").await;
    open_triage(&b).await;
    let current = || async {
        js(&b, "const s = document.querySelector('.step.current'); return s ? s.dataset.stepId : null").await
    };
    let first = current().await;
    assert!(first.is_string(), "a step is current at first");
    b.click_css("[data-testid='checklist-next']").await;
    b.wait_until("next step", || async { current().await != first }).await;
    let second = current().await;
    assert_eq!(js(&b, "return document.querySelector('.step.current').getAttribute('aria-current')").await, "step");
    // Keyboard: focus Previous and press Enter.
    js(&b, "document.querySelector(\"[data-testid='checklist-prev']\").focus(); return null").await;
    let prev = b.client.find(Locator::Css("[data-testid='checklist-prev']")).await.expect("previous");
    prev.send_keys("\u{E007}").await.expect("press Enter");
    b.wait_until("back to the first step", || async { current().await == first }).await;
    assert_ne!(first, second);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn export_downloads_a_markdown_report_of_the_alert() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    b.click_css("[data-testid='triage-alert']").await;
    let alert = b.text("checklist-alert").await;
    assert!(alert.contains("Result #1"), "alert: {alert}");
    let n = total(&b.text("checklist-progress").await).expect("total");
    tick(&b, 0).await;
    tick(&b, 2).await;
    progress_is(&b, &format!("2 / {n}")).await;
    let note = b.client.find(Locator::Css(".step.current > [data-testid='checklist-note']")).await.expect("note field");
    note.send_keys("sandbox run was clean").await.expect("type a note");
    b.catch_downloads().await;
    b.click_css("[data-testid='checklist-export']").await;
    let download = b.download().await;
    let report = download["text"].as_str().unwrap_or_default().to_string();
    assert!(download["href"].as_str().is_some_and(|h| h.starts_with("blob:")), "{download}");
    assert!(download["name"].as_str().is_some_and(|n| n.ends_with(".md")), "{download}");
    assert_eq!(download["type"], "text/markdown;charset=utf-8");
    assert!(report.starts_with(&format!("# Triage report: {SEED_NAME}")), "{report}");
    // ("#" is escaped in the report's Markdown.)
    assert!(report.contains("## Alert: Result \\#1") && report.contains("line 14 · "), "{report}");
    assert_eq!(report.matches("- [x] ").count(), 2, "{report}");
    assert_eq!(report.matches("- [ ] ").count(), n - 2, "{report}");
    assert!(report.contains("- [x] Walk the process execution chain"), "{report}");
    assert!(report.contains("> sandbox run was clean"), "{report}");
    assert!(report.contains(&format!("2 of {n} steps done")), "{report}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn language_toggle_switches_the_checklist_and_keeps_progress() {
    let b = Browser::start().await;
    b.open("/").await;
    let n = open_triage(&b).await;
    tick(&b, 1).await;
    progress_is(&b, &format!("1 / {n}")).await;
    assert!(b.text("checklist").await.contains("Triage and analysis"));
    b.click_css("[data-testid='language-toggle']").await;
    b.wait_until("the Chinese guide", || async { b.text("checklist").await.contains("分类与分析") }).await;
    let zh = b.text("checklist").await;
    assert!(zh.contains("可行的调查步骤") && !zh.contains("Triage and analysis"), "{zh}");
    assert!(b.text("checklist-progress").await.contains(&format!("1 / {n}")), "same steps, same progress");
    assert_eq!(&checked(&b).await[..2], [false, true]);
    b.click_css("[data-testid='language-toggle']").await;
    b.wait_until("the English guide again", || async { b.text("checklist").await.contains("Triage and analysis") }).await;
    // The built-in rule's checklists in both languages were built with the page: no rule reader.
    assert_eq!(b.server_requests("rule_reader_bg.wasm"), 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn hostile_event_text_in_the_alert_stays_text() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let payload = r#"<img src=x onerror="window.__xss=1">"#;
    let event = serde_json::json!({
        "@timestamp": "2024-05-01T10:00:00Z",
        "event": { "category": "process" },
        "host": { "name": payload },
        "process": { "name": "javascript:alert(1)" },
    });
    b.retype("rule-editor", "process where true").await;
    b.paste("events-input", &event.to_string()).await;
    b.wait_until("one match in the one event", || async { b.text("match-count").await.starts_with("1 match in 1 ") }).await;
    b.click_css("[data-testid='triage-alert']").await;
    let alert = b.text("checklist-alert").await;
    assert!(alert.contains(payload), "shown as text: {alert}");
    // Also as a step note, through a reload.
    let note = b.client.find(Locator::Css(".step.current > [data-testid='checklist-note']")).await.expect("note field");
    note.send_keys(payload).await.expect("type a note");
    b.client.refresh().await.expect("reload");
    open_triage(&b).await;
    b.wait_until("the note is back", || async {
        js(&b, "return [...document.querySelectorAll(\"[data-testid='checklist-note']\")].some(t => t.value.includes('<img'))")
            .await
            == true
    })
    .await;
    assert_eq!(js(&b, "return document.querySelectorAll('.checklist img, .rule-card img').length").await, 0);
    assert_eq!(js(&b, "return document.querySelectorAll(\"a[href^='javascript' i]\").length").await, 0);
    assert_eq!(js(&b, "return typeof window.__xss").await, "undefined");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_hostile_rule_note_renders_as_inert_text() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let rule = r###"[metadata]
creation_date = "2026/01/01"

[rule]
name = "Hostile <b>rule</b>"
rule_id = "hostile-1"
type = "eql"
language = "eql"
query = "process where true"
severity = "low"
risk_score = 21
description = "x"
note = """## Triage
- Look <img src=x onerror="window.__xss=1"> here
- Click [me](javascript:window.__xss=2) or [docs](https://example.com/)
"""

[[rule.threat]]
framework = "MITRE ATT&CK"
[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "javascript:window.__xss=3"
"###;
    b.click("rule-paste-toggle").await;
    b.paste("rule-paste", rule).await;
    b.click("rule-paste-load").await;
    b.wait_until("the hostile rule", || async { b.text("rule-card").await.contains("Hostile <b>rule</b>") }).await;
    b.click("tab-triage").await;
    b.wait_until("its checklist", || async { b.count("checklist-step").await == 2 }).await;
    let probe = b
        .client
        .execute(
            "return { xss: window.__xss === undefined ? null : window.__xss,
                      imgs: document.querySelectorAll('.checklist img, .rule-card img').length,
                      bolds: document.querySelectorAll('.rule-card b').length,
                      js: [...document.querySelectorAll('a')].filter(a => !/^(https?:|blob:)/.test(a.href)).length,
                      text: document.querySelector('.checklist').textContent }",
            vec![],
        )
        .await
        .expect("probe");
    assert_eq!(probe["xss"], serde_json::Value::Null, "{probe}");
    assert_eq!(probe["imgs"], 0, "{probe}");
    assert_eq!(probe["bolds"], 0, "{probe}");
    assert_eq!(probe["js"], 0, "{probe}");
    assert!(probe["text"].as_str().unwrap_or("").contains("<img src=x onerror="), "{probe}");
    b.close().await;
}
