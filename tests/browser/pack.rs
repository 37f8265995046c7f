//! The Pack tab, driven as a person drives it: choose several rule files (or a zip of the whole
//! corpus), see which rules fired — the alerts `eqlplay scan` prints for the same files —
//! sort and filter them, look by host and on the timeline, open a rule as if it had been
//! loaded alone, edit the events and see the pack follow, cancel a long run.

use super::harness::Browser;
use super::oracle::eqlplay_stdout;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};


const SEED_NAME: &str = "Remote File Download via Script Interpreter";

/// A scratch folder of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eqlplay-pack-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// `eqlplay scan`'s alerts per rule name, and each alert's first event line.
fn scan(rules: &Path, events: &str) -> BTreeMap<String, Vec<u64>> {
    let out = eqlplay_stdout(&["scan", "--rules", &rules.display().to_string(), events]);
    let mut alerts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for line in out.lines() {
        let alert: serde_json::Value = serde_json::from_str(line).expect("a JSON line per alert");
        let first = alert["events"].as_array().and_then(|e| e.iter().find_map(|e| e["line"].as_u64())).unwrap_or(0);
        alerts.entry(alert["rule_name"].as_str().unwrap_or("").to_string()).or_default().push(first);
    }
    alerts
}

/// The overview's rows as (name, alerts), in the order shown.
async fn rows(b: &Browser) -> Vec<(String, usize)> {
    let rows: Vec<(String, String)> = b
        .eval(
            "return [...document.querySelectorAll(\"[data-testid='pack-rule']\")].map(r => \
             [r.querySelector(\"[data-testid='pack-open']\").textContent, r.querySelector(\"[data-testid='pack-rule-alerts']\").textContent])",
        )
        .await;
    rows.into_iter().map(|(name, n)| (name, n.parse().expect("a count"))).collect()
}

