//! The Learn tab, driven as a learner drives it: open the course, pick an exercise, type the
//! query in the editor and check it. A wrong answer shows the counts; a hint and the detailed
//! feedback (which cost points) name the missed event and why; the right answer shows solved
//! and the explanation; progress survives a reload and a language switch. The trainer module
//! is fetched only when the tab is first opened.

use super::harness::Browser;

const STARTER: &str = r#"network where process.name == "wscript.exe""#;
const SOLUTION: &str = r#"network where process.name : ("wscript.exe", "cscript.exe")"#;

/// The results' count line, though the Results tab is hidden behind the Learn tab.
async fn count_line(b: &Browser) -> String {
    b.eval("const e = document.querySelector(\"[data-testid='match-count']\"); return e ? e.textContent : ''").await
}

/// A fresh page on the Learn tab.
async fn open_learn() -> Browser {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    b.click("tab-learn").await;
    b
}

async fn feedback(b: &Browser) -> Vec<String> {
    b.eval("return [...document.querySelectorAll(\"[data-testid='learn-feedback']\")].map(e => e.textContent)").await
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_learner_solves_an_exercise_by_typing() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    assert_eq!(b.server_requests("trainer_bg.wasm"), 0, "the trainer loads only for the Learn tab");
    b.click("tab-learn").await;
    b.click_css("[data-testid='learn-exercise'][data-id='ex01-case']").await;
    assert_eq!(b.server_requests("trainer_bg.wasm"), 1);
    // The exercise's starter query and events are in the editors, and the page runs them.
    b.wait_until("the starter query", || async { b.value("rule-editor").await == STARTER }).await;
    b.wait_until("the course's events", || async { count_line(&b).await.starts_with("7 matches in 34 events") }).await;

    b.click("learn-check").await;
    b.wait_until("the counts", || async { feedback(&b).await.first().is_some_and(|f| f == "7 correct, 6 missed, 0 unexpected.") }).await;
    assert!(b.text("learn-verdict").await.starts_with("Not yet"));
    assert!(feedback(&b).await.iter().all(|f| !f.starts_with("Missed")), "which events were missed is paid for");

    b.click("learn-hint").await;
    b.wait_until("the hint", || async { b.text("learn-hints").await.contains("lower case") }).await;
    b.click("learn-details").await;
    b.wait_until("the missed event, explained", || async {
        feedback(&b).await.iter().any(|f| f.starts_with("Missed 14") && f.contains("process.name = \"WScript.exe\""))
    })
    .await;

    b.retype("rule-editor", SOLUTION).await;
    // The report described the old query: it is gone until the new one is checked.
    b.wait_until("no stale report", || async { b.count("learn-report").await == 0 }).await;
    b.click("learn-check").await;
    b.wait_until("solved", || async { b.text("learn-verdict").await.starts_with("Solved") }).await;
    assert!(b.text("learn-verdict").await.contains("Score 80"), "100 less a hint and the details: {}", b.text("learn-verdict").await);
    assert!(b.text("learn-explanation").await.contains("case-sensitive"));

    // Progress survives a reload …
    b.open("/").await;
    b.click("tab-learn").await;
    b.wait_until("progress kept", || async { b.text("learn-progress").await.starts_with("1 / 12") }).await;
    // … and a language switch, with the course in Chinese.
    b.click("language-toggle").await;
    b.wait_until("Chinese", || async { b.text("learn-progress").await == "1 / 12 已完成" }).await;
    b.click_css("[data-testid='learn-exercise'][data-id='ex01-case']").await;
    b.wait_until("the exercise in Chinese", || async { b.text("learn-current").await.contains("谁在联网") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_prediction_is_typed_and_graded() {
    let b = open_learn().await;
    b.click_css("[data-testid='learn-exercise'][data-id='ex06-state-machine']").await;
    assert_eq!(b.text("learn-requires").await, "Solve first: ex04-join-keys");
    // The query to predict is in the editor, but its results wait for the prediction.
    b.click("tab-results").await;
    b.text("results-hidden").await;
    assert_eq!(count_line(&b).await, "", "no count while predicting");
    b.click("tab-events").await;
    b.text("results-hidden").await;
    b.click("tab-learn").await;
    b.retype("learn-answer", "1 3\n2 4").await;
    b.click("learn-check").await;
    b.wait_until("graded", || async { feedback(&b).await.first().is_some_and(|f| f == "0 correct, 1 missed, 2 unexpected.") }).await;
    // Once a prediction is graded, the results are there to compare with.
    b.wait_until("the results, shown", || async { !count_line(&b).await.is_empty() }).await;
    assert_eq!(b.count("results-hidden").await, 0);
    b.retype("learn-answer", "2 3").await;
    b.click("learn-check").await;
    b.wait_until("solved", || async { b.text("learn-verdict").await.starts_with("Solved") }).await;
    b.close().await;
}

/// A pack of one's own, its events inline, opened from a file; a broken one says where.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn an_instructors_pack_opens_from_a_file() {
    let pack = r#"[pack]
id = "tiny"
title = "Tiny pack"
version = "1"

[[datasets]]
id = "d"
events = '''
{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"process"},"process":{"name":"cmd.exe"}}
{"@timestamp":"2026-01-01T00:00:01Z","event":{"category":"process"},"process":{"name":"calc.exe"}}
'''

[[exercises]]
id = "only"
title = "Find cmd"
dataset = "d"
reference_query = 'process where process.name : "cmd.exe"'
"#;
    let b = open_learn().await;
    b.text("learn-progress").await;
    let dir = std::env::temp_dir().join(format!("eqlplay-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let choose = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("pack");
        path.display().to_string()
    };
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='learn-pack-file']")).await.expect("file input");
    input.send_keys(&choose("tiny.toml", pack)).await.expect("choose file");
    b.wait_until("the pack", || async { b.text("learn-progress").await == "0 / 1 solved" }).await;
    b.click_css("[data-testid='learn-exercise'][data-id='only']").await;
    b.retype("rule-editor", r#"process where process.name : "cmd.exe""#).await;
    b.wait_until("its events, queried", || async { count_line(&b).await.starts_with("1 match in 2 events") }).await;
    b.click("learn-check").await;
    b.wait_until("solved", || async { b.text("learn-verdict").await.starts_with("Solved") }).await;

    let input = b.client.find(fantoccini::Locator::Css("[data-testid='learn-pack-file']")).await.expect("file input");
    input.send_keys(&choose("broken.toml", &pack.replace("title = \"Find cmd\"", "titel = \"Find cmd\""))).await.expect("choose file");
    b.wait_until("where it is broken", || async {
        let e = b.text("learn-pack-error").await;
        e.contains("broken.toml:15:") && e.contains("titel")
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    b.close().await;
}

const TINY_PACK: &str = r#"[pack]
id = "tiny-zip"
title = "Tiny zipped pack"
version = "1"

[[datasets]]
id = "d"
file = "data/events.ndjson"

[[exercises]]
id = "only"
title = "Find cmd"
dataset = "d"
task = "Find **cmd**:\n\n- by name\n- any case"
reference_query = 'process where process.name : "cmd.exe"'
"#;
const TINY_EVENTS: &str = "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event\":{\"category\":\"process\"},\"process\":{\"name\":\"CMD.exe\"}}\n\
{\"@timestamp\":\"2026-01-01T00:00:01Z\",\"event\":{\"category\":\"process\"},\"process\":{\"name\":\"calc.exe\"}}\n";

fn zipped(entries: &[(&str, &str)]) -> Vec<u8> {
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    archive::zip_of(&entries)
}

/// Solves the tiny pack's one exercise by typing, once its course is shown.
async fn solve_tiny(b: &Browser) {
    b.wait_until("the pack", || async { b.text("learn-progress").await == "0 / 1 solved" }).await;
    b.click_css("[data-testid='learn-exercise'][data-id='only']").await;
    // Its Markdown: strong text and a list, as elements, not as asterisks.
    b.wait_until("the task's list", || async {
        b.eval::<Vec<String>>("return [...document.querySelectorAll(\"[data-testid='learn-current'] ul li\")].map(e => e.textContent)").await == ["by name", "any case"]
    })
    .await;
    assert!(b.eval::<bool>("return document.querySelector(\"[data-testid='learn-current'] strong\")?.textContent === 'cmd'").await);
    b.retype("rule-editor", r#"process where process.name : "cmd.exe""#).await;
    b.wait_until("its events, queried", || async { count_line(b).await.starts_with("1 match in 2 events") }).await;
    b.click("learn-check").await;
    b.wait_until("solved", || async { b.text("learn-verdict").await.starts_with("Solved") }).await;
}

/// An instructor hands out a zip of the pack and its data file; a learner opens it, and hands
/// it on as a link, which opens the same pack in another browser with nothing uploaded.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_zipped_pack_opens_and_travels_as_a_link() {
    let b = open_learn().await;
    b.text("learn-progress").await;
    assert_eq!(b.count("learn-pack-link-make").await, 0, "the built-in course needs no link");
    let dir = std::env::temp_dir().join(format!("eqlplay-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("tiny.zip");
    std::fs::write(&path, zipped(&[("tiny/pack.toml", TINY_PACK), ("tiny/data/events.ndjson", TINY_EVENTS)])).expect("zip");
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='learn-pack-file']")).await.expect("file input");
    input.send_keys(&path.display().to_string()).await.expect("choose file");
    solve_tiny(&b).await;

    b.click("learn-pack-link-make").await;
    // The browser compresses the link asynchronously.
    b.wait_until("the pack link", || async { b.count("learn-pack-link").await == 1 }).await;
    let link = b.value("learn-pack-link").await;
    assert!(link.starts_with(&b.base) && link.contains("#p="), "{link}");
    b.close().await;
    let _ = std::fs::remove_dir_all(&dir);

    let b2 = Browser::start().await;
    let fragment = link.split_once('#').map(|(_, f)| f).unwrap_or_default();
    b2.open(&format!("/#{fragment}")).await;
    // The page opens on the Learn tab with the linked pack, progress of its own browser.
    solve_tiny(&b2).await;
    // A damaged pack link says so, and the page still works.
    b2.open(&format!("/?damaged#p={}", &fragment[2..40])).await;
    b2.wait_until("the sample's result", || async { b2.text("match-count").await.starts_with("1 match in 59 events") }).await;
    assert!(b2.text("notice").await.starts_with("damaged pack link"), "{}", b2.text("notice").await);
    b2.close().await;
}
