//! `eventgen --events N [--seed S] [--hosts H] [--match-every M] > out.ndjson`
//!
//! Writes NDJSON to stdout; prints the expected number of seed-rule matches on stderr.

use std::io::Write;
use std::process::ExitCode;

use eventgen::{expected_matches, GenConfig, Generator};

const USAGE: &str =
    "usage: eventgen --events N [--seed S] [--hosts H] [--match-every M] > out.ndjson";

fn parse(args: &[String]) -> Result<GenConfig, String> {
    let mut cfg = GenConfig::default();
    let mut events = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))?,
        };
        let num = || {
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{name} {value}: {e}"))
        };
        match name {
            "--events" | "-n" => events = Some(num()? as usize),
            "--seed" => cfg.seed = num()?,
            "--hosts" => cfg.hosts = num()? as usize,
            "--match-every" => cfg.match_every = num()? as usize,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    cfg.events = events.ok_or("--events is required")?;
    Ok(cfg)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("eventgen: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let started = std::time::Instant::now();
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let mut buf = String::with_capacity(1 << 21);
    let mut g = Generator::new(&cfg);
    let mut bytes = 0u64;
    loop {
        let more = g.write_next(&mut buf);
        if buf.len() >= 1 << 20 || (!more && !buf.is_empty()) {
            if let Err(e) = lock.write_all(buf.as_bytes()) {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
                eprintln!("eventgen: write failed: {e}");
                return ExitCode::FAILURE;
            }
            bytes += buf.len() as u64;
            buf.clear();
        }
        if !more {
            break;
        }
    }
    if let Err(e) = lock.flush() {
        eprintln!("eventgen: write failed: {e}");
        return ExitCode::FAILURE;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("expected matches: {}", expected_matches(&cfg));
    eprintln!(
        "eventgen: {} events, {} bytes in {:.2}s ({:.0} events/s)",
        cfg.events,
        bytes,
        secs,
        cfg.events as f64 / secs.max(1e-9)
    );
    ExitCode::SUCCESS
}
