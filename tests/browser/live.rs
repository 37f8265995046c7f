//! The page always shows the result of what the user just did, and does nothing while nobody
//! acts. Input arrives as a person's does: key events and pastes, never by assigning `.value`.

use super::harness::{Browser, Probe};
use super::oracle::{eqlplay, Expected, Fields};
use super::SAMPLE;
use std::time::{Duration, Instant};

/// The built-in rule's query, as the page loads it.
fn seed_query() -> String {
    rules::seed_rule().expect("the seed rule").query.trim().to_string()
}

/// Waits until the page has settled on `want`'s count line (or on a query error).
async fn shows(b: &Browser, want: &Expected, context: &str) {
    let what = format!("{context}: the page to show {want:?}");
    match want.count_line() {
        Some(line) => {
            b.wait_until(&what, || async { b.busy().await == "false" && b.text("match-count").await.starts_with(&line) })
                .await
        }
        None => b.wait_until(&what, || async { b.busy().await == "false" && b.count("query-error").await > 0 }).await,
    }
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn pasting_2000_and_20000_events_shows_what_the_command_line_finds() {
    let b = Browser::start().await;
    b.open("/").await;
    b.settled().await;
    for events in [2_000, 20_000] {
        let cfg = eventgen::GenConfig { events, ..eventgen::GenConfig::default() };
        let mut text = String::new();
        eventgen::generate(&cfg, &mut text);
        let want = eqlplay(&seed_query(), &Fields::default(), &text);
        let Expected::Ran { results, .. } = &want else { panic!("the seed rule compiles") };
        assert_eq!(results.len(), eventgen::expected_matches(&cfg), "eqlplay finds the planted sequences");
        b.copy(&text).await;
        let started = Instant::now();
        b.paste_copied("events-input").await;
        shows(&b, &want, &format!("{events} pasted events")).await;
        println!("pasted {events} events ({:.1} MB): results in {:.2} s", text.len() as f64 / 1e6, started.elapsed().as_secs_f64());
    }
    b.close().await;
}

/// One edit of the random run, and how it changes the model of what the page holds.
struct Model {
    query: String,
    events: String,
    fields: Fields,
}

const QUERIES: &[&str] = &[
    "network where process.name : \"wscript.exe\"",
    "process where true",
    "file where file.extension : (\"exe\", \"dll\")",
    "sequence by host.id [network where true] [file where true]",
    "any where host.name == \"ws-fin-014\"",
    "network where destination.ip != \"127.0.0.1\" | head 3",
    "process where process.name == 'x'",
    "sequence [process where true] [network where true] | tail 2",
];

const TIEBREAKERS: &[&str] = &["", "process.pid", "event.sequence"];
const CATEGORIES: &[&str] = &["event.category", "event.category", "event.kind"];

/// SplitMix64: a seeded run is the same run every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Events for a paste: a run of the sample's lines, sometimes with a malformed line in it.
fn some_events(rng: &mut Rng) -> String {
    let lines: Vec<&str> = SAMPLE.lines().collect();
    let start = rng.below(lines.len());
    let len = 1 + rng.below(lines.len() - start);
    let mut picked: Vec<&str> = lines[start..start + len].to_vec();
    if rng.below(3) == 0 {
        picked.insert(rng.below(picked.len() + 1), "{\"broken\": ");
    }
    picked.join("\n")
}

async fn set_field(b: &Browser, test_id: &str, value: &str) {
    // The fields sit in a closed <details> until it is opened.
    if !b.eval::<bool>("return document.querySelector('details.settings').open").await {
        b.click_css("details.settings > summary").await;
    }
    // Select what is there, type the new value (or delete), and leave the field: `change` fires.
    b.retype(test_id, value).await;
    let el = b.client.find(fantoccini::Locator::Css(&format!("[data-testid='{test_id}']"))).await.expect("field");
    el.send_keys("\u{E004}").await.expect("Tab");
}

async fn edit(b: &Browser, rng: &mut Rng, m: &mut Model) -> String {
    match rng.below(8) {
        0 | 1 => {
            let q = rng.pick(QUERIES).to_string();
            b.retype("rule-editor", &q).await;
            m.query = q;
            "retype the query".into()
        }
        2 => {
            let tail = rng.pick(&[" ", " and true", ")", " or false"]);
            b.type_at_end("rule-editor", tail).await;
            m.query.push_str(tail);
            format!("type {tail:?} after the query")
        }
        3 => {
            let n = 1 + rng.below(4);
            b.type_at_end("rule-editor", &"\u{E003}".repeat(n)).await;
            for _ in 0..n {
                m.query.pop();
            }
            format!("backspace {n}× in the query")
        }
        4 | 5 => {
            let text = some_events(rng);
            b.paste("events-input", &text).await;
            let lines = text.lines().count();
            m.events = text;
            format!("paste {lines} lines of events")
        }
        6 => {
            let line = SAMPLE.lines().nth(rng.below(59)).unwrap_or_default();
            let typed = if rng.below(2) == 0 { format!("\n{line}") } else { "\n{\"half\":".to_string() };
            b.type_at_end("events-input", &typed).await;
            m.events.push_str(&typed);
            "type a line after the events".into()
        }
        _ => {
            if rng.below(2) == 0 {
                let v = rng.pick(TIEBREAKERS);
                set_field(b, "tiebreaker-field", v).await;
                m.fields.tiebreaker = v.to_string();
                format!("tiebreaker field := {v:?}")
            } else {
                let v = rng.pick(CATEGORIES);
                set_field(b, "category-field", v).await;
                m.fields.category = v.to_string();
                format!("category field := {v:?}")
            }
        }
    }
}

/// The line numbers of each result card, in order.
async fn cards(b: &Browser) -> Vec<Vec<u64>> {
    let script = "return [...document.querySelectorAll(\"[data-testid='match']\")].map(c =>
        [...c.querySelectorAll('.match-event')].map(e => { const l = e.querySelector('.line');
            return l ? parseInt(l.textContent.replace(/[^0-9]/g, ''), 10) : 0; }))";
    b.eval(script).await
}

