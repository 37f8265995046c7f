//! What the page should show, from the command line: `eqlplay match` (the binary `cargo xtask
//! test` builds and names in `EQLPLAY_BIN`) over the same query, settings and events.

use std::process::Command;

/// The page's run settings, as the events pane's Fields edit them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    pub tiebreaker: String,
    pub category: String,
}

/// What `eqlplay match` made of a query and events.
#[derive(Debug, PartialEq)]
pub enum Expected {
    /// The query does not compile (exit 2 before any result).
    QueryError,
    Ran {
        /// Each result's event lines, in result order (0: a missing-event slot).
        results: Vec<Vec<u64>>,
        /// Events read (counted by the engine's reader, which the command line uses too).
        events: usize,
        /// Malformed lines reported.
        malformed: usize,
    },
}

impl Expected {
    /// The page's count line: "1 match in 59 events".
    pub fn count_line(&self) -> Option<String> {
        match self {
            Expected::QueryError => None,
            Expected::Ran { results, events, .. } => {
                let noun = if results.len() == 1 { "match" } else { "matches" };
                Some(format!("{} {noun} in {events} events", results.len()))
            }
        }
    }
}

pub fn eqlplay(query: &str, fields: &Fields, events: &str) -> Expected {
    let bin = std::env::var_os("EQLPLAY_BIN").expect("EQLPLAY_BIN names the eqlplay binary: run `cargo xtask test`");
    let mut cmd = Command::new(bin);
    cmd.args(["match", "--query", query, "--event-category-field", or(&fields.category, "event.category")]);
    if !fields.tiebreaker.trim().is_empty() {
        cmd.args(["--tiebreaker-field", fields.tiebreaker.trim()]);
    }
    cmd.args(["--all-errors", "-"]);
    let out = eqlplay_tests::run_with_input(cmd, events);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(2) {
        assert!(stdout.is_empty(), "eqlplay failed after printing results: {stderr}");
        return Expected::QueryError;
    }
    assert_eq!(out.status.code(), Some(0), "eqlplay: {stderr}");
    let results = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["events"].as_array().map_or(Vec::new(), |e| e.iter().map(|e| e["line"].as_u64().unwrap_or(0)).collect())
        })
        .collect();
    let malformed = stderr.lines().filter(|l| l.starts_with("<stdin>:")).count();
    let mut reader = eql::Reader::new(eql::data::FieldTable::default());
    reader.add_ndjson(0, events);
    let data = reader.finish();
    assert_eq!(data.errors().len(), malformed, "eqlplay reports every malformed line: {stderr}");
    Expected::Ran { results, events: data.len(), malformed }
}

/// What `eqlplay ARGS…` prints, run in the workspace (it must succeed).
pub fn eqlplay_stdout(args: &[&str]) -> String {
    let bin = std::env::var_os("EQLPLAY_BIN").expect("EQLPLAY_BIN names the eqlplay binary: run `cargo xtask test`");
    let out = Command::new(bin).args(args).current_dir(eqlplay_tests::workspace_root()).output().expect("eqlplay");
    assert!(out.status.success(), "eqlplay {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn or<'a>(value: &'a str, default: &'a str) -> &'a str {
    if value.trim().is_empty() {
        default
    } else {
        value.trim()
    }
}
