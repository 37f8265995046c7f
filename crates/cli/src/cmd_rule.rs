//! `eqlplay rule`: a rule's metadata and investigation checklist, as text or JSON.

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use crate::{rule_file, rule_text, Status};
use rules::{Checklist, Rule, Schedule, Section, Threat};
use serde::Serialize;

pub const HELP: &str = "\
Show a rule's metadata and its investigation guide as a checklist.

Usage: eqlplay rule [--json] [--lang LANG] [RULE]

  RULE         a rule file (detection-rules .toml, Kibana .json or .ndjson export; - reads
               stdin); without it, or with `seed`, the built-in rule
  --json       print JSON instead of text
  --lang LANG  the guide's language, e.g. en or zh-CN (default: the rule's own note)
  -h, --help   show this help

JSON: {\"name\", \"rule_id\", \"severity\", \"risk_score\", \"query\", \"threat\", \"schedule\",
\"checklist\": [{\"title\", \"steps\": [{\"text\", \"steps\"?, \"osquery\"?: [{\"label\", \"query\"}]}]}], ...}

Exit status: 0 ok, 2 usage error or unreadable rule.
";

struct Options {
    json: bool,
    lang: Option<String>,
    rule: Option<String>,
}

fn parse(args: Vec<String>) -> Result<Option<Options>, Usage> {
    let mut o = Options {
        json: false,
        lang: None,
        rule: None,
    };
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => {
                if o.rule.replace(path).is_some() {
                    return Err(usage("give one rule file"));
                }
            }
            Arg::Flag(f) => match f.as_str() {
                "-h" | "--help" => return Ok(None),
                "--json" => o.json = true,
                "--lang" => {
                    o.lang = Some(p.value(&f)?.trim().to_string()).filter(|l| !l.is_empty())
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    Ok(Some(o))
}

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let Some(o) = parse(args)? else {
        crate::print_stdout(HELP);
        return Ok(Status::Ok);
    };
    let rule = match load(o.rule.as_deref()) {
        Ok(rule) => rule,
        Err(message) => {
            report!("{message}");
            return Ok(Status::Invalid);
        }
    };
    let lang = o.lang.as_deref();
    if let Some(want) = lang {
        if !has_language(&rule, want) {
            report!("note: the rule has no `{want}` guide; showing its default one");
        }
    }
    let checklist = rule.checklist(lang).ok();
    if let Some(c) = &checklist {
        for w in &c.warnings {
            report!("warning: {w}");
        }
    }
    let text = match o.json {
        true => {
            let json = RuleJson::new(&rule, checklist.as_ref());
            match serde_json::to_string_pretty(&json) {
                Ok(s) => s + "\n",
                Err(e) => {
                    report!("error: cannot write JSON: {e}");
                    return Ok(Status::Invalid);
                }
            }
        }
        false => rule_text::render(&rule, checklist.as_ref()),
    };
    crate::print_stdout(&text);
    Ok(Status::Ok)
}

fn load(path: Option<&str>) -> Result<Rule, String> {
    let Some(path) = path.filter(|p| *p != "seed") else {
        return rules::seed_rule()
            .map_err(|e| format!("error: the built-in rule does not load: {e}"));
    };
    let name = display_name(path);
    let text = input::read_reporting(path)?;
    let (mut rules, errors) = rule_file::load(path, &text);
    if rules.is_empty() {
        let message = errors
            .first()
            .map_or_else(|| "no rule found".to_string(), ToString::to_string);
        return Err(format!("{name}: error: {message}"));
    }
    if rules.len() > 1 {
        report!(
            "{name}: note: the file holds {} rules; showing the first",
            rules.len()
        );
    }
    Ok(rules.swap_remove(0))
}

/// Whether `want` names the default guide (English) or one of the translations.
fn has_language(rule: &Rule, want: &str) -> bool {
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(want) == "en" || rule.note_languages().any(|l| primary(l) == primary(want))
}

/// The JSON form: a stable interface for scripts.
#[derive(Serialize)]
struct RuleJson<'a> {
    name: &'a str,
    rule_id: Option<&'a str>,
    description: &'a str,
    #[serde(rename = "type")]
    rule_type: Option<&'a str>,
    language: Option<&'a str>,
    severity: Option<&'a str>,
    risk_score: Option<u32>,
    query: &'a str,
    index: &'a [String],
    tags: &'a [String],
    max_signals: u32,
    threat: &'a [Threat],
    schedule: Option<&'a Schedule>,
    checklist: &'a [Section],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    checklist_warnings: &'a [String],
}

impl<'a> RuleJson<'a> {
    fn new(rule: &'a Rule, checklist: Option<&'a Checklist>) -> RuleJson<'a> {
        RuleJson {
            name: &rule.name,
            rule_id: rule.rule_id.as_deref(),
            description: &rule.description,
            rule_type: rule.rule_type.as_deref(),
            language: rule.language.as_deref(),
            severity: rule.severity.as_deref(),
            risk_score: rule.risk_score,
            query: &rule.query,
            index: &rule.index,
            tags: &rule.tags,
            max_signals: rule.max_signals,
            threat: &rule.threat,
            schedule: rule.schedule.as_ref(),
            checklist: checklist.map_or(&[], |c| &c.sections),
            checklist_warnings: checklist.map_or(&[], |c| &c.warnings),
        }
    }
}
