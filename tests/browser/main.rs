//! End-to-end tests of the playground in headless Chromium.

mod harness;
mod learn;
mod large;
mod live;
mod oracle;
mod pack;
mod screenshots;
mod triage;
mod tune;
mod windows;

use harness::Browser;

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn seed_rule_shows_its_one_match_on_load() {
    let b = Browser::start().await;
    b.open("/").await;
    let count = b.text("match-count").await;
    assert!(count.starts_with("1 match"), "match count reads {count:?}");
    assert_eq!(b.count("match").await, 1);
    let card = b.text("match").await;
    assert!(card.contains("line 14") && card.contains("line 15"), "card: {card}");
    assert!(card.contains("wscript.exe"), "card: {card}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn editing_the_query_reruns_and_reports_errors_with_position() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    b.retype("rule-editor", "process where process.name == 'x'").await;
    let error = b.text("query-error").await;
    assert!(error.contains("1:31"), "error shows line:column: {error}");
    assert!(error.contains("double quotes"), "error explains: {error}");
    assert!(error.contains('^'), "error has a caret: {error}");
    b.retype("rule-editor", "network where process.name : \"wscript.exe\"").await;
    // The sample has nine network events by wscript.exe (see web/samples/README.md).
    b.wait_until("nine network events by wscript", || async { b.text("match-count").await.starts_with("9 matches") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn malformed_lines_are_listed_and_the_rest_still_matches() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let events = b.value("events-input").await;
    let mut lines: Vec<&str> = events.lines().collect();
    lines.insert(2, "{not json");
    b.paste("events-input", &lines.join("\n")).await;
    b.wait_until("an input error", || async { b.count("input-error").await == 1 }).await;
    assert!(b.text("input-error").await.contains("line 3"));
    assert!(b.text("match-count").await.starts_with("1 match"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_page_loads_nothing_from_outside_its_origin() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let urls = b.client
        .execute("return performance.getEntriesByType('resource').map(e => e.name)", vec![])
        .await
        .expect("resource list");
    let urls: Vec<String> = serde_json::from_value(urls).unwrap_or_default();
    assert!(!urls.is_empty(), "the page loads its own files");
    for url in &urls {
        assert!(url.starts_with(&b.base), "request left the origin: {url}");
    }
    let csp: String = b.client
        .execute("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"), "CSP: {csp}");
    b.close().await;
}

/// Writes a scratch file for upload tests.
fn scratch_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("eqlplay-browser-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write scratch file");
    path
}

const SAMPLE: &str = include_str!("../../web/samples/script-download.ndjson");

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn uploading_a_file_replaces_the_events() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    // The sample as a JSON array, with one more copy of the matching pair for another host.
    let mut docs: Vec<serde_json::Value> = SAMPLE.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let extra: Vec<serde_json::Value> = docs[13..15]
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d["host"]["id"] = "another-host".into();
            d
        })
        .collect();
    docs.extend(extra);
    let path = scratch_file("upload.json", &serde_json::to_string(&docs).expect("json"));
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='events-file']")).await.expect("file input");
    input.send_keys(&path.display().to_string()).await.expect("choose file");
    b.wait_until("two matches from the uploaded file", || async {
        b.text("match-count").await.starts_with("2 matches in 61 events")
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn dropping_a_file_loads_it() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let lines: Vec<&str> = SAMPLE.lines().take(15).collect();
    let script = "const dt = new DataTransfer();
        dt.items.add(new File([arguments[0]], 'dropped.ndjson', { type: 'application/x-ndjson' }));
        const zone = document.querySelector(\"[data-testid='events-drop']\");
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));";
    b.client.execute(script, vec![lines.join("\n").into()]).await.expect("drop");
    b.wait_until("the dropped 15 events", || async { b.text("match-count").await.starts_with("1 match in 15 events") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_long_load_is_marked_busy_and_can_be_cancelled() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    assert_eq!(b.busy().await, "false");
    // About 250 MB keeps the worker reading long enough to press Cancel.
    let cfg = eventgen::GenConfig { events: 290_000, ..eventgen::GenConfig::default() };
    let mut text = String::with_capacity(260 << 20);
    eventgen::generate(&cfg, &mut text);
    let path = scratch_file("big.ndjson", &text);
    drop(text);
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='events-file']")).await.expect("file input");
    input.send_keys(&path.display().to_string()).await.expect("choose file");
    b.wait_until("aria-busy=true", || async { b.busy().await == "true" }).await;
    b.click("cancel").await;
    b.settled().await;
    let _ = std::fs::remove_file(&path);
    assert!(b.text("results").await.contains("Cancelled"), "the page says it cancelled");
    assert_eq!(b.count("match-count").await, 0, "no results of the cancelled load are shown");
    assert_eq!(b.value("events-input").await, SAMPLE, "the events box keeps its text");
    // The events are the events box's again (the sample), and the next edit runs over them.
    b.type_at_end("rule-editor", " ").await;
    b.wait_until("the sample's result", || async { b.text("match-count").await.starts_with("1 match in 59 events") }).await;
    b.close().await;
}

async fn open_events_tab(b: &Browser) {
    b.click("tab-events").await;
    b.wait_until("event rows", || async { b.count("event-row").await > 0 }).await;
}

/// The predicates the explain panel shows as false.
async fn failing_predicates(b: &Browser) -> Vec<String> {
    let script = "return [...document.querySelectorAll('.condition.outcome-false > code')].map(c => c.textContent)";
    serde_json::from_value(b.client.execute(script, vec![]).await.expect("predicates")).unwrap_or_default()
}

async fn rows_with_class(b: &Browser, class: &str) -> Vec<String> {
    let script = format!(
        "return [...document.querySelectorAll(\"[data-testid='event-row'].{class}\")].map(r => r.dataset.line)"
    );
    let v = b.client.execute(&script, vec![]).await.expect("rows");
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn selecting_a_card_highlights_its_events_in_the_table() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    b.click("match").await;
    open_events_tab(&b).await;
    assert_eq!(rows_with_class(&b, "matched").await, vec!["14", "15"]);
    assert_eq!(rows_with_class(&b, "in-selected").await, vec!["14", "15"]);
    // The filter keeps only matched or only unmatched rows.
    b.click("filter-matched").await;
    b.wait_until("two matched rows", || async { b.count("event-row").await == 2 }).await;
    b.click("filter-unmatched").await;
    b.wait_until("57 unmatched rows", || async { b.text("row-count").await.starts_with("57") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn an_event_is_explained_predicate_by_predicate() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    open_events_tab(&b).await;
    // Line 19: wscript connecting to 127.0.0.1 — the loopback check fails.
    b.client
        .find(fantoccini::Locator::Css("[data-testid='event-row'][data-line='19']"))
        .await
        .expect("row 19")
        .click()
        .await
        .expect("click");
    let explain = b.text("explain").await;
    assert!(explain.contains("line 19"), "{explain}");
    assert!(explain.contains("destination.ip != \"127.0.0.1\""), "{explain}");
    let failing = failing_predicates(&b).await;
    assert!(failing.iter().any(|t| t == "destination.ip != \"127.0.0.1\""), "{failing:?}");
    let hot: Vec<String> = serde_json::from_value(
        b.client.execute("return [...document.querySelectorAll('.json-line.hot')].map(l => l.textContent)", vec![]).await.expect("json"),
    )
    .unwrap_or_default();
    assert!(hot.iter().any(|l| l.contains("127.0.0.1")), "{hot:?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn near_misses_list_sequences_that_never_completed() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let near = b.text("near-misses").await;
    assert!(near.contains("line 13") && near.contains("replaced by a newer partial (line 14)"), "{near}");
    assert!(b.count("near-miss").await >= 2);
    // Pending partials say which events came closest; each one can be explained from there.
    assert!(near.contains("line 41 has the same key but does not match term 2"), "{near}");
    assert!(near.contains("line 56 matches term 2 with the same key, but comes earlier"), "{near}");
    assert!(near.contains("line 50 matches term 2, but with another key: host.id = 2889bdc2-"), "{near}");
    b.client
        .execute(
            "[...document.querySelectorAll(\"[data-testid='closest-event']\")].find(b => b.textContent === 'line 41').click()",
            vec![],
        )
        .await
        .expect("click line 41");
    b.wait_until("line 41 explained", || async { b.text("explain").await.contains("line 41") }).await;
    let failing = failing_predicates(&b).await;
    assert!(failing.iter().any(|t| t == "file.extension : (\"exe\", \"dll\")"), "{failing:?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn results_download_as_the_command_line_prints_them() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    b.catch_downloads().await;
    b.click("export-results").await;
    let download = b.download().await;
    assert_eq!(download["name"], "eql-results.ndjson");
    assert_eq!(download["type"], "application/x-ndjson");
    // What `eqlplay match --rule web/rules/seed.toml --with-source` prints for the same events.
    let root = eqlplay_tests::workspace_root();
    let seed = rules::load_rule(&std::fs::read_to_string(root.join("web/rules/seed.toml")).expect("seed")).expect("rule");
    let plan = eql::compile_text(seed.query.trim(), &eql::Settings::default()).expect("compiles");
    let mut reader = eql::Reader::new(plan.fields.clone());
    reader.add_ndjson(0, SAMPLE);
    let data = reader.finish();
    let results = eql::run(&plan, &data).expect("runs");
    let texts = [SAMPLE.to_string()];
    let inputs = eql::output::Inputs { paths: &[], texts: &texts, with_file: false, with_source: true };
    let mut expected = Vec::new();
    eql::output::write_matches(&mut expected, &results.matches, &data, &inputs).expect("written");
    assert_eq!(download["text"].as_str(), Some(String::from_utf8(expected).expect("utf-8").as_str()));
    assert!(download["text"].as_str().is_some_and(|t| t.starts_with("{\"kind\":\"sequence\"")));
    b.close().await;
}

/// A link whose deflate was made elsewhere (Python's zlib, raw deflate at level 9): the page
/// reads any deflate stream, so links made before it compressed with the browser still open.
const FOREIGN_LINK: &str = "VY_NDoIwEIRfpdkzksrBAwmJD-HJbEJqXbERKrb1hxDe3aUCarKX3ZnJfNvD7U6ugxxad9XkvXieyZGYttSqhkRRCATttTNtSOlFCJAAPcgGz8EeYRtMQz6opkXIETKZbVZyzbOTMo-zR0jwk2ELR7QKVF1dFwNTG8KQ_CyjbeyPlr_6YUDLCJ5CMLZiiB4WgvJkqD4y1xeKrcHQwZG6kFv0-YdyRlmUeE7nM0NBrWw1ChaGNw";

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn links_from_any_deflate_open_and_damaged_links_say_so() {
    let b = Browser::start().await;
    b.open(&format!("/#s={FOREIGN_LINK}")).await;
    b.wait_until("the linked session", || async { b.text("match-count").await.starts_with("1 match in 1 event") }).await;
    assert_eq!(b.value("rule-editor").await, "process where process.name == \"cscript.exe\"");
    for damaged in ["!!!", "AAAA", &FOREIGN_LINK[..40]] {
        b.open(&format!("/?{}#s={damaged}", damaged.len())).await;
        // The page starts with the built-in rule over the sample, and says why.
        b.wait_until("the sample's result", || async { b.text("match-count").await.starts_with("1 match in 59 events") }).await;
        let notice = b.text("notice").await;
        assert!(notice.starts_with("damaged share link"), "{damaged}: {notice}");
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_share_link_reproduces_the_session() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let lines: Vec<&str> = SAMPLE.lines().take(20).collect();
    b.paste("events-input", &lines.join("\n")).await;
    b.retype("rule-editor", "network where process.name : \"WSCRIPT.EXE\"").await;
    b.wait_until("the edited session", || async { b.text("match-count").await.starts_with("4 matches in 20 events") }).await;
    b.click("share").await;
    // The browser compresses the link asynchronously.
    b.wait_until("the share link", || async { b.count("share-link").await == 1 }).await;
    let link = b.value("share-link").await;
    assert!(link.starts_with(&b.base) && link.contains("#s="), "{link}");
    b.close().await;
    // A fresh browser opening the link sees the same query, events and result.
    let b2 = Browser::start().await;
    let fragment = link.split_once('#').map(|(_, f)| f).unwrap_or_default();
    b2.open(&format!("/#{fragment}")).await;
    b2.wait_until("the shared session", || async { b2.text("match-count").await.starts_with("4 matches in 20 events") }).await;
    assert_eq!(b2.value("rule-editor").await, "network where process.name : \"WSCRIPT.EXE\"");
    b2.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_editor_highlights_tokens_and_underlines_errors_as_you_type() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let classes = |b: &Browser, css: &'static str| {
        let client = b.client.clone();
        async move {
            let v = client
                .execute(&format!("return [...document.querySelectorAll('.query-editor {css}')].map(e => e.textContent)"), vec![])
                .await
                .expect("query");
            serde_json::from_value::<Vec<String>>(v).unwrap_or_default()
        }
    };
    assert!(classes(&b, ".tok-keyword").await.contains(&"sequence".to_string()));
    assert!(classes(&b, ".tok-string").await.contains(&"\"wscript.exe\"".to_string()));
    b.retype("rule-editor", "process where process.name == 'x'").await;
    b.wait_until("an underlined error", || async { classes(&b, ".tok-error").await == vec!["'x'".to_string()] }).await;
    assert!(b.text("inline-error").await.contains("1:31"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn sample_data_sets_are_one_click_away() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    b.click("sample-benign").await;
    b.wait_until("no match in the benign sample", || async { b.text("match-count").await.starts_with("0 matches") }).await;
    b.click("sample-download").await;
    b.wait_until("the match again", || async { b.text("match-count").await.starts_with("1 match in 59") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_pasted_kibana_export_becomes_the_rule() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let export = serde_json::json!({
        "name": "Script host network", "rule_id": "x-1", "type": "eql", "language": "eql",
        "query": "network where process.name : (\"wscript.exe\", \"cscript.exe\")",
        "severity": "high", "risk_score": 73, "tags": ["Test"], "max_signals": 4,
    });
    let text = format!("{export}\n{{\"exported_count\":1,\"missing_rules\":[]}}");
    // The rule reader is a module of its own, fetched the first time a rule file is opened.
    assert_eq!(b.server_requests("rule_reader_bg.wasm"), 0, "the page opens without the rule reader");
    b.click("rule-paste-toggle").await;
    b.paste("rule-paste", &text).await;
    b.click("rule-paste-load").await;
    b.wait_until("the pasted rule's card", || async { b.text("rule-card").await.contains("Script host network") }).await;
    assert_eq!(b.server_requests("rule_reader_bg.wasm"), 1);
    // Eleven network events in the sample come from wscript.exe or cscript.exe.
    b.wait_until("its matches", || async { b.text("match-count").await.starts_with("11 matches") }).await;
    // Its max_signals of 4: Kibana would alert on the 4 most recent results only.
    let note = b.text("max-alerts-note").await;
    assert!(note.contains("at most 4 results") && note.contains("the 4 most recent of these 11"), "{note}");
    assert_eq!(b.count("not-alerted").await, 7);
    let last_card_dimmed: bool = serde_json::from_value(
        b.client
            .execute("const c = document.querySelectorAll(\"[data-testid='match']\"); return c[c.length - 1].classList.contains('not-alerted')", vec![])
            .await
            .expect("cards"),
    )
    .unwrap_or(true);
    assert!(!last_card_dimmed, "the most recent result is alerted");
    // An edited query is no longer the rule's: no max_signals applies.
    b.retype("rule-editor", "network where true").await;
    b.wait_until("the edited query's results", || async { !b.text("match-count").await.starts_with("11 matches") }).await;
    assert_eq!(b.count("max-alerts-note").await, 0);
    assert_eq!(b.count("not-alerted").await, 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn cards_show_their_time_span_and_work_from_the_keyboard() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    // Lines 14 and 15 are 147 ms apart.
    assert!(b.text("match-span").await.contains("147 ms"));
    let card = b.client.find(fantoccini::Locator::Css("[data-testid='match']")).await.expect("card");
    card.send_keys("\u{E007}").await.expect("press Enter");
    b.wait_until("the card selected by keyboard", || async {
        b.eval::<String>("return document.querySelector(\"[data-testid='match']\").getAttribute('aria-pressed')").await == "true"
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_rule_that_does_not_load_says_why_and_keeps_the_pasted_text() {
    let b = Browser::start().await;
    b.open("/").await;
    b.settled().await;
    b.click("rule-paste-toggle").await;
    b.paste("rule-paste", "name = \"half a rule\"").await;
    b.click("rule-paste-load").await;
    b.text("rule-error").await;
    assert_eq!(b.value("rule-paste").await, "name = \"half a rule\"");
    // Typing on into the same box still works: it was not rebuilt under the cursor.
    b.type_at_end("rule-paste", "\nx = 1").await;
    assert_eq!(b.value("rule-paste").await, "name = \"half a rule\"\nx = 1");
    b.close().await;
}
