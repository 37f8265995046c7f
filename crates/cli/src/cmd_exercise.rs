//! `eqlplay exercise check | validate`: grade an answer to an exercise of a pack, or check that
//! a pack is fit to hand out (see `docs/exercises.md`).

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::Status;
use exercises::check::CheckError;
use exercises::{LoadedPack, Options, Submission};
use std::path::Path;

pub const HELP: &str = "\
Exercise packs: grade an answer, or check a pack before handing it out.

Usage: eqlplay exercise check PACK --exercise ID (--query EQL | --query-file FILE | --answer TEXT)
       eqlplay exercise validate PACK

check     prints one JSON object on stdout:
            {\"exercise\",\"solved\",\"correct\",\"missed\",\"unexpected\",\"hidden_failed\",
             \"score\",\"feedback\":[{\"tier\",\"kind\",\"message\",\"result\"?}]}
          exit 0 when solved, 1 when not, 2 on a bad pack or query.
  --exercise ID       the exercise to check
  --query EQL         the query to grade (result_set and rule_fix exercises)
  --query-file FILE   the same, read from FILE (- for stdin)
  --answer TEXT       a typed answer (answer, predict and triage exercises; for triage,
                      one `question = answer` line per question)
  --details           tier-2 feedback: name the missed and unexpected results and explain them
                      (costs points, as in the page)
  --hints N           hints taken so far (their cost comes off the score)
  --lang LANG         feedback language: en (default) or zh

validate  checks that every reference solution solves its exercise, no starter query already
          does, every [[exercises.wrong]] answer fails with its expect_feedback, and every id
          and dataset resolves. Prints one line per problem (PACK:LINE: message);
          exit 0 when the pack is fit to hand out, 1 otherwise, 2 when it cannot be read.

PACK is the pack's TOML file; its datasets' `file`s are read relative to it.
";

pub fn run(mut args: Vec<String>) -> Result<Status, Usage> {
    if args.first().is_some_and(|a| a == "-h" || a == "--help") || args.is_empty() {
        crate::print_stdout(HELP);
        return Ok(if args.is_empty() { Status::Invalid } else { Status::Ok });
    }
    match args.remove(0).as_str() {
        "check" => run_check(args),
        "validate" => run_validate(args),
        other => Err(usage(format!("unknown exercise command `{other}` (check or validate)"))),
    }
}

fn run_check(args: Vec<String>) -> Result<Status, Usage> {
    let (mut pack, mut exercise, mut submission) = (None, None, None);
    let mut options = Options { lang: "en".into(), ..Options::default() };
    let mut p = Parser::new(args);
    let set = |s: Option<Submission>, new: Submission| match s {
        Some(_) => Err(usage("give one of --query, --query-file and --answer")),
        None => Ok(Some(new)),
    };
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) if pack.is_none() => pack = Some(path),
            Arg::Positional(extra) => return Err(usage(format!("unexpected argument `{extra}`"))),
            Arg::Flag(f) => match f.as_str() {
                "--exercise" => exercise = Some(p.value(&f)?),
                "--query" => submission = set(submission, Submission::Query(p.value(&f)?))?,
                "--query-file" => {
                    let file = p.value(&f)?;
                    let text = crate::input::read_reporting(&file).map_err(usage)?;
                    submission = set(submission, Submission::Query(text))?;
                }
                "--answer" => submission = set(submission, Submission::Answer(p.value(&f)?))?,
                "--details" => options.details = true,
                "--hints" => options.hints_taken = p.number(&f)?,
                "--lang" => options.lang = p.value(&f)?,
                "-h" | "--help" => {
                    crate::print_stdout(HELP);
                    return Ok(Status::Ok);
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    let pack_path = pack.ok_or_else(|| usage("no pack file"))?;
    let exercise = exercise.ok_or_else(|| usage("--exercise ID is needed"))?;
    let submission = submission.ok_or_else(|| usage("give --query, --query-file or --answer"))?;
    let Some((loaded, _)) = load(&pack_path) else { return Ok(Status::Invalid) };
    match exercises::check(&loaded, &exercise, &submission, &options) {
        Ok(report) => {
            crate::print_stdout(&format!("{}\n", serde_json::to_string(&report).unwrap_or_default()));
            Ok(if report.solved { Status::Ok } else { Status::Failed })
        }
        Err(CheckError::InvalidQuery(rendered)) => {
            report!("eqlplay exercise check: invalid query:\n{rendered}");
            Ok(Status::Invalid)
        }
        Err(e) => {
            report!("eqlplay exercise check: {e}");
            Ok(Status::Invalid)
        }
    }
}

fn run_validate(args: Vec<String>) -> Result<Status, Usage> {
    let mut pack = None;
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) if pack.is_none() => pack = Some(path),
            Arg::Positional(extra) => return Err(usage(format!("unexpected argument `{extra}`"))),
            Arg::Flag(f) if f == "-h" || f == "--help" => {
                crate::print_stdout(HELP);
                return Ok(Status::Ok);
            }
            Arg::Flag(f) => return Err(unknown(&f)),
        }
    }
    let pack_path = pack.ok_or_else(|| usage("no pack file"))?;
    let Some((loaded, text)) = load(&pack_path) else { return Ok(Status::Invalid) };
    let problems = exercises::validate(&loaded, &text, &pack_path);
    let mut out = String::new();
    for problem in &problems {
        out.push_str(&format!("{problem}\n"));
    }
    let n = loaded.pack.exercises.len();
    match problems.len() {
        0 => out.push_str(&format!("{pack_path}: {n} exercises, all solvable, every wrong answer gets its feedback\n")),
        k => out.push_str(&format!("{pack_path}: {k} problems in {n} exercises\n")),
    }
    crate::print_stdout(&out);
    Ok(if problems.is_empty() { Status::Ok } else { Status::Failed })
}

/// Reads and loads the pack at `path`, reporting its problems (then `None`).
fn load(path: &str) -> Option<(LoadedPack, String)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            report!("eqlplay exercise: {path}: {e}");
            return None;
        }
    };
    let dir = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string());
    match exercises::load(&text, path, &read) {
        Ok(loaded) => Some((loaded, text)),
        Err(errors) => {
            for e in errors {
                report!("{e}");
            }
            None
        }
    }
}
