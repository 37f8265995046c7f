//! `eqlplay`: test Elastic EQL detection rules against NDJSON events from the command line.
//!
//! Commands: `match` (run a query or rule over events), `check` (parse query and rule files),
//! `rule` (show a rule and its investigation checklist), `exercise` (grade an answer to an
//! exercise pack, or validate a pack), `convert` (Windows event logs to ECS). Exit status: 0 ok, 1 check
//! failures, 2 usage error or invalid query.

/// `eprintln!` that never panics: when stderr is closed (`eqlplay … 2>&1 | head`) the message
/// is lost and the command goes on, as a CLI on a closed pipe should.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod args;
mod cmd_check;
mod cmd_convert;
mod cmd_diff;
mod cmd_exercise;
mod cmd_export;
mod cmd_match;
mod cmd_rule;
mod cmd_scan;
mod cmd_schedule;
mod diag;
mod input;
mod near_miss_text;
mod pack_link;
mod query_source;
mod rule_file;
mod rule_text;

use std::io::Write;
use std::process::ExitCode;

const HELP: &str = "\
eqlplay: test Elastic EQL detection rules against NDJSON events

Usage: eqlplay COMMAND [OPTIONS]

Commands:
  match     run a query or rule over event files; print results as NDJSON
  check     check that query (.eql) and rule files parse
  rule      show a rule's metadata and investigation checklist
  exercise  grade an answer to an exercise pack, or validate a pack
  diff      compare two versions of a query or rule: results gained, lost and kept
  schedule  run a rule on Kibana's schedule: what each run alerts on, and what no run would
  scan      run a whole rule pack (files, exports, directories) over events in one pass
  export    what a real Elasticsearch cluster needs: _bulk events, index template, _eql/search
            body, the rule as Kibana's import NDJSON
  convert   turn Windows event logs (.evtx, event XML, winlogbeat) into ECS events
  help      show help for a command (`eqlplay help match`)

Options:
  -h, --help     show this help
  -V, --version  show the version

Exit status: 0 ok, 1 check failures, 2 usage error or invalid query.
";

/// How a command ended (usage errors are `Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Some checked file failed: exit 1.
    Failed,
    /// An invalid query or unreadable input, already reported: exit 2.
    Invalid,
}

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(a) => args.push(a),
            Err(bad) => {
                report!(
                    "eqlplay: argument is not valid UTF-8: {}",
                    bad.to_string_lossy()
                );
                return ExitCode::from(2);
            }
        }
    }
    let code = match dispatch(args) {
        Ok(Status::Ok) => 0,
        Ok(Status::Failed) => 1,
        Ok(Status::Invalid) => 2,
        Err((command, e)) => {
            let cmd = command.map(|c| format!(" {c}")).unwrap_or_default();
            report!("eqlplay{cmd}: {e}\nTry `eqlplay{cmd} --help`.");
            2
        }
    };
    ExitCode::from(code)
}

type Dispatched = Result<Status, (Option<&'static str>, args::Usage)>;

fn dispatch(mut args: Vec<String>) -> Dispatched {
    if args.is_empty() {
        print_stderr(HELP);
        return Ok(Status::Invalid);
    }
    let command = args.remove(0);
    let with = |name: &'static str| move |e| (Some(name), e);
    match command.as_str() {
        "match" => cmd_match::run(args).map_err(with("match")),
        "check" => cmd_check::run(args).map_err(with("check")),
        "rule" => cmd_rule::run(args).map_err(with("rule")),
        "exercise" => cmd_exercise::run(args).map_err(with("exercise")),
        "convert" => cmd_convert::run(args).map_err(with("convert")),
        "diff" => cmd_diff::run(args).map_err(with("diff")),
        "schedule" => cmd_schedule::run(args).map_err(with("schedule")),
        "scan" => cmd_scan::run(args).map_err(with("scan")),
        "export" => cmd_export::run(args).map_err(with("export")),
        "help" => help(args.first().map(String::as_str)),
        "-h" | "--help" => help(None),
        "-V" | "--version" => {
            print_stdout(&format!("eqlplay {}\n", env!("CARGO_PKG_VERSION")));
            Ok(Status::Ok)
        }
        other => Err((None, args::usage(format!("unknown command `{other}`")))),
    }
}

fn help(command: Option<&str>) -> Dispatched {
    let text = match command {
        None => HELP,
        Some("match") => cmd_match::HELP,
        Some("check") => cmd_check::HELP,
        Some("rule") => cmd_rule::HELP,
        Some("exercise") => cmd_exercise::HELP,
        Some("convert") => cmd_convert::HELP,
        Some("diff") => cmd_diff::HELP,
        Some("schedule") => cmd_schedule::HELP,
        Some("scan") => cmd_scan::HELP,
        Some("export") => cmd_export::HELP,
        Some(other) => return Err((None, args::usage(format!("unknown command `{other}`")))),
    };
    print_stdout(text);
    Ok(Status::Ok)
}

/// The time now, in nanoseconds since the epoch (exception items past their `expire_time` are
/// not applied).
pub fn now_nanos() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64)
}

/// Writes to stderr, ignoring a closed pipe.
pub fn print_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Writes to stdout, ignoring a closed pipe (`eqlplay rule | head`).
pub fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
