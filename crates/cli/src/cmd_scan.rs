//! `eqlplay scan`: a whole rule pack over events in one pass (`rules::pack`): the events are read
//! once for the union of the fields the rules read, then each EQL rule runs with its own
//! settings. One JSON line per alert; on stderr, what ran, what was not run and what failed.

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use crate::{rule_file, Status};
use eql::data::detect_format;
use eql::output::Inputs;
use eql::Reader;
use rules::collection::Collection;
use rules::pack::{Pack, Status as RuleStatus};
use std::collections::BTreeMap;
use std::path::Path;

pub const HELP: &str = "\
Run every rule of a pack over events, reading the events once.

Usage: eqlplay scan --rules PATH [--rules PATH ...] EVENTS...

  --rules PATH   a rule file (detection-rules TOML, Kibana JSON or NDJSON export), a zip of
                 rule files, or a directory, walked for .toml, .ndjson, .json and .zip files
  --threads N    read large NDJSON inputs on up to N threads (as `eqlplay match`)
EVENTS are read as by `eqlplay match` (NDJSON, JSON arrays, _search responses, Windows logs).

Each EQL rule runs with its own timestamp_field, event_category_override and tiebreaker_field
and gives exactly the results `eqlplay match --rule` gives for it alone. Rules of other types
(query, threshold, esql, machine_learning, ...) are not run; EQL rules that do not compile are
reported with their error. Exception items in the JSON files (a Kibana rule export carries
the lists its rules name; an exception list export can be given as a --rules file) hide the
events they match from the rules that name their lists, as Kibana's filter does.

Output (stdout): one JSON object per alert, in rule order:
  {\"rule_id\",\"rule_name\",\"severity\",\"risk_score\",\"kind\",\"join_keys\",\"events\":[...]}
with each event's line (and file, when there are several). On stderr: how many rules ran,
fired, were not run (by type) and failed, each failure with its reason.
Exit status: 0 ok (whether or not a rule fired), 2 usage error or unreadable file.
";

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let (mut rule_paths, mut events, mut threads) = (Vec::new(), Vec::new(), None);
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => events.push(path),
            Arg::Flag(f) => match f.as_str() {
                "--rules" => rule_paths.push(p.value(&f)?),
                "--threads" => {
                    let n = p.value(&f)?;
                    threads = Some(n.parse::<usize>().ok().filter(|n| (1..=64).contains(n)).ok_or_else(|| usage(format!("--threads: `{n}` is not a number from 1 to 64")))?);
                }
                "-h" | "--help" => {
                    crate::print_stdout(HELP);
                    return Ok(Status::Ok);
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    if rule_paths.is_empty() {
        return Err(usage("--rules PATH is needed"));
    }
    if events.is_empty() {
        return Err(usage("no event files given (use - to read stdin)"));
    }
    match execute(&rule_paths, &events, threads) {
        Ok(()) => Ok(Status::Ok),
        Err(message) => {
            report!("{message}");
            Ok(Status::Invalid)
        }
    }
}

/// The rule files under `path` (itself, when it is a file), sorted, so a pack always runs in
/// the same order.
fn rule_files(path: &str, out: &mut Vec<String>) -> Result<(), String> {
    let p = Path::new(path);
    if !p.is_dir() {
        out.push(path.to_string());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(p)
        .map_err(|e| format!("{path}: error: cannot read the directory: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry.to_string_lossy().to_string();
        if entry.is_dir() {
            rule_files(&name, out)?;
        } else if rules::collection::is_rule_file(&name) || name.to_ascii_lowercase().ends_with(".zip") {
            out.push(name);
        }
    }
    Ok(())
}

fn execute(rule_paths: &[String], paths: &[String], threads: Option<usize>) -> Result<(), String> {
    let mut files = Vec::new();
    for path in rule_paths {
        rule_files(path, &mut files)?;
    }
    let mut collection = Collection::default();
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| format!("{}: error: cannot read: {e}", display_name(file)))?;
        collection.add(display_name(file), bytes);
    }
    let unreadable = collection.problems;
    let pack = Pack::new(collection.rules).with_exceptions(collection.exceptions);
    let mut texts = Vec::with_capacity(paths.len());
    for path in paths {
        texts.push(input::read_events(path)?);
    }
    let started = std::time::Instant::now();
    let mut reader = Reader::new(pack.fields.clone());
    if let Some(n) = threads {
        reader.set_threads(n);
    }
    for (i, text) in texts.iter().enumerate() {
        reader.add(i as u32, text, Some(detect_format(text)));
    }
    let data = reader.finish();
    let read = started.elapsed();
    for e in data.errors().iter().take(20) {
        let path = paths.get(e.input as usize).map_or("?", |p| display_name(p));
        report!("{path}:{}: {}", e.line, e.message);
    }

    // Exception items hide events from the rules that name their lists, as Kibana's filter does.
    let now = crate::now_nanos();
    let hidden = pack.hidden(&texts.iter().map(String::as_str).collect::<Vec<_>>(), now);
    // The alerts name events by line, without their source: the texts can go (the dataset
    // holds what the rules read), which halves the memory a large input takes.
    texts.iter_mut().for_each(|t| *t = String::new());
    let inputs = Inputs { paths, texts: &texts, with_file: paths.len() > 1, with_source: false };
    let (mut ran, mut fired, mut alerts, mut failed) = (0, 0, 0, Vec::new());
    let mut out = String::new();
    for (i, results) in pack.run(&data, &hidden, &mut |_, _| {}) {
        let r = &pack.rules[i];
        let matches = match results {
            Ok(m) => m,
            Err(e) => {
                failed.push(format!("{}: {}: {e}", r.source, rule_file::label(&r.rule)));
                continue;
            }
        };
        ran += 1;
        if matches.is_empty() {
            continue;
        }
        fired += 1;
        alerts += matches.len();
        rules::pack::alert_lines(&mut out, &r.rule, &matches, &data, &inputs);
    }
    crate::print_stdout(&out);
    let ran_in = started.elapsed() - read;

    let mut not_run: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &pack.rules {
        match &r.status {
            RuleStatus::NotEql(kind) => *not_run.entry(kind.as_str()).or_default() += 1,
            RuleStatus::Invalid(e) => failed.push(format!("{}: {}: {}", r.source, rule_file::label(&r.rule), e.lines().next().unwrap_or(""))),
            RuleStatus::Ready(_) => {}
        }
    }
    failed.extend(unreadable);
    let not_run_text = match not_run.is_empty() {
        true => "0 not run".to_string(),
        false => format!(
            "{} not run ({})",
            not_run.values().sum::<usize>(),
            not_run.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
        ),
    };
    report!(
        "scan: {} rules from {} files over {} events ({} fields read in {:.2} s, rules run in {:.2} s): {ran} ran, {fired} fired ({alerts} alerts), {not_run_text}, {} failed",
        pack.rules.len(),
        files.len(),
        data.len(),
        pack.fields.len(),
        read.as_secs_f64(),
        ran_in.as_secs_f64(),
        failed.len()
    );
    let (excepted, hidden_events) = hidden.totals();
    if excepted > 0 {
        report!("scan: exceptions hid {hidden_events} events from {excepted} rules (the items of the lists each rule names)");
    }
    for f in &failed {
        report!("  failed: {f}");
    }
    Ok(())
}