async fn choose(b: &Browser, test_id: &str, paths: &[&Path]) {
    let input = b.client.find(fantoccini::Locator::Css(&format!("[data-testid='{test_id}']"))).await.expect("file input");
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&list.join("\n")).await.expect("choose files");
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_pack_of_files_shows_what_fired_where_and_opens_a_rule_as_if_alone() {
    let dir = scratch("files");
    let seed = dir.join("seed.toml");
    std::fs::copy(eqlplay_tests::workspace_root().join("web/rules/seed.toml"), &seed).expect("seed rule");
    let export = dir.join("export.ndjson");
    let lines = [
        r#"{"rule_id":"net","name":"Script interpreter connection","type":"eql","language":"eql","severity":"high","risk_score":73,"threat":[{"framework":"MITRE ATT&CK","tactic":{"id":"TA0011","name":"Command and Control","reference":"https://attack.mitre.org/tactics/TA0011/"},"technique":[{"id":"T1071","name":"Application Layer Protocol","reference":"https://attack.mitre.org/techniques/T1071/"}]}],"query":"network where process.name : (\"wscript.exe\", \"cscript.exe\")"}"#,
        r#"{"rule_id":"kql","name":"A KQL rule","type":"query","language":"kuery","query":"process.name: wscript.exe"}"#,
        r#"{"rule_id":"bad","name":"Broken","type":"eql","language":"eql","query":"process where"}"#,
        r#"{"rule_id":"ml","name":"Rare process","type":"machine_learning","anomaly_threshold":50}"#,
        r#"{"exported_count":4,"exported_rules_count":4}"#,
    ];
    std::fs::write(&export, lines.join("\n")).expect("export");
    let sample = "web/samples/script-download.ndjson";
    let expected = scan(&dir, sample);
    assert_eq!(expected.keys().collect::<Vec<_>>(), ["Remote File Download via Script Interpreter", "Script interpreter connection"]);
    let total: usize = expected.values().map(Vec::len).sum();

    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match in 59 events") }).await;
    b.click("tab-pack").await;
    assert_eq!(b.server_requests("pack_runner_bg.wasm"), 0, "the pack runner loads only for a pack");
    choose(&b, "pack-files", &[&seed, &export]).await;
    let want = format!("5 rules: 2 ran, 2 fired with {total} alerts over 59 events");
    b.wait_until("the pack's summary", || async { b.text("pack-summary").await.starts_with(&want) }).await;
    assert_eq!(b.server_requests("pack_runner_bg.wasm"), 1);
    // The alerts download is what `eqlplay scan` prints for the same files, byte for byte.
    b.catch_downloads().await;
    b.click("pack-download").await;
    let download = b.download().await;
    assert_eq!(download["name"], "pack-alerts.ndjson");
    assert_eq!(download["text"].as_str().expect("text"), eqlplay_stdout(&["scan", "--rules", &dir.display().to_string(), sample]));
    assert_eq!(b.text("pack-files-read").await, "Read from: seed.toml, export.ndjson");

    // The rules that fired, most severe first, with scan's counts.
    let shown = rows(&b).await;
    let counts: Vec<(String, usize)> = vec![("Script interpreter connection".into(), expected["Script interpreter connection"].len()), (SEED_NAME.into(), expected[SEED_NAME].len())];
    assert_eq!(shown, counts);
    b.click("pack-sort-name").await;
    b.wait_until("sorted by name", || async { rows(&b).await.first().is_some_and(|r| r.0 == SEED_NAME) }).await;
    b.click("pack-sort-alerts").await;
    let by_alerts = rows(&b).await;
    assert!(by_alerts.windows(2).all(|w| w[0].1 >= w[1].1), "{by_alerts:?}");
    // A technique typed into the filter keeps the rules that carry it.
    b.retype("pack-filter", "t1105").await;
    b.wait_until("filtered", || async { rows(&b).await.iter().map(|r| r.0.clone()).collect::<Vec<_>>() == [SEED_NAME] }).await;
    b.retype("pack-filter", "").await;
    b.wait_until("unfiltered", || async { rows(&b).await.len() == 2 }).await;

    // By host: the hosts of the alerts' events, as the sample has them.
    let sample_lines: Vec<serde_json::Value> =
        std::fs::read_to_string(eqlplay_tests::workspace_root().join(sample)).expect("sample").lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let mut hosts: Vec<String> = expected.values().flatten().map(|&line| sample_lines[line as usize - 1]["host"]["name"].as_str().expect("host.name").to_string()).collect();
    hosts.sort();
    hosts.dedup();
    b.click("pack-show-hosts").await;
    let mut shown_hosts: Vec<String> = b.eval("return [...document.querySelectorAll(\"[data-testid='pack-host-name']\")].map(h => h.textContent)").await;
    shown_hosts.sort();
    assert_eq!(shown_hosts, hosts);
    b.click("pack-show-timeline").await;
    assert_eq!(b.count("pack-timeline-alert").await, total, "one mark per alert");

    let not_run = b.text("pack-not-run").await;
    assert!(not_run.starts_with("Not run, not EQL: 2 (machine_learning 1, query 1)"), "{not_run}");
    b.click_css("[data-testid='pack-failed'] summary").await;
    let failed = b.text("pack-failed").await;
    assert!(failed.contains("Broken: 1:14"), "{failed}");

    // The pack follows the events: a line typed into the events box is counted.
    b.type_at_end("events-input", "\n{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event\":{\"category\":\"process\"}}").await;
    let want = format!("5 rules: 2 ran, 2 fired with {total} alerts over 60 events");
    b.wait_until("the pack over the edited events", || async { b.text("pack-summary").await.starts_with(&want) }).await;
    super::live::stays_idle(&b, "after the pack ran").await;

    // Opening a rule: the page is as if it had been loaded alone — its card, its results, its
    // checklist.
    for name in ["Script interpreter connection", SEED_NAME] {
        b.click("tab-pack").await;
        b.click("pack-show-rules").await;
        let open = format!("//button[@data-testid='pack-open' and text()='{name}']");
        b.client.find(fantoccini::Locator::XPath(&open)).await.expect("the rule's row").click().await.expect("open");
        b.wait_until("the opened rule", || async { b.text("rule-name").await == name }).await;
        let want = format!("{} match", expected[name].len());
        b.wait_until("its results alone", || async {
            let count = b.text("match-count").await;
            count.starts_with(&want) && count.contains("in 60 events")
        })
        .await;
    }
    // Each rule opened changed the query and ran it; the pack's view, over the same events, stays.
    b.click("tab-pack").await;
    b.wait_until("the pack's view after the rules opened", || async { b.text("pack-summary").await.starts_with(&want) }).await;
    b.click("tab-triage").await;
    assert!(b.text("checklist-progress").await.starts_with("0 / "), "the seed rule's checklist, nothing ticked yet");
    b.click("tab-pack").await;
    b.click("pack-close").await;
    b.wait_until("the pack closed", || async { b.count("pack-summary").await == 0 }).await;
    // The same files chosen again (edited since, say) load again.
    choose(&b, "pack-files", &[&seed, &export]).await;
    b.wait_until("the pack again", || async { b.text("pack-summary").await.starts_with("5 rules: 2 ran, 2 fired") }).await;
    b.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The whole corpus, zipped as a user would hand it over, over 100,000 generated events with
/// planted attacks: the page shows the rules `eqlplay scan` says fire, the built-in rule's planted
/// sequences among them; a run can be cancelled and the page goes back to the query's results.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(any(eqlplay_no_site, eqlplay_no_shared), ignore = "needs the built site and the reference data: run `cargo xtask test` beside ../shared")]
async fn the_corpus_as_a_zip_fires_what_eqlplay_scan_fires() {
    let dir = scratch("corpus");
    let corpus = eqlplay_tests::shared_dir().join("corpus/elastic-detection-rules");
    let files: Vec<(String, Vec<u8>)> = eqlplay_tests::corpus_rule_files()
        .into_iter()
        .map(|p| (p.strip_prefix(&corpus).unwrap_or(&p).display().to_string(), std::fs::read(&p).expect("rule file")))
        .collect();
    let entries: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let zip = dir.join("detection-rules.zip");
    std::fs::write(&zip, archive::zip_of(&entries)).expect("zip");
    let events = dir.join("lab.ndjson");
    let config = eventgen::GenConfig { events: 100_000, ..eventgen::GenConfig::default() };
    let mut text = String::new();
    eventgen::generate(&config, &mut text);
    std::fs::write(&events, &text).expect("events");
    let expected = scan(&zip, &events.display().to_string());
    // The corpus's version of the built-in rule finds the planted sequences (and more: it is
    // an older, looser version of the rule).
    let planted = eventgen::expected_matches(&config);
    assert!(expected.get(SEED_NAME).is_some_and(|a| a.len() >= planted), "{:?} of {planted} planted", expected.get(SEED_NAME).map(Vec::len));

    let b = Browser::start().await;
    b.open("/").await;
    b.wait_until("the page", || async { b.text("match-count").await.starts_with("1 match") }).await;
    choose(&b, "events-file", &[&events]).await;
    b.wait_until("the events file", || async { b.text("match-count").await.contains("in 100000 events") }).await;
    b.click("tab-pack").await;

    // Cancel while it runs: the pack is dropped, the query's results come back.
    choose(&b, "pack-files", &[&zip]).await;
    b.wait_until("the pack running", || async { b.count("pack-running").await == 1 }).await;
    b.click("pack-close").await;
    b.wait_until("the pack cancelled", || async { b.count("pack-files-read").await == 0 }).await;
    b.click("tab-results").await;
    b.wait_until("the query's results again", || async { b.text("match-count").await.contains("in 100000 events") }).await;

    b.click("tab-pack").await;
    let started = Instant::now();
    choose(&b, "pack-files", &[&zip]).await;
    let fired = expected.len();
    b.wait_for("the corpus over the events", Duration::from_secs(120), || async { b.text("pack-summary").await.contains(&format!("{fired} fired")) }).await;
    // The figure BENCHMARKS.md quotes (printed, not asserted: the machine is shared).
    println!("the corpus ({} rules) over {} events in the page: {:.1} s from choosing the zip", files.len(), config.events, started.elapsed().as_secs_f64());
    let summary = b.text("pack-summary").await;
    assert!(summary.starts_with(&format!("{} rules: {} ran", files.len(), files.len())), "{summary}");
    let mut shown = rows(&b).await;
    shown.sort();
    let want: Vec<(String, usize)> = expected.iter().map(|(name, alerts)| (name.clone(), alerts.len())).collect();
    assert_eq!(shown, want);
    // Building-block rules (Kibana keeps their alerts out of the Alerts table) are marked.
    let building_blocks = files
        .iter()
        .filter_map(|(_, bytes)| rules::load_rule(std::str::from_utf8(bytes).ok()?).ok())
        .filter(|r| expected.contains_key(&r.name) && r.extra.get("building_block_type").is_some())
        .count();
    assert_eq!(b.count("pack-building-block").await, building_blocks);
    b.catch_downloads().await;
    b.click("pack-download").await;
    let download = b.download().await;
    let scanned = eqlplay_stdout(&["scan", "--rules", &zip.display().to_string(), &events.display().to_string()]);
    assert!(download["text"].as_str() == Some(scanned.as_str()), "the page's alerts are eqlplay scan's, byte for byte");
    b.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A folder dropped on the tab (as from a file manager: CDP's drag events carry its path) is
/// walked: a clone's `rules/` folder, subfolders included, is a pack as it is.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_dropped_folder_is_walked() {
    let dir = scratch("folder");
    let rules = dir.join("rules");
    std::fs::create_dir_all(rules.join("windows")).expect("folders");
    std::fs::copy(eqlplay_tests::workspace_root().join("web/rules/seed.toml"), rules.join("windows/seed.toml")).expect("seed rule");
    std::fs::write(rules.join("kql.ndjson"), r#"{"rule_id":"kql","name":"A KQL rule","type":"query","language":"kuery","query":"a:b"}"#).expect("export");
    std::fs::write(rules.join("README.md"), "# not a rule\n").expect("readme");
    let b = Browser::start().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match in 59 events") }).await;
    b.click("tab-pack").await;
    let (x, y): (f64, f64) = b
        .eval("const r = document.querySelector(\"[data-testid='pack-tab']\").getBoundingClientRect(); return [r.x + r.width / 2, r.y + 40]")
        .await;
    let data = serde_json::json!({ "items": [], "files": [rules.canonicalize().expect("path").display().to_string()], "dragOperationsMask": 1 });
    for kind in ["dragEnter", "dragOver", "drop"] {
        b.cdp("Input.dispatchDragEvent", serde_json::json!({ "type": kind, "x": x, "y": y, "data": data })).await;
    }
    b.wait_until("the folder's pack", || async { b.text("pack-summary").await.starts_with("2 rules: 1 ran, 1 fired with 1 alerts over 59 events") }).await;
    let read = b.text("pack-files-read").await;
    assert!(read.contains("rules/windows/seed.toml") && read.contains("rules/kql.ndjson"), "{read}");
    assert_eq!(b.count("pack-failed").await, 0, "the folder's README is passed over");
    b.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Kibana export that carries the exception lists its rules name: the page hides the items'
/// events from those rules, as Kibana's filter and `eqlplay scan` do, and says so.
#[tokio::test(flavor = "multi_thread")]
async fn exception_lists_in_an_export_hide_events_as_in_eqlplay_scan() {
    let dir = scratch("exceptions");
    let seed = rules::load_rule(&std::fs::read_to_string(eqlplay_tests::workspace_root().join("web/rules/seed.toml")).expect("seed rule")).expect("seed");
    let rule = |id: &str, name: &str, lists: serde_json::Value| {
        serde_json::json!({"rule_id": id, "name": name, "type": "eql", "language": "eql", "query": seed.query, "exceptions_list": lists}).to_string()
    };
    let lines = [
        rule("excepted", "Excepted", serde_json::json!([{"id": "l", "list_id": "l", "type": "detection", "namespace_type": "single"}])),
        rule("plain", "Plain", serde_json::json!([])),
        r#"{"exported_count":2,"exported_rules_count":2}"#.to_string(),
        r#"{"id":"l","list_id":"l","name":"Disconnects","namespace_type":"single","type":"detection"}"#.to_string(),
        r#"{"item_id":"disc","list_id":"l","name":"Disconnects","type":"simple","namespace_type":"single","entries":[{"field":"event.action","operator":"included","type":"match","value":"disconnect_received"}]}"#.to_string(),
    ];
    let export = dir.join("export.ndjson");
    std::fs::write(&export, lines.join("\n")).expect("export");
    let sample = "web/samples/script-download.ndjson";
    let expected = scan(&dir, sample);
    // Line 14 (a disconnect) hidden, the sequence starts at the connection on line 13.
    assert_eq!((expected["Excepted"].as_slice(), expected["Plain"].as_slice()), (&[13][..], &[14][..]));

    let b = Browser::start().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match in 59 events") }).await;
    b.click("tab-pack").await;
    choose(&b, "pack-files", &[&export]).await;
    b.wait_until("the pack's summary", || async { b.count("pack-summary").await == 1 }).await;
    let want: Vec<(String, usize)> = expected.iter().map(|(name, alerts)| (name.clone(), alerts.len())).collect();
    let mut shown = rows(&b).await;
    shown.sort();
    assert_eq!(shown, want);
    let note = b.text("pack-exceptions").await;
    assert!(note.contains("from 1 rules"), "{note}");
    b.catch_downloads().await;
    b.click("pack-download").await;
    let download = b.download().await;
    assert_eq!(download["text"].as_str().expect("text"), eqlplay_stdout(&["scan", "--rules", &dir.display().to_string(), sample]));

    // Opened alone, the rule brings the items of its lists (as a rule export opened alone
    // does), so it gives what it gave in the pack.
    b.client.find(fantoccini::Locator::XPath("//button[@data-testid='pack-open' and text()='Excepted']")).await.expect("the rule's row").click().await.expect("open");
    b.wait_until("the opened rule", || async { b.text("rule-name").await == "Excepted" }).await;
    let want = format!("{} match", expected["Excepted"].len());
    b.wait_until("its results with its exceptions", || async { b.text("match-count").await.starts_with(&want) }).await;
    let card = b.text("match").await;
    assert!(card.contains("line 13") && !card.contains("line 14"), "{card}");
    b.click("tab-tune").await;
    assert!(b.text("exception-item").await.contains("Disconnects"), "{}", b.text("exception-item").await);
    b.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
