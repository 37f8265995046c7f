//! 100 MB of events through the page: correct results, and the figures BENCHMARKS.md quotes
//! (load-and-match time, main-thread time per keystroke, the tab's memory). The figures are
//! printed, not asserted: the machine is shared, and timing belongs in benchmarks.

use super::harness::Browser;
use std::time::{Duration, Instant};

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

/// CPU time (user + system, in seconds) of a process and all its descendants.
fn tree_cpu_seconds(root: u32) -> f64 {
    let ticks = 100.0; // USER_HZ on Linux
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some(after) = stat.rsplit_once(')').map(|(_, a)| a.to_string()) else { continue };
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ppid = fields.get(1).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
        let cpu: f64 = [11, 12].iter().filter_map(|&i| fields.get(i).and_then(|t| t.parse::<f64>().ok())).sum();
        procs.push((pid, ppid, cpu / ticks));
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
    procs.iter().filter(|(pid, _, _)| tree.contains(pid)).map(|(_, _, cpu)| cpu).sum()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(eqlplay_no_site, ignore = "needs the built site: run `cargo xtask test`")]
async fn a_100_mb_file_loads_and_matches_off_the_main_thread() {
    let b = Browser::start().await;
    b.open("/").await;
    b.settled().await;
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
    b.wait_until(&want, || async { b.busy().await == "false" && b.text("match-count").await.starts_with(&want) }).await;
    let load_and_match = started.elapsed();
    let loaded_rss = tree_rss_bytes(b.driver_pid());

    // Idle with the events loaded: the browser's CPU over 5 s.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (cpu0, t0) = (tree_cpu_seconds(b.driver_pid()), Instant::now());
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_cpu = (tree_cpu_seconds(b.driver_pid()) - cpu0) / t0.elapsed().as_secs_f64();

    // Typing in the query editor: main-thread script time per key (20 keys, then the re-render
    // of the results) …
    let script0 = b.script_seconds().await;
    b.type_at_end("rule-editor", &" ".repeat(20)).await;
    b.settled().await;
    let script_per_key = (b.script_seconds().await - script0) / 20.0;
    // … and the time from the last keystroke to the new count on screen (debounce + run).
    b.type_at_end("rule-editor", " | head 9").await;
    b.wait_until("9 results", || async { b.text("match-count").await.starts_with("9 matches") }).await;
    let mut to_result = Vec::new();
    for n in [3, 4, 5, 6, 7, 8] {
        let el = b.focus("rule-editor").await;
        b.chord(&[fantoccini::key::Key::Control], char::from(fantoccini::key::Key::End)).await;
        let t = Instant::now();
        el.send_keys(&format!("\u{E003}{n}")).await.expect("type");
        let want = format!("{n} matches in {} events", cfg.events);
        b.wait_until(&want, || async { b.text("match-count").await.starts_with(&want) }).await;
        to_result.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "100 MB: {:.1} MB, {} events, loaded and matched in {:.2} s (wall, includes WebDriver's file upload); \
         idle browser CPU {:.1} % of a core; typing: main-thread script {:.2} ms per key, last key to new count \
         median {:.0} ms, max {:.0} ms (the page's debounce included); browser RSS {:.0} MB idle, {:.0} MB loaded ({:.2}× the input)",
        size as f64 / 1e6,
        cfg.events,
        load_and_match.as_secs_f64(),
        idle_cpu * 100.0,
        script_per_key * 1000.0,
        median(to_result.clone()),
        to_result.iter().cloned().fold(0.0, f64::max),
        idle_rss as f64 / 1e6,
        loaded_rss as f64 / 1e6,
        loaded_rss.saturating_sub(idle_rss) as f64 / size as f64,
    );
    let _ = std::fs::remove_file(&path);
    b.close().await;
}
