//! `eqlplay check`: parse and verify query and rule files without any data.

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use crate::{diag, rule_file, Status};
use std::io::{self, BufWriter, Write};

pub const HELP: &str = "\
Check that query and rule files parse, without running them.

Usage: eqlplay check FILES...

  FILES...    .eql files (query text), or rule files: detection-rules .toml, Kibana .json
              (an object or an array) or .ndjson export; - reads a rule from stdin
  -h, --help  show this help

Prints one line per file on stdout:
  FILE: ok
  FILE: error: MESSAGE        (query errors as LINE:COLUMN inside the query)
A rule must be an EQL rule with a query that passes the EQL syntax and verifier checks.
Field names are not checked against any data or mapping.

Exit status: 0 all ok, 1 some file failed, 2 usage error.
";

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let mut files = Vec::new();
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => files.push(path),
            Arg::Flag(f) if f == "-h" || f == "--help" => {
                crate::print_stdout(HELP);
                return Ok(Status::Ok);
            }
            Arg::Flag(f) => return Err(unknown(&f)),
        }
    }
    if files.is_empty() {
        return Err(usage("no files to check"));
    }
    if files.iter().filter(|f| *f == "-").count() > 1 {
        return Err(usage("stdin (-) can be read only once"));
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for path in &files {
        let line = match check_file(path) {
            Ok(()) => format!("{}: ok", display_name(path)),
            Err(message) => {
                failed += 1;
                format!("{}: error: {message}", display_name(path))
            }
        };
        if let Err(e) = writeln!(out, "{line}") {
            if e.kind() == io::ErrorKind::BrokenPipe {
                break;
            }
        }
    }
    let _ = out.flush();
    Ok(if failed == 0 {
        Status::Ok
    } else {
        Status::Failed
    })
}

/// `Err` holds the one-line message.
fn check_file(path: &str) -> Result<(), String> {
    let text = input::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let lossy_note = if text.lossy {
        " (the file is not valid UTF-8)"
    } else {
        ""
    };
    let text = text
        .text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text.text)
        .to_string();
    let result = if input::extension(path) == "eql" {
        check_query(&text)
    } else {
        check_rules(path, &text)
    };
    result.map_err(|m| format!("{m}{lossy_note}"))
}

fn check_query(text: &str) -> Result<(), String> {
    eql::parse(text)
        .map(|_| ())
        .map_err(|errors| diag::one_line(&errors, text))
}

fn check_rules(path: &str, text: &str) -> Result<(), String> {
    let (rules, load_errors) = rule_file::load(path, text);
    let mut problems: Vec<String> = load_errors.iter().map(ToString::to_string).collect();
    let several = rules.len() + load_errors.len() > 1;
    for rule in &rules {
        let prefix = if several {
            format!("{}: ", rule_file::label(rule))
        } else {
            String::new()
        };
        if let Some(problem) = rule_file::eql_problem(rule) {
            problems.push(format!("{prefix}{problem}"));
        } else if let Err(errors) = eql::parse(&rule.query) {
            let what = if several {
                format!("{}'s query", rule_file::label(rule))
            } else {
                "in the rule's query".into()
            };
            problems.push(format!(
                "{what} at {}",
                diag::one_line(&errors, &rule.query)
            ));
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("; ")),
    }
}
