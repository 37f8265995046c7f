//! The Tune tab, driven as a person drives it: pin the built-in rule, edit its query by typing
//! and see what the edit gained (each with its reason) — the same results `eqlplay diff` names;
//! write an exception, see what it hid and suppressed inside the sequence, toggle it, and
//! download it for `eqlplay match --exceptions`, which then gives the page's results.

use super::harness::Browser;
use super::oracle::eqlplay_stdout as cli_text;
use std::path::PathBuf;

/// The seed rule with the loopback and DNS conditions dropped (one line, as typed).
const LOOSER: &str = r#"sequence by host.id, process.entity_id [network where process.name : ("wscript.exe", "cscript.exe") and network.protocol != "dns"] [file where event.type == "creation" and file.extension : ("exe", "dll")]"#;

/// Line 14's network event: hiding it lets the same process's earlier connection (line 13)
/// pair with the download (line 15).
const LINE_14_EVENT_ID: &str = "mm3OAGix7wOkBA6AyLfg";

fn cli(args: &[&str]) -> Vec<serde_json::Value> {
    cli_text(args).lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

fn lines(result: &serde_json::Value) -> Vec<u64> {
    result["events"].as_array().expect("events").iter().filter_map(|e| e["line"].as_u64()).collect()
}

/// "line 19 → line 20" on a change card, as line numbers.
fn card_lines(text: &str) -> Vec<u64> {
    text.split("line ").skip(1).filter_map(|t| t.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn an_edit_of_the_pinned_rule_shows_what_it_gained_and_why() {
    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    b.click("tab-tune").await;
    b.click("compare-rule").await;
    b.wait_until("the rule compared with itself", || async { b.text("compare-summary").await == "+0 gained · −0 lost · 1 kept" }).await;
    assert_eq!(b.count("query-diff").await, 0, "no diff while the query is the rule's");

    b.retype("rule-editor", LOOSER).await;
    b.wait_until("the edit's gains", || async { b.text("compare-summary").await == "+3 gained · −0 lost · 1 kept" }).await;
    let cards = b.client.find_all(fantoccini::Locator::Css("[data-testid='change-gained']")).await.expect("cards");
    let mut page = Vec::new();
    for card in &cards {
        page.push(card.text().await.expect("card text"));
    }
    let cli_gained: Vec<Vec<u64>> = cli(&["diff", "--rule", "web/rules/seed.toml", "--query-b", LOOSER, "web/samples/script-download.ndjson"])
        .iter()
        .filter(|r| r["change"] == "gained")
        .map(lines)
        .collect();
    let page_gained: Vec<Vec<u64>> = page.iter().map(|t| card_lines(t.lines().next().unwrap_or(""))).collect();
    assert_eq!(page_gained, cli_gained, "the page gains what `eqlplay diff` gains");
    assert!(page[0].contains(r#"`destination.ip != "127.0.0.1"` is false (destination.ip = "127.0.0.1")"#), "{}", page[0]);
    assert!(page[2].contains(r#"host.os.type = "linux""#), "{}", page[2]);
    // The rule card's side shows the query's diff against the baseline.
    let diff = b.text("query-diff").await;
    assert!(diff.contains("- ") && diff.contains("+ sequence by host.id, process.entity_id [network"), "{diff}");
    super::live::stays_idle(&b, "comparing with a baseline").await;

    // A change's event opens its explanation.
    b.click("change-event").await;
    b.wait_until("line 19 explained", || async { b.text("explain").await.contains("line 19") }).await;
    b.click("tab-tune").await;
    b.click("unpin").await;
    b.wait_until("the comparison gone", || async { b.count("compare-summary").await == 0 && b.count("query-diff").await == 0 }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn an_exception_hides_one_event_of_the_sequence_as_kibana_does() {
    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    b.click("tab-tune").await;
    // Two entries, AND-ed into one item.
    b.retype("exception-field", "process.name").await;
    b.retype("exception-value", "wscript.exe").await;
    b.click("exception-and").await;
    assert_eq!(b.text("exception-pending").await, "process.name is wscript.exe AND …");
    b.retype("exception-field", "event.id").await;
    b.retype("exception-value", LINE_14_EVENT_ID).await;
    b.click("exception-add").await;
    b.wait_until("the item's counts", || async { b.text("exception-counts").await == "hid 1 events · suppressed 1 results" }).await;
    assert!(b.text("exception-item").await.contains(&format!("process.name is wscript.exe AND event.id is {LINE_14_EVENT_ID}")));
    assert_eq!(b.count("exception-pending").await, 0);
    assert!(b.text("exceptions-only-with").await.starts_with("1 results appear only with the exceptions"));
    b.click("tab-results").await;
    let card = b.text("match").await;
    assert!(card.contains("line 13") && card.contains("line 15") && !card.contains("line 14"), "{card}");
    assert!(b.text("exceptions-note").await.starts_with("1 exception items hide 1 events"));
    super::live::stays_idle(&b, "with an exception").await;

    // Downloaded, the item gives `eqlplay match --exceptions` the page's results.
    b.click("tab-tune").await;
    b.catch_downloads().await;
    b.click("exceptions-export").await;
    let export = b.download().await["text"].as_str().expect("text").to_string();
    let file = scratch("exceptions.ndjson");
    std::fs::write(&file, &export).expect("write the export");
    let results = cli(&["match", "--rule", "web/rules/seed.toml", "--exceptions", file.to_str().expect("path"), "web/samples/script-download.ndjson"]);
    assert_eq!(results.iter().map(lines).collect::<Vec<_>>(), [vec![13, 15]]);

    // Turned off, the rule's own result is back.
    b.click("exception-toggle").await;
    b.wait_until("the item off", || async { b.text("exception-counts").await == "off" }).await;
    b.click("tab-results").await;
    b.wait_until("the rule's own result", || async {
        let card = b.text("match").await;
        card.contains("line 14") && card.contains("line 15")
    })
    .await;
    assert_eq!(b.count("exceptions-note").await, 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn kibanas_exception_list_export_opens_with_its_problems_named() {
    let export = [
        r#"{"id":"l1","list_id":"wscript-lab","name":"Lab scripts","namespace_type":"single","type":"detection","os_types":[],"tags":[]}"#,
        r#"{"entries":[{"field":"host.name","operator":"included","type":"match_any","value":["ws-fin-014","ws-hr-003"]},{"field":"file.extension","operator":"included","type":"match","value":"exe"}],"item_id":"lab-hosts","list_id":"wscript-lab","name":"Lab hosts' downloads","os_types":["windows"],"type":"simple"}"#,
        "not json",
        r#"{"exported_exception_list_count":1,"exported_exception_list_item_count":1,"missing_exception_list_item_count":0,"missing_exception_list_items":[],"missing_exception_lists":[],"missing_exception_lists_count":0}"#,
    ]
    .join("\n");
    let file = scratch("lab-exceptions.ndjson");
    std::fs::write(&file, export).expect("write the export");
    let b = Browser::start().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    b.click("tab-tune").await;
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='exceptions-file']")).await.expect("file input");
    input.send_keys(&file.display().to_string()).await.expect("choose file");
    // Lines 15 (the download) and 35 are executables written on those hosts.
    b.wait_until("the item and its counts", || async { b.text("exception-counts").await == "hid 2 events · suppressed 1 results" }).await;
    let item = b.text("exception-item").await;
    assert!(item.contains("Lab hosts' downloads") && item.contains("host.name is one of ws-fin-014, ws-hr-003 AND file.extension is exe") && item.contains("(windows)"), "{item}");
    assert!(b.text("exception-problem").await.starts_with("line 3: not JSON"));
    b.click("tab-results").await;
    b.wait_until("no alert left", || async { b.text("match-count").await.starts_with("0 matches") }).await;
    b.close().await;
}

/// A file of this test run's own (browsers choose files by path).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eqlplay-tune-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(name)
}

/// The sample's download (lines 14 and 15) at 10:02, and the same two events for another
/// process with the download 15 minutes after the connection: longer than the rule's 9m look-back.
fn planted() -> String {
    let sample = std::fs::read_to_string(eqlplay_tests::workspace_root().join("web/samples/script-download.ndjson")).expect("sample");
    let line = |n: usize| serde_json::from_str::<serde_json::Value>(sample.lines().nth(n - 1).expect("line")).expect("json");
    let at = |mut v: serde_json::Value, time: &str, entity: &str| {
        v["@timestamp"] = time.into();
        v["process"]["entity_id"] = entity.into();
        v.to_string()
    };
    [
        at(line(14), "2026-03-02T10:02:00.000Z", "A"),
        at(line(15), "2026-03-02T10:02:01.000Z", "A"),
        at(line(14), "2026-03-02T10:20:00.000Z", "B"),
        at(line(15), "2026-03-02T10:35:00.000Z", "B"),
    ]
    .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_schedule_misses_a_sequence_longer_than_the_look_back_and_alerts_once_on_the_other() {
    let events = planted();
    let file = scratch("planted.ndjson");
    std::fs::write(&file, &events).expect("write the events");
    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    b.paste("events-input", &events).await;
    b.wait_until("both planted sequences", || async { b.text("match-count").await.starts_with("2 matches in 4 events") }).await;
    b.click("tab-tune").await;
    b.click("schedule-open").await;
    assert!(b.text("schedule-settings").await.starts_with("Runs every 5m, each over [run − look-back, run] (from now-9m) · at most 100 alerts per run"));
    b.retype("schedule-start", "2026-03-02T10:00:00Z\u{E007}").await;
    b.wait_until("the simulated schedule", || async { b.text("schedule-summary").await == "8 runs · 1 alerts · 1 results never alerted" }).await;
    let never = b.text("never-alerted").await;
    assert!(never.starts_with("line 3 → line 4: its events span 15m, longer than the 9m each run looks back"), "{never}");
    assert_eq!(b.count("missed-mark").await, 1);
    let runs = b.text("schedule-run").await;
    assert!(runs.contains("alerts on line 1 → line 2") , "{runs}");
    // `eqlplay schedule` says the same.
    let cli_lines = cli(&["schedule", "--rule", "web/rules/seed.toml", "--start", "2026-03-02T10:00:00Z", file.to_str().expect("path")]);
    let (never_line, runs_lines) = cli_lines.split_last().expect("lines");
    assert_eq!(runs_lines.len(), 8);
    assert_eq!(runs_lines.iter().map(|r| r["alerts"].as_array().map_or(0, Vec::len)).sum::<usize>(), 1);
    assert_eq!(never_line["never_alerted"].as_array().expect("list").iter().map(lines).collect::<Vec<_>>(), [vec![3, 4]]);
    super::live::stays_idle(&b, "with the schedule open").await;
    b.close().await;
}

/// The suggestions on screen, as (inserted text, detail).
async fn completions(b: &Browser) -> Vec<(String, String)> {
    b.eval("return [...document.querySelectorAll(\"[data-testid='completion-item']\")].map(li => [li.querySelector('.insert').textContent, li.querySelector('.detail').textContent])").await
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_editor_completes_names_from_the_events_and_ecs_and_flags_a_field_no_event_has() {
    use fantoccini::key::Key;
    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    assert_eq!(b.server_requests("fields.tsv"), 0, "ECS names load only when the editor is used");

    // A field name: the events' own fields first, with how many events have each and a sample.
    b.retype("rule-editor", "process where process.na").await;
    b.wait_until("field suggestions", || async { completions(&b).await.first().is_some_and(|c| c.0 == "process.name") }).await;
    // Every sample event has a process name; the first event's is chrome.exe.
    assert_eq!(completions(&b).await[0].1, "59 events · chrome.exe");
    b.retype("rule-editor", "process where process.pa").await;
    b.wait_until("several parent fields", || async { completions(&b).await.len() > 2 }).await;
    let shown = completions(&b).await;
    assert!(shown.iter().all(|c| c.0.starts_with("process.pa")), "{shown:?}");
    assert_eq!(b.server_requests("fields.tsv"), 1);
    // Arrows choose, Enter accepts.
    b.chord(&[], char::from(Key::Down)).await;
    b.chord(&[], char::from(Key::Enter)).await;
    b.wait_until("the chosen name in the editor", || async { b.value("rule-editor").await == format!("process where {}", shown[1].0) }).await;
    assert_eq!(b.count("completion").await, 0);

    // ECS names the events lack, and functions with their signatures.
    b.retype("rule-editor", "process where process.pe.origin").await;
    b.wait_until("an ECS name", || async { completions(&b).await.iter().any(|c| c.0 == "process.pe.original_file_name" && c.1.starts_with("ECS keyword")) }).await;
    b.chord(&[], char::from(Key::Escape)).await;
    assert_eq!(b.count("completion").await, 0);
    b.retype("rule-editor", "process where endsW").await;
    b.wait_until("a function", || async { completions(&b).await.first().is_some_and(|c| c.0 == "endsWith(" && c.1 == "endsWith~(<string>, <substring>)") }).await;
    b.chord(&[], '\u{E004}').await; // Tab accepts the first
    b.type_at_end("rule-editor", "process.name, \".exe\")").await;
    let query = "process where endsWith(process.name, \".exe\")";
    let count = cli(&["match", "--query", query, "web/samples/script-download.ndjson"]).len();
    assert_eq!(b.value("rule-editor").await, query);
    b.wait_until("the completed query runs", || async { b.text("match-count").await.starts_with(&format!("{count} matches in 59")) }).await;

    // Where a term begins: the events' categories, with counts.
    b.retype("rule-editor", "sequence [").await;
    b.chord(&[Key::Control], ' ').await;
    b.wait_until("categories", || async { completions(&b).await.iter().any(|c| c.0 == "network where" && c.1.ends_with(" events")) }).await;
    b.chord(&[], char::from(Key::Escape)).await;

    // A misspelt field is underlined, with the reason a rule would silently match nothing.
    b.retype("rule-editor", "process where process.nmae == \"wscript.exe\"").await;
    b.wait_until("the warning", || async { b.text("inline-warning").await.contains("no event has the field [process.nmae]") }).await;
    assert!(b.text("match-count").await.starts_with("0 matches"));
    let underlined: String = b.eval("return [...document.querySelectorAll('.tok-warning')].map(s => s.textContent).join('')").await;
    assert_eq!(underlined, "process.nmae");
    super::live::stays_idle(&b, "after completing").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_rule_export_brings_the_exception_lists_its_rule_names() {
    let query = r#"sequence by host.id, process.entity_id [network where process.name : "wscript.exe"] [file where file.extension : "exe"]"#;
    let rule = serde_json::json!({"rule_id": "r1", "name": "Tuned download rule", "type": "eql", "language": "eql", "query": query,
        "exceptions_list": [{"id": "l1", "list_id": "lab", "type": "detection", "namespace_type": "single"}]});
    let export = [
        rule.to_string(),
        r#"{"id":"l1","list_id":"lab","name":"Lab","namespace_type":"single","type":"detection"}"#.to_string(),
        // Line 15's download, on the list the rule names …
        r#"{"entries":[{"field":"event.id","operator":"included","type":"match","value":"EeD51fEHRw7g0zn1t46v"}],"item_id":"dl","list_id":"lab","name":"The lab download","type":"simple"}"#.to_string(),
        // … and an item of a list it does not name, which would hide every event.
        r#"{"entries":[{"field":"process.name","operator":"included","type":"exists"}],"item_id":"all","list_id":"elsewhere","name":"Everything","type":"simple"}"#.to_string(),
        r#"{"exported_count":4,"exported_rules_count":1,"exported_exception_list_count":2}"#.to_string(),
    ]
    .join("\n");
    let b = Browser::start().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    b.click("rule-paste-toggle").await;
    b.paste("rule-paste", &export).await;
    b.click("rule-paste-load").await;
    b.wait_until("the rule loaded", || async { b.text("rule-name").await == "Tuned download rule" }).await;
    b.click("tab-tune").await;
    b.wait_until("its exception item", || async { b.count("exception-item").await == 1 }).await;
    assert!(b.text("exception-item").await.contains("The lab download"));
    b.wait_until("what it suppressed", || async { b.text("exception-counts").await == "hid 1 events · suppressed 1 results" }).await;
    b.close().await;
}

/// The JSON lines (or one JSON document) of a text.
fn json_of(text: &str) -> Vec<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(one) => vec![one],
        Err(_) => text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect(),
    }
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_files_for_elasticsearch_are_the_ones_eqlplay_export_writes() {
    let b = Browser::start().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    b.click("tab-tune").await;
    assert!(b.text("to-elasticsearch").await.contains("winlogbeat-playground"));
    b.catch_downloads().await;
    let sample = "web/samples/script-download.ndjson";
    let cases = [
        ("export-template", "index-template.json", vec!["export", "template", "--rule", "web/rules/seed.toml"]),
        ("export-bulk", "events.bulk.ndjson", vec!["export", "bulk", "--rule", "web/rules/seed.toml", sample]),
        ("export-search", "eql-search.json", vec!["export", "search", "--rule", "web/rules/seed.toml", sample]),
        ("export-rule", "rule.ndjson", vec!["export", "rule", "--rule", "web/rules/seed.toml"]),
    ];
    for (button, name, args) in cases {
        let _: Option<()> = b.eval("window.__downloads = []; return null").await;
        b.click(button).await;
        let download = b.download().await;
        assert_eq!(download["name"], name);
        let text = download["text"].as_str().expect("text");
        let cli = cli_text(&args);
        assert_eq!(json_of(text), json_of(&cli), "{button}: the page's file is eqlplay's");
        if button == "export-bulk" {
            // The events as given, so the same bytes whatever each build's JSON key order.
            assert_eq!(text, cli, "{button}: byte for byte");
        }
    }
    b.close().await;
}