async fn random_run(seed: u64) {
    let b = Browser::start().await;
    b.open("/").await;
    b.settled().await;
    let mut rng = Rng(seed);
    let mut m = Model { query: seed_query(), events: SAMPLE.trim_end_matches('\n').to_string(), fields: Fields::default() };
    // The box holds the sample with its final newline.
    m.events.push('\n');
    let edits = 30 + rng.below(21);
    let mut log = Vec::new();
    for i in 0..edits {
        log.push(edit(&b, &mut rng, &mut m).await);
        println!("seed {seed}, edit {}: {}", i + 1, log[i]);
        // Pauses from none to well past the debounce.
        let pause = [0, 0, 20, 60, 140, 200, 400][rng.below(7)];
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
    let context = format!("seed {seed} after {edits} edits ({})", log.join("; "));
    let want = eqlplay(&m.query, &m.fields, &m.events);
    shows(&b, &want, &context).await;
    // Still true a moment later: nothing late overwrites it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(b.busy().await, "false", "{context}");
    match &want {
        Expected::QueryError => assert!(b.count("query-error").await > 0, "{context}"),
        Expected::Ran { results, malformed, .. } => {
            let line = want.count_line().unwrap_or_default();
            assert!(b.text("match-count").await.starts_with(&line), "{context}: want {line}");
            assert_eq!(&cards(&b).await, results, "{context}: the cards");
            assert_eq!(b.count("input-error").await, *malformed, "{context}: malformed lines listed");
            // The table lists exactly the events of the results as matched.
            let mut matched: Vec<u64> = results.iter().flatten().copied().filter(|&l| l > 0).collect();
            matched.sort_unstable();
            matched.dedup();
            b.click("tab-events").await;
            b.click("filter-matched").await;
            let want_rows = format!("{} events", matched.len());
            b.wait_until(&format!("{context}: {want_rows} in the table"), || async {
                b.text("row-count").await.starts_with(&want_rows)
            })
            .await;
            let rows: Vec<u64> =
                b.eval("return [...document.querySelectorAll(\"[data-testid='event-row']\")].map(r => +r.dataset.line)").await;
            assert_eq!(rows, matched.iter().copied().take(rows.len()).collect::<Vec<_>>(), "{context}: matched rows");
            assert_eq!(rows.len(), matched.len().min(80), "{context}: matched rows");
        }
    }
    b.close().await;
}

/// Seeds from `EQLPLAY_EDIT_SEEDS` (comma-separated), else three fixed ones.
fn seeds() -> Vec<u64> {
    std::env::var("EQLPLAY_EDIT_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 7, 2026])
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_random_run_of_edits_ends_showing_the_final_inputs() {
    for seed in seeds() {
        println!("random edits, seed {seed} (rerun with EQLPLAY_EDIT_SEEDS={seed})");
        random_run(seed).await;
    }
}

/// Over 3 s of nobody acting: at most 2 messages between page and worker, no timer or frame
/// callback, no DOM change, and the renderer's script time under 5 % of the wall time.
pub(crate) async fn stays_idle(b: &Browser, when: &str) {
    b.settled().await;
    // Let the last answers land (rows, an explanation) before counting.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (script0, probe0, t0) = (b.script_seconds().await, b.probe().await, Instant::now());
    tokio::time::sleep(Duration::from_secs(3)).await;
    let probe: Probe = b.probe().await - probe0;
    let (script, wall) = (b.script_seconds().await - script0, t0.elapsed().as_secs_f64());
    println!("idle {when}: {probe:?}, script {:.1} ms in {wall:.2} s", script * 1000.0);
    assert!(probe.sent + probe.received <= 2, "{when}: messages while idle: {probe:?}");
    assert_eq!((probe.timers, probe.frames), (0, 0), "{when}: timers while idle: {probe:?}");
    assert_eq!(probe.mutations, 0, "{when}: the page re-rendered while idle: {probe:?}");
    assert!(script < 0.05 * wall, "{when}: script time {script:.3} s in {wall:.2} s");
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn an_idle_page_does_nothing() {
    let b = Browser::start().await;
    b.install_probe().await;
    b.open("/").await;
    b.wait_until("the seed rule's match", || async { b.text("match-count").await.starts_with("1 match") }).await;
    let started = b.probe().await;
    assert!(started.sent >= 2 && started.received >= 1, "the probe counts the worker's messages: {started:?}");
    stays_idle(&b, "after loading").await;
    // The events table with an event explained: rows and explanations are asked for once.
    b.click("tab-events").await;
    b.wait_until("rows", || async { b.count("event-row").await > 0 }).await;
    b.click_css("[data-testid='event-row'][data-line='19']").await;
    b.text("explain").await;
    stays_idle(&b, "with the events table and an explanation").await;
    // The script-time metric is live: typing costs some.
    let before = b.script_seconds().await;
    b.type_at_end("rule-editor", "  ").await;
    b.settled().await;
    assert!(b.script_seconds().await > before, "typing shows in the renderer's script time");
    stays_idle(&b, "after typing in the query").await;
    b.paste("events-input", &SAMPLE.lines().take(30).collect::<Vec<_>>().join("\n")).await;
    b.wait_until("30 events", || async { b.text("row-count").await.contains("30") }).await;
    stays_idle(&b, "after pasting events").await;
    // The Learn tab: an exercise opened and an answer checked, then nothing more.
    b.click("tab-learn").await;
    b.click_css("[data-testid='learn-exercise'][data-id='ex01-case']").await;
    b.wait_until("the exercise's events", || async { b.value("rule-editor").await.starts_with("network where") }).await;
    b.click("learn-check").await;
    b.text("learn-verdict").await;
    stays_idle(&b, "on the Learn tab after a check").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn the_worker_gets_the_module_from_the_page() {
    let b = Browser::start().await;
    b.open("/").await;
    b.settled().await;
    // The page fetched the wasm once; the worker compiled nothing of its own.
    let wasm: Vec<String> =
        b.eval("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'))").await;
    assert_eq!(wasm.len(), 1, "{wasm:?}");
    assert_eq!(b.server_requests("app_bg.wasm"), 1, "the wasm is requested once, by the page alone");
    b.close().await;
}
