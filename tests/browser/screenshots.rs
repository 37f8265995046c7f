//! Screenshots of the main views for the README, taken when `EQLPLAY_SCREENSHOTS` names a
//! folder (`EQLPLAY_SCREENSHOTS=docs/screenshots cargo xtask test -p eqlplay-tests --test browser screenshots`).

use super::harness::Browser;
use fantoccini::Locator;


#[tokio::test(flavor = "multi_thread")]
#[ignore = "takes the README's screenshots: run with EQLPLAY_SCREENSHOTS=docs/screenshots and --ignored"]
async fn screenshots_of_the_main_views() {
    let dir = std::env::var_os("EQLPLAY_SCREENSHOTS").map(std::path::PathBuf::from).expect("EQLPLAY_SCREENSHOTS names a folder");
    let b = Browser::start().await;
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let save = |name: &str, png: Vec<u8>| std::fs::write(dir.join(name), png).expect("save screenshot");
    b.open("/").await;
    b.text("match-count").await;
    save("results.png", b.client.screenshot().await.expect("screenshot"));
    b.click("match").await;
    b.click("tab-events").await;
    b.wait_until("rows", || async { b.count("event-row").await > 0 }).await;
    b.client.find(Locator::Css("[data-testid='event-row'][data-line='19']")).await.expect("row").click().await.expect("click");
    b.text("explain").await;
    save("events-explain.png", b.client.screenshot().await.expect("screenshot"));
    b.click("tab-results").await;
    b.click("triage-alert").await;
    b.wait_until("checklist", || async { b.count("checklist-step").await > 0 }).await;
    save("triage.png", b.client.screenshot().await.expect("screenshot"));
    b.click("language-toggle").await;
    b.wait_until("Chinese", || async { b.text("language-toggle").await == "English" }).await;
    save("triage-zh.png", b.client.screenshot().await.expect("screenshot"));
    b.click("language-toggle").await;
    b.click("tab-tune").await;
    b.click("compare-rule").await;
    b.retype("rule-editor", r#"sequence by host.id, process.entity_id [network where process.name : ("wscript.exe", "cscript.exe") and network.protocol != "dns"] [file where event.type == "creation" and file.extension : ("exe", "dll")]"#).await;
    b.wait_until("the comparison", || async { b.text("compare-summary").await.starts_with("+3") }).await;
    b.click("schedule-open").await;
    b.wait_until("the schedule", || async { b.count("timeline").await == 1 }).await;
    save("tune.png", b.client.screenshot().await.expect("screenshot"));
    let _: Option<()> = b.eval("document.querySelector(\"[data-testid='schedule']\").scrollIntoView(); return null").await;
    save("tune-schedule.png", b.client.screenshot().await.expect("screenshot"));
    // The Rule pack tab: the built-in rule and two more, over the sample.
    // A fixed file name: the page shows it.
    let folder = std::env::temp_dir().join(format!("eqlplay-shots-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("scratch folder");
    let pack = folder.join("lab-rules.ndjson");
    let export = [
        r#"{"rule_id":"net","name":"Script interpreter connection","type":"eql","language":"eql","severity":"high","risk_score":73,"threat":[{"framework":"MITRE ATT&CK","tactic":{"id":"TA0011","name":"Command and Control","reference":"https://attack.mitre.org/tactics/TA0011/"},"technique":[{"id":"T1071","name":"Application Layer Protocol","reference":"https://attack.mitre.org/techniques/T1071/"}]}],"query":"network where process.name : (\"wscript.exe\", \"cscript.exe\")"}"#,
        r#"{"rule_id":"exe","name":"Executable written","type":"eql","language":"eql","severity":"low","risk_score":21,"query":"file where event.type == \"creation\" and file.extension : \"exe\""}"#,
        r#"{"rule_id":"kql","name":"A KQL rule","type":"query","language":"kuery","query":"process.name: wscript.exe"}"#,
    ];
    std::fs::write(&pack, export.join("\n")).expect("pack");
    let seed = eqlplay_tests::workspace_root().join("web/rules/seed.toml").canonicalize().expect("seed rule");
    b.click("tab-pack").await;
    let input = b.client.find(Locator::Css("[data-testid='pack-files']")).await.expect("pack input");
    input.send_keys(&format!("{}\n{}", seed.display(), pack.display())).await.expect("choose");
    b.wait_until("the pack", || async { b.count("pack-summary").await == 1 }).await;
    save("pack.png", b.client.screenshot().await.expect("screenshot"));
    b.click("pack-show-timeline").await;
    save("pack-timeline.png", b.client.screenshot().await.expect("screenshot"));
    let _ = std::fs::remove_dir_all(&folder);
    b.close().await;
}
