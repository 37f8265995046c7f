//! End-to-end tests of the playground in headless Chromium.

mod harness;

use harness::Browser;

#[tokio::test(flavor = "multi_thread")]
async fn seed_rule_shows_its_one_match_on_load() {
    let Some(b) = Browser::start().await else { return };
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
async fn editing_the_query_reruns_and_reports_errors_with_position() {
    let Some(b) = Browser::start().await else { return };
    b.open("/").await;
    b.text("match-count").await;
    b.set_text("rule-editor", "process where process.name == 'x'").await;
    let error = b.text("query-error").await;
    assert!(error.contains("1:31"), "error shows line:column: {error}");
    assert!(error.contains("double quotes"), "error explains: {error}");
    assert!(error.contains('^'), "error has a caret: {error}");
    b.set_text("rule-editor", "network where process.name : \"wscript.exe\"").await;
    // The sample has nine network events by wscript.exe (see web/samples/README.md).
    b.wait_until("nine network events by wscript", || async { b.text("match-count").await.starts_with("9 matches") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_lines_are_listed_and_the_rest_still_matches() {
    let Some(b) = Browser::start().await else { return };
    b.open("/").await;
    b.text("match-count").await;
    let events: String = b.client.execute(
        "return document.querySelector(\"[data-testid='events-input']\").value", vec![]).await
        .expect("read events").as_str().unwrap_or_default().to_string();
    let mut lines: Vec<&str> = events.lines().collect();
    lines.insert(2, "{not json");
    b.set_text("events-input", &lines.join("\n")).await;
    b.wait_until("an input error", || async { b.count("input-error").await == 1 }).await;
    assert!(b.text("input-error").await.contains("line 3"));
    assert!(b.text("match-count").await.starts_with("1 match"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_loads_nothing_from_outside_its_origin() {
    let Some(b) = Browser::start().await else { return };
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
