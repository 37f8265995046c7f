//! `eqlplay diff`: two versions of a query or rule over the same events — which results the
//! second gained, lost and kept (a result is the same when its events are the same), each gained
//! or lost one with the reason, in the engine's own words (`eql::explain::why`).

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input;
use crate::query_source::{self, Query, QuerySource};
use crate::{diag, Status};
use eql::data::detect_format;
use eql::compare::{self, Change, Changed, Identity, Origin};
use eql::explain::why;
use eql::explain::words::{self, Language};
use eql::output::{self, Inputs};
use eql::plan::{Bound, Plan};
use eql::{Dataset, Match, Reader, Settings};
use std::collections::HashMap;

pub const HELP: &str = "\
Compare two versions of a query or rule over the same events: which results the second version
gained, lost and kept.

Usage: eqlplay diff (--query A | --query-file A | --rule A) (--query-b B | --query-file-b B | --rule-b B)
                    [OPTIONS] EVENTS...

  --query, --query-file, --rule           the first version (the baseline)
  --query-b, --query-file-b, --rule-b     the second version (the edit)
  --timestamp-field F                     default @timestamp
  --tiebreaker-field F                    field that orders events with equal timestamps
                                          (default: each rule's own tiebreaker_field)
  --event-category-field F                default: each rule's event_category_override, or
                                          event.category
EVENTS are read as by `eqlplay match` (NDJSON, JSON arrays, _search responses, Windows logs).

Output (stdout): one JSON object per result of either version, in the order of their first
events, as `eqlplay match` prints results, with
  \"change\": \"gained\" | \"lost\" | \"kept\"
  \"why\":    for a gained or lost result, why the other version has it not (the predicate
            that fails on which value, or how its sequence ended), and what let it through
A result is the same in both versions when it holds the same events in the same order.
Exit status: 0 ok, 2 usage error, invalid query or unreadable file.
";

#[derive(Default)]
struct Options {
    a: Option<QuerySource>,
    b: Option<QuerySource>,
    events: Vec<String>,
    timestamp_field: Option<String>,
    tiebreaker_field: Option<String>,
    event_category_field: Option<String>,
}

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let mut o = Options::default();
    let mut p = Parser::new(args);
    let set = |slot: &mut Option<QuerySource>, source: QuerySource, which: &str| match slot {
        Some(_) => Err(usage(format!("give one {which} version"))),
        None => {
            *slot = Some(source);
            Ok(())
        }
    };
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => o.events.push(path),
            Arg::Flag(f) => match f.as_str() {
                "--query" => set(&mut o.a, QuerySource::Text(p.value(&f)?), "first")?,
                "--query-file" => set(&mut o.a, QuerySource::File(p.value(&f)?), "first")?,
                "--rule" => set(&mut o.a, QuerySource::Rule(p.value(&f)?), "first")?,
                "--query-b" => set(&mut o.b, QuerySource::Text(p.value(&f)?), "second")?,
                "--query-file-b" => set(&mut o.b, QuerySource::File(p.value(&f)?), "second")?,
                "--rule-b" => set(&mut o.b, QuerySource::Rule(p.value(&f)?), "second")?,
                "--timestamp-field" => o.timestamp_field = Some(p.value(&f)?),
                "--tiebreaker-field" => o.tiebreaker_field = Some(p.value(&f)?),
                "--event-category-field" => o.event_category_field = Some(p.value(&f)?),
                "-h" | "--help" => {
                    crate::print_stdout(HELP);
                    return Ok(Status::Ok);
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    let (Some(a), Some(b)) = (o.a.take(), o.b.take()) else {
        return Err(usage("give both versions: --query/--query-file/--rule and --query-b/--query-file-b/--rule-b"));
    };
    if o.events.is_empty() {
        return Err(usage("no event files given (use - to read stdin)"));
    }
    match execute(&o, a, b) {
        Ok(()) => Ok(Status::Ok),
        Err(message) => {
            report!("{message}");
            Ok(Status::Invalid)
        }
    }
}

/// One version: its query, compiled, over the events read for it.
struct Version {
    query: Query,
    plan: Plan,
    bound: Bound,
    data: Dataset,
    matches: Vec<Match>,
    /// Dataset index by (input, line).
    index: HashMap<Origin, usize>,
}

impl Version {
    fn new(query: Query, o: &Options, texts: &[String]) -> Result<Version, String> {
        let (tiebreaker_field, event_category_field) = query.fields(o.tiebreaker_field.clone(), o.event_category_field.clone());
        let settings = Settings {
            timestamp_field: o.timestamp_field.clone().unwrap_or_else(|| "@timestamp".into()),
            tiebreaker_field,
            event_category_field,
            ..Settings::default()
        };
        let plan = eql::compile_text(&query.text, &settings).map_err(|e| diag::render(&query.label, &e, &query.text))?;
        let mut reader = Reader::new(plan.fields.clone());
        for (i, text) in texts.iter().enumerate() {
            reader.add(i as u32, text, Some(detect_format(text)));
        }
        let data = reader.finish();
        let bound = plan.bind(&data).map_err(|e| diag::render(&query.label, &e, &query.text))?;
        let matches = eql::run(&plan, &data).map_err(|e| diag::render(&query.label, &e, &query.text))?.matches;
        let index = (0..data.len()).map(|e| (compare::origin(&data, e), e)).collect();
        Ok(Version { query, plan, bound, data, matches, index })
    }

    fn why(&self) -> why::Query<'_> {
        why::Query { plan: &self.plan, bound: &self.bound, data: &self.data, text: &self.query.text }
    }

    /// This version's indices of the events of a result (of either version).
    fn here(&self, id: &Identity) -> Vec<usize> {
        id.events.iter().flatten().filter_map(|o| self.index.get(o).copied()).collect()
    }

    fn line(&self) -> impl Fn(usize) -> String + '_ {
        |e| format!("line {}", self.data.origin(e).line)
    }

    /// Why this version has no result of those events.
    fn absent(&self, id: &Identity) -> String {
        words::absent(&why::absent(&self.why(), &self.here(id)), &self.line(), Language::English)
    }

    /// What let this version's result of those events through.
    fn present(&self, id: &Identity) -> String {
        words::present(&why::present(&self.why(), &self.here(id)), &self.line(), Language::English)
    }
}

