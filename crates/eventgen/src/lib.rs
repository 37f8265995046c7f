//! Deterministic generator of Elastic Defend-shaped NDJSON events for the EQL Playground.
//!
//! The output mixes process (~30%), network (~35%), file (~30%) and registry/library/DNS (~5%)
//! events from a small fleet of Windows and Linux hosts. Timestamps start at
//! `2026-03-01T00:00:00.000Z` and rise by 1–6 ms per event. It also plants matches of the
//! built-in seed rule (*Remote File Download via Script Interpreter*):
//!
//! ```text
//! sequence by host.id, process.entity_id
//!   [network where host.os.type == "windows" and process.name : ("wscript.exe", "cscript.exe") and
//!    network.protocol != "dns" and network.direction : ("outgoing", "egress") and
//!    network.type == "ipv4" and destination.ip != "127.0.0.1"]
//!   [file where host.os.type == "windows" and event.type == "creation" and file.extension : ("exe", "dll")]
//! ```
//!
//! The number of sequences that rule finds in the output is exactly
//! [`expected_matches`]. The stream is split into blocks of `match_every` events (raised to
//! [`PLANT_LEN`] if smaller), and every complete block holds one planted match. The noise includes
//! near misses (DNS, loopback, IPv6 and inbound connections by script interpreters, executables
//! written by other processes, Wine on Linux, scripts that connect and then write only
//! non-executables), but it never completes a sequence. The comment at the top of `gen.rs` gives
//! the argument.
//!
//! The PRNG is a self-contained SplitMix64, so the same config gives the same bytes on every
//! platform and in every run.

mod catalog;
mod gen;
mod out;
mod rng;

pub use gen::{Generator, PLANT_LEN, START_MS};

/// Generator settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenConfig {
    /// Number of events (lines) to write.
    pub events: usize,
    /// PRNG seed; the same config always yields the same bytes.
    pub seed: u64,
    /// Number of hosts (at least 1 is used). Host 0 is Windows; every fifth host is Linux.
    pub hosts: usize,
    /// One seed-rule match is planted per this many events (0 = none). Values below
    /// [`PLANT_LEN`] act as [`PLANT_LEN`].
    pub match_every: usize,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            events: 10_000,
            seed: 42,
            hosts: 8,
            match_every: 1_000,
        }
    }
}

/// Appends `cfg.events` NDJSON lines (each `\n`-terminated) to `out`.
pub fn generate(cfg: &GenConfig, out: &mut String) {
    // Events average 800–900 bytes; reserve for the upper end (capped at 1 GiB) to avoid a late
    // doubling reallocation.
    out.reserve(cfg.events.saturating_mul(900).min(1 << 30));
    let mut g = Generator::new(cfg);
    while g.write_next(out) {}
}

/// The exact number of sequences the seed rule yields on `generate(cfg, ..)`'s output.
pub fn expected_matches(cfg: &GenConfig) -> usize {
    match gen::effective_every(cfg.match_every) {
        0 => 0,
        every => cfg.events / every,
    }
}
