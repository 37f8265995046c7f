//! `eqlplay exercise check | validate | link`: grade an answer to an exercise of a pack, check
//! that a pack is fit to hand out, or make a link that opens it in the page (see
//! `docs/exercises.md`).

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::Status;
use exercises::check::CheckError;
use exercises::{LoadedPack, Options, PackFiles, Submission};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;

pub const HELP: &str = "\
Exercise packs: grade an answer, or check a pack before handing it out.

Usage: eqlplay exercise check PACK --exercise ID (--query EQL | --query-file FILE | --answer TEXT)
       eqlplay exercise validate PACK
       eqlplay exercise link PACK [--page URL]

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

link      prints a link that opens the pack in the page's Learn tab, its data files inside
          the link (compressed into the URL's fragment, which never reaches a server).
  --page URL          the page's address (default http://127.0.0.1:8080/, `cargo xtask serve`)

PACK is the pack's TOML file, its datasets' `file`s read relative to it; or a .zip holding the
pack's TOML and its data files.
";

/// Links longer than this do not open in every browser.
const MAX_LINK: usize = 2_000_000;

pub fn run(mut args: Vec<String>) -> Result<Status, Usage> {
    if args.first().is_some_and(|a| a == "-h" || a == "--help") || args.is_empty() {
        crate::print_stdout(HELP);
        return Ok(if args.is_empty() { Status::Invalid } else { Status::Ok });
    }
    match args.remove(0).as_str() {
        "check" => run_check(args),
        "validate" => run_validate(args),
        "link" => run_link(args),
        other => Err(usage(format!("unknown exercise command `{other}` (check, validate or link)"))),
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
    let Some(Opened { loaded, .. }) = open(&pack_path) else { return Ok(Status::Invalid) };
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

/// The pack path and the flags with values (`--page`) of a command that takes only those.
fn pack_and(args: Vec<String>, flags: &[&str]) -> Result<Option<(String, BTreeMap<String, String>)>, Usage> {
    let (mut pack, mut values) = (None, BTreeMap::new());
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) if pack.is_none() => pack = Some(path),
            Arg::Positional(extra) => return Err(usage(format!("unexpected argument `{extra}`"))),
            Arg::Flag(f) if f == "-h" || f == "--help" => {
                crate::print_stdout(HELP);
                return Ok(None);
            }
            Arg::Flag(f) if flags.contains(&f.as_str()) => {
                values.insert(f.clone(), p.value(&f)?);
            }
            Arg::Flag(f) => return Err(unknown(&f)),
        }
    }
    Ok(Some((pack.ok_or_else(|| usage("no pack file"))?, values)))
}

fn run_validate(args: Vec<String>) -> Result<Status, Usage> {
    let Some((pack_path, _)) = pack_and(args, &[])? else { return Ok(Status::Ok) };
    let Some(Opened { loaded, files, shown }) = open(&pack_path) else { return Ok(Status::Invalid) };
    let problems = exercises::validate(&loaded, files.pack_text(), &shown);
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

fn run_link(args: Vec<String>) -> Result<Status, Usage> {
    let Some((pack_path, values)) = pack_and(args, &["--page"])? else { return Ok(Status::Ok) };
    let page = values.get("--page").map_or("http://127.0.0.1:8080/", String::as_str);
    let Some(Opened { files, .. }) = open(&pack_path) else { return Ok(Status::Invalid) };
    let link = format!("{}{}", page.split('#').next().unwrap_or(page), crate::pack_link::pack_fragment(&files));
    if link.len() > MAX_LINK {
        report!("eqlplay exercise link: the link would be {} characters, more than browsers open ({MAX_LINK}); hand out the zip instead", link.len());
        return Ok(Status::Failed);
    }
    crate::print_stdout(&format!("{link}\n"));
    Ok(Status::Ok)
}

/// A pack read and loaded, with its files and the name its messages go by.
struct Opened {
    loaded: LoadedPack,
    files: PackFiles,
    shown: String,
}

/// Reads and loads the pack at `path` (a TOML file and the data files beside it, or a zip),
/// reporting its problems (then `None`).
fn open(path: &str) -> Option<Opened> {
    let fail = |e: &dyn std::fmt::Display| {
        report!("eqlplay exercise: {path}: {e}");
        None
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return fail(&e),
    };
    let (loaded, files, shown) = if bytes.starts_with(b"PK\x03\x04") {
        let files = match PackFiles::from_zip(&bytes) {
            Ok(files) => files,
            Err(e) => return fail(&e),
        };
        let shown = format!("{path}/{}", files.pack);
        (files.load(path), files, shown)
    } else {
        let Ok(text) = String::from_utf8(bytes) else { return fail(&"not UTF-8 text (nor a zip)") };
        // The data files the pack names, read from beside it and kept for a link.
        let name = Path::new(path).file_name().map_or("pack.toml".into(), |n| n.to_string_lossy().into_owned());
        let dir = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
        let read_files = RefCell::new(BTreeMap::from([(name.clone(), text.clone())]));
        let read = |file: &str| {
            let data = std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string())?;
            read_files.borrow_mut().insert(file.replace('\\', "/"), data.clone());
            Ok(data)
        };
        let loaded = exercises::load(&text, path, &read);
        (loaded, PackFiles { pack: name, files: read_files.into_inner() }, path.to_string())
    };
    match loaded {
        Ok(loaded) => Some(Opened { loaded, files, shown }),
        Err(errors) => {
            for e in errors {
                report!("{e}");
            }
            None
        }
    }
}