fn execute(o: &Options, a: QuerySource, b: QuerySource) -> Result<(), String> {
    let (qa, mut qb) = (query_source::load(a)?, query_source::load(b)?);
    if qb.label == "--query" {
        qb.label = "--query-b".into();
    }
    let mut texts = Vec::with_capacity(o.events.len());
    for path in &o.events {
        texts.push(input::read_events(path)?);
    }
    let (va, vb) = (Version::new(qa, o, &texts)?, Version::new(qb, o, &texts)?);
    let ids_a: Vec<Identity> = va.matches.iter().map(|m| Identity::of(&va.data, m)).collect();
    let ids_b: Vec<Identity> = vb.matches.iter().map(|m| Identity::of(&vb.data, m)).collect();
    let inputs = Inputs { paths: &o.events, texts: &texts, with_file: o.events.len() > 1, with_source: false };
    let mut out = String::new();
    for Changed { change, index: i } in compare::changes(&ids_a, &ids_b) {
        let in_b = change == Change::Gained;
        let (version, other, id) = if in_b { (&vb, &va, &ids_b[i]) } else { (&va, &vb, &ids_a[i]) };
        let mut line = Vec::new();
        output::write_matches(&mut line, std::slice::from_ref(&version.matches[i]), &version.data, &inputs).map_err(|e| e.to_string())?;
        let mut json: serde_json::Value = serde_json::from_slice(&line).map_err(|e| e.to_string())?;
        if let Some(obj) = json.as_object_mut() {
            let name = match change {
                Change::Gained => "gained",
                Change::Lost => "lost",
                Change::Kept => "kept",
            };
            obj.insert("change".into(), name.into());
            if change != Change::Kept {
                let (absent, present) = (other.absent(id), version.present(id));
                let which = if in_b { ("the first version", "the second") } else { ("the second version", "the first") };
                obj.insert("why".into(), format!("{} has it not: {absent}. In {} it matched: {present}", which.0, which.1).into());
            }
        }
        out.push_str(&json.to_string());
        out.push('\n');
    }
    crate::print_stdout(&out);
    Ok(())
}
