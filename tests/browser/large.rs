//! 100 MB of events through the page: correct results, and the figures BENCHMARKS.md quotes
//! (load-and-match time, main-thread time per keystroke, the tab's memory). The figures are
//! printed, not asserted: the machine is shared, and timing belongs in benchmarks.

use super::harness::Browser;
use std::time::Instant;

/// Resident memory of a process and all its descendants (ChromeDriver and its Chromium).
fn tree_rss_bytes(root: u32) -> u64 {
    // (pid, parent, rss) of every process.
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // Fields after the command name: state ppid ...
        let Some(after) = stat.rsplit_once(')').map(|(_, a)| a) else { continue };
        let ppid = after.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
        let rss = std::fs::read_to_string(entry.path().join("status"))
            .ok()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmRSS:")).map(str::to_string))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        procs.push((pid, ppid, rss * 1024));
    }
    let mut tree = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for (pid, ppid, _) in &procs {
            if tree.contains(ppid) && !tree.contains(pid) {
                tree.push(*pid);
                grew = true;
            }
        }
    }
    procs.iter().filter(|(pid, _, _)| tree.contains(pid)).map(|(_, _, rss)| rss).sum()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_100_mb_file_loads_and_matches_off_the_main_thread() {
    let b = Browser::start().await;
    b.open("/").await;
    b.text("match-count").await;
    let cfg = eventgen::GenConfig { events: 116_000, ..eventgen::GenConfig::default() };
    let mut text = String::with_capacity(104 << 20);
    eventgen::generate(&cfg, &mut text);
    let expected = eventgen::expected_matches(&cfg);
    let path = std::env::temp_dir().join("eqlplay-100mb.ndjson");
    std::fs::write(&path, &text).expect("write the file");
    let size = text.len();
    drop(text);
    let idle_rss = tree_rss_bytes(b.driver_pid());

    let started = Instant::now();
    let input = b.client.find(fantoccini::Locator::Css("[data-testid='events-file']")).await.expect("file input");
    input.send_keys(&path.display().to_string()).await.expect("choose file");
    let want = format!("{expected} matches in {} events", cfg.events);
    b.wait_until(&want, || async { b.text("match-count").await.starts_with(&want) }).await;
    let load_and_match = started.elapsed();
    let loaded_rss = tree_rss_bytes(b.driver_pid());

    // Main-thread cost of one keystroke in the editor, with the events loaded.
    let per_key = b
        .client
        .execute(
            "const el = document.querySelector(\"[data-testid='rule-editor']\");
             const times = [];
             for (let i = 0; i < 20; i++) {
               const t0 = performance.now();
               el.value = el.value + (i % 2 ? ')' : ' ');
               el.dispatchEvent(new Event('input', { bubbles: true }));
               times.push(performance.now() - t0);
             }
             times.sort((a, b) => a - b);
             return { median: times[10], max: times[19] };",
            vec![],
        )
        .await
        .expect("typing");
    println!(
        "100 MB: {:.1} MB, {} events, loaded and matched in {:.2} s (wall, includes WebDriver's file upload); \
         keystroke main-thread median {} ms, max {} ms; browser RSS {:.0} MB idle, {:.0} MB loaded ({:.2}× the input)",
        size as f64 / 1e6,
        cfg.events,
        load_and_match.as_secs_f64(),
        per_key["median"],
        per_key["max"],
        idle_rss as f64 / 1e6,
        loaded_rss as f64 / 1e6,
        loaded_rss.saturating_sub(idle_rss) as f64 / size as f64,
    );
    let _ = std::fs::remove_file(&path);
    b.close().await;
}
