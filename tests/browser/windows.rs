//! Windows event logs in the page: a Sysmon `.evtx` chosen as the events file is converted to
//! ECS by the converter module (fetched only then), the rule runs over the converted events,
//! and the converted NDJSON downloads as `eqlplay convert` prints it; the built-in lab capture
//! (event XML) fires the built-in rule in one click. The page says which fields it supplied.

use super::harness::Browser;

fn cli_convert(path: &std::path::Path) -> Vec<serde_json::Value> {
    let bin = std::env::var_os("EQLPLAY_BIN").expect("EQLPLAY_BIN names the eqlplay binary: run `cargo xtask test`");
    let out = std::process::Command::new(bin).arg("convert").arg(path).output().expect("eqlplay convert");
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(any(eqlplay_no_site, eqlplay_no_shared), ignore = "needs the built site (`cargo xtask test`) and the reference data")]
async fn a_sysmon_evtx_is_converted_and_matched() {
    let evtx = eqlplay_tests::shared_dir().join("reference/windows-events/evtx-rs/samples/sysmon.evtx").canonicalize().expect("sysmon.evtx");
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    assert_eq!(b.server_requests("converter_bg.wasm"), 0, "the converter loads only for a Windows log");
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='events-file']")).await.expect("file input");
    input.send_keys(&evtx.display().to_string()).await.expect("choose file");
    b.wait_until("the converted events", || async { b.text("match-count").await.starts_with("0 matches in 358 events") }).await;
    assert_eq!(b.server_requests("converter_bg.wasm"), 1);
    assert!(b.text("conversion-count").await.starts_with("358 events converted to ECS"), "{}", b.text("conversion-count").await);
    assert!(b.text("conversion-supplied").await.contains("supplied by the playground"));
    assert_eq!(b.count("conversion-errors").await, 0, "no record failed");
    // A query over the converted fields finds what `eqlplay match` finds.
    b.retype("rule-editor", r#"process where process.name : "ping.exe" and process.parent.name : "cmd.exe""#).await;
    b.wait_until("the query over ECS fields", || async { b.text("match-count").await.starts_with("131 matches in 358 events") }).await;
    b.catch_downloads().await;
    b.click("download-converted").await;
    let download = b.download().await;
    let page: Vec<serde_json::Value> =
        download["text"].as_str().expect("text").lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(page, cli_convert(&evtx), "the page converts as `eqlplay convert` does");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_lab_capture_fires_the_built_in_rule() {
    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.text("match-count").await;
    b.click("sample-lab").await;
    b.wait_until("the rule over the converted capture", || async { b.text("match-count").await.starts_with("1 match in 17 events") }).await;
    // Converting leaves nothing running behind it.
    super::live::stays_idle(&b, "after converting a Windows log").await;
    assert!(b.text("conversion-count").await.starts_with("17 events converted"));
    // host.id comes from the computer name unless the user gives one id for every event.
    b.retype("rule-editor", r#"any where host.id == "lab-host-1""#).await;
    b.wait_until("no event has that id yet", || async { b.text("match-count").await.starts_with("0 matches in 17 events") }).await;
    b.retype("host-id", "lab-host-1").await;
    b.type_at_end("host-id", &char::from(fantoccini::key::Key::Enter).to_string()).await;
    b.wait_until("every event has it", || async { b.text("match-count").await.starts_with("17 matches in 17 events") }).await;
    // Back to pasted events: the note about the conversion goes with the file.
    b.click("sample-download").await;
    b.wait_until("the sample again", || async { b.text("match-count").await.starts_with("0 matches in 59 events") }).await;
    assert_eq!(b.count("conversion").await, 0);
    b.close().await;
}
