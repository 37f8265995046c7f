//! `eqlplay match`: run a query or rule over event files and print the results as NDJSON.

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::input::{self, display_name};
use eql::output::{self, Inputs};
use crate::query_source::{self, QuerySource};
use crate::{diag, Status};
use eql::data::detect_format;
use eql::compare::Identity;
use eql::{InputFormat, Mapping, Reader, ResultPosition, Settings};
use std::io::{self, BufWriter, Write};

pub const HELP: &str = "\
Run an EQL query or rule over events and print the results, one JSON object per line.

Usage: eqlplay match (--query EQL | --query-file FILE | --rule RULE) [OPTIONS] EVENTS...

The query (exactly one of):
  --query EQL                 the query text
  --query-file FILE           a file holding the query text
  --rule RULE                 a rule file (detection-rules .toml, Kibana .json or .ndjson export);
                              its first EQL rule is run, with its tiebreaker_field and
                              event_category_override unless the options below say otherwise

Events:
  EVENTS...                   NDJSON files, JSON-array files or _search responses, or Windows
                              event logs (.evtx, event XML, winlogbeat NDJSON: converted to ECS
                              as `eqlplay convert` does); - reads stdin

Options:
  --mapping FILE              index mapping (JSON) to read field types from
  --index-mapping EVENTS=FILE the mapping of one events file, as when Elasticsearch searches
                              several indices with different mappings (e.g. a date format);
                              repeatable; --mapping stays the mapping of the other files, and
                              the query is checked against all of them merged
  --timestamp-field F         default @timestamp (a rule's timestamp_override is not used:
                              Kibana applies it to the time-range filter only)
  --tiebreaker-field F        field that orders events with equal timestamps
  --event-category-field F    default event.category
  --size N                    keep at most N results (default: no limit)
  --result-position head|tail which end --size keeps (default tail, as Elasticsearch)
  --max-samples-per-key N     samples per join key (default 1)
  --with-source               add each event's JSON as \"source\"
  --all-errors                report every unreadable event line (default: the first 20, then
                              how many more)
  --threads N                 read large NDJSON inputs on up to N threads (default: every
                              core, up to 8; at most 64); the results are the same for any N
  --exceptions FILE           a rule's exception items (Kibana's exception list export, or a
                              rule export that carries its exception lists; NDJSON; with
                              --rule, only the lists its exceptions_list names):
                              an event an item matches is hidden from the query, as Kibana's
                              filter hides it (a sequence may still form from other events);
                              stderr says how many events each item hid and how many results
                              it suppressed; repeatable
  --near-misses N             a sequence query: also tell, on stderr, how the N furthest
                              sequences that started but never completed ended, and for those
                              still waiting, which events came closest
  -h, --help                  show this help

Output (stdout), in result order:
  {\"kind\":\"event\"|\"sequence\"|\"sample\",\"join_keys\":[...],\"events\":[{\"line\":N},...]}
  line is the 1-based line of the event in its NDJSON file (element index in a JSON array);
  \"file\" is added when several inputs are given; a missing-event slot is {\"missing\":true}.
Unreadable event lines are reported on stderr as FILE:LINE: reason and skipped.

Exit status: 0 ok, 2 usage error, invalid query or unreadable file.
";

/// Unreadable lines reported on stderr unless --all-errors.
const ERRORS_SHOWN: usize = 20;

struct Options {
    query: Option<QuerySource>,
    mapping: Option<String>,
    /// (events file, its mapping file)
    index_mappings: Vec<(String, String)>,
    all_errors: bool,
    timestamp_field: Option<String>,
    tiebreaker_field: Option<String>,
    event_category_field: Option<String>,
    size: Option<usize>,
    result_position: Option<ResultPosition>,
    max_samples_per_key: Option<usize>,
    with_source: bool,
    threads: Option<usize>,
    near_misses: Option<usize>,
    /// Exception list files (Kibana exports).
    exceptions: Vec<String>,
    events: Vec<String>,
    help: bool,
}

fn parse(args: Vec<String>) -> Result<Options, Usage> {
    let mut o = Options {
        query: None,
        mapping: None,
        index_mappings: Vec::new(),
        all_errors: false,
        timestamp_field: None,
        tiebreaker_field: None,
        event_category_field: None,
        size: None,
        result_position: None,
        max_samples_per_key: None,
        with_source: false,
        threads: None,
        near_misses: None,
        exceptions: Vec::new(),
        events: Vec::new(),
        help: false,
    };
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        let flag = match arg {
            Arg::Positional(path) => {
                o.events.push(path);
                continue;
            }
            Arg::Flag(flag) => flag,
        };
        let set_query = |o: &mut Options, q: QuerySource| match o.query.replace(q) {
            None => Ok(()),
            Some(_) => Err(usage("give only one of --query, --query-file and --rule")),
        };
        match flag.as_str() {
            "-h" | "--help" => o.help = true,
            "--query" | "-q" => set_query(&mut o, QuerySource::Text(p.value(&flag)?))?,
            "--query-file" => set_query(&mut o, QuerySource::File(p.value(&flag)?))?,
            "--rule" => set_query(&mut o, QuerySource::Rule(p.value(&flag)?))?,
            "--mapping" => o.mapping = Some(p.value(&flag)?),
            "--index-mapping" => {
                let value = p.value(&flag)?;
                match value.split_once('=') {
                    Some((events, mapping)) if !events.is_empty() && !mapping.is_empty() => {
                        o.index_mappings.push((events.to_string(), mapping.to_string()))
                    }
                    _ => return Err(usage(format!("--index-mapping takes EVENTS_FILE=MAPPING_FILE, not `{value}`"))),
                }
            }
            "--all-errors" => o.all_errors = true,
            "--timestamp-field" => o.timestamp_field = Some(field_name(&flag, p.value(&flag)?)?),
            "--tiebreaker-field" => o.tiebreaker_field = Some(field_name(&flag, p.value(&flag)?)?),
            "--event-category-field" => {
                o.event_category_field = Some(field_name(&flag, p.value(&flag)?)?)
            }
            "--size" => o.size = Some(p.number(&flag)?),
            "--result-position" => {
                o.result_position = Some(match p.value(&flag)?.as_str() {
                    "head" => ResultPosition::Head,
                    "tail" => ResultPosition::Tail,
                    other => {
                        return Err(usage(format!(
                            "--result-position must be head or tail, not `{other}`"
                        )))
                    }
                })
            }
            "--max-samples-per-key" => {
                let n = p.number(&flag)?;
                if n == 0 {
                    return Err(usage("--max-samples-per-key must be at least 1"));
                }
                o.max_samples_per_key = Some(n);
            }
            "--with-source" => o.with_source = true,
            "--exceptions" => o.exceptions.push(p.value(&flag)?),
            "--near-misses" => o.near_misses = Some(p.number(&flag)?),
            "--threads" => {
                let n = p.number(&flag)?;
                if n == 0 {
                    return Err(usage("--threads must be at least 1"));
                }
                o.threads = Some(n);
            }
            _ => return Err(unknown(&flag)),
        }
    }
    if o.help {
        return Ok(o);
    }
    if o.query.is_none() {
        return Err(usage("no query: give --query, --query-file or --rule"));
    }
    if o.events.is_empty() {
        return Err(usage("no event files given (use - to read stdin)"));
    }
    for (events, _) in &o.index_mappings {
        if !o.events.contains(events) {
            return Err(usage(format!("--index-mapping names `{events}`, which is not one of the events files given")));
        }
        if o.index_mappings.iter().filter(|(e, _)| e == events).count() > 1 {
            return Err(usage(format!("--index-mapping gives `{events}` more than one mapping")));
        }
    }
    let query_path = match &o.query {
        Some(QuerySource::File(p) | QuerySource::Rule(p)) => Some(p),
        _ => None,
    };
    let stdin_reads = o
        .events
        .iter()
        .chain(query_path)
        .chain(&o.mapping)
        .chain(o.index_mappings.iter().map(|(_, m)| m))
        .filter(|e| *e == "-")
        .count();
    if stdin_reads > 1 {
        return Err(usage("stdin (-) can be read only once"));
    }
    Ok(o)
}

fn field_name(flag: &str, name: String) -> Result<String, Usage> {
    match name.trim().is_empty() {
        true => Err(usage(format!("{flag} needs a field name"))),
        false => Ok(name.trim().to_string()),
    }
}

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let o = parse(args)?;
    if o.help {
        crate::print_stdout(HELP);
        return Ok(Status::Ok);
    }
    match execute(o) {
        Ok(()) => Ok(Status::Ok),
        Err(message) => {
            if !message.is_empty() {
                report!("{message}");
            }
            Ok(Status::Invalid)
        }
    }
}

/// Runs the match; an error is the message to print before exiting with status 2.
fn execute(o: Options) -> Result<(), String> {
    let query = match o.query {
        Some(source) => query_source::load(source)?,
        None => return Err("no query".into()),
    };
    let default_mapping = o.mapping.as_deref().map(read_mapping).transpose()?;
    let mut index_mappings = Vec::with_capacity(o.index_mappings.len());
    for (events, path) in &o.index_mappings {
        index_mappings.push((events, read_mapping(path)?));
    }
    // The query is checked against every index's fields, as Elasticsearch does over several.
    let mapping = match (&default_mapping, index_mappings.is_empty()) {
        (None, true) => None,
        _ => {
            let mut merged = Mapping::default();
            for json in default_mapping.iter().chain(index_mappings.iter().map(|(_, m)| m)) {
                merged.merge_json(json).map_err(|e| format!("error: {e}"))?;
            }
            Some(merged)
        }
    };
    let (tiebreaker_field, event_category_field) = query.fields(o.tiebreaker_field, o.event_category_field);
    let settings = Settings {
        timestamp_field: o.timestamp_field.unwrap_or_else(|| "@timestamp".into()),
        tiebreaker_field,
        event_category_field,
        mapping,
        size: o.size,
        result_position: o.result_position.unwrap_or_default(),
        max_samples_per_key: o.max_samples_per_key.unwrap_or(1),
    };
    let plan = eql::compile_text(&query.text, &settings)
        .map_err(|e| diag::render(&query.label, &e, &query.text))?;

    let mut texts = Vec::with_capacity(o.events.len());
    for path in &o.events {
        texts.push(input::read_events(path)?);
    }
    let formats: Vec<InputFormat> = texts.iter().map(|t| detect_format(t)).collect();
    let hidden = match o.exceptions.is_empty() {
        true => None,
        false => Some(apply_exceptions(&o.exceptions, query.rule.as_ref(), &o.events, &formats, &mut texts)?),
    };
    let mut reader = Reader::new(plan.fields.clone());
    if let Some(threads) = o.threads {
        reader.set_threads(threads);
    }
    if !index_mappings.is_empty() {
        for (i, path) in o.events.iter().enumerate() {
            let own = index_mappings.iter().find(|(events, _)| *events == path).map(|(_, m)| m);
            if let Some(json) = own.or(default_mapping.as_ref()) {
                let mapping = Mapping::from_json(json).map_err(|e| format!("error: {e}"))?;
                reader.set_input_mapping(i as u32, &mapping);
            }
        }
    }
    for (i, (text, format)) in texts.iter().zip(&formats).enumerate() {
        reader.add(i as u32, text, Some(*format));
    }
    let data = reader.finish();
    let shown = if o.all_errors { usize::MAX } else { ERRORS_SHOWN };
    for e in data.errors().iter().take(shown) {
        let path = o
            .events
            .get(e.input as usize)
            .map_or("?", |p| display_name(p));
        let message = match formats.get(e.input as usize) {
            Some(InputFormat::Ndjson) => within_line(&e.message),
            _ => e.message.clone(),
        };
        report!("{path}:{}: {message}", e.line);
    }
    if data.errors().len() > shown {
        report!(
            "… and {} more unreadable lines (--all-errors lists them all)",
            data.errors().len() - shown
        );
    }

    let results =
        eql::run(&plan, &data).map_err(|e| diag::render(&query.label, &e, &query.text))?;
    if let Some(hidden) = &hidden {
        report_exceptions(hidden, &plan, &results.matches, &data)?;
    }
    // Fields no event has: they read as missing, which is rarely what the author meant.
    for w in &results.warnings {
        report!(
            "{}: warning: {}: {}",
            query.label,
            w.position(&query.text),
            w.message
        );
    }
    if results.events_without_timestamp > 0
        && matches!(plan.kind, eql::plan::PlanKind::Sequence { .. })
    {
        report!(
            "note: {} events have no usable timestamp ({}) and cannot be part of a sequence",
            results.events_without_timestamp, settings.timestamp_field
        );
    }

    if let Some(limit) = o.near_misses {
        match (&plan.kind, plan.bind(&data)) {
            (eql::plan::PlanKind::Sequence { terms, .. }, Ok(bound)) => {
                let report = eql::explain::near_misses(&plan, &bound, &data, limit);
                crate::print_stderr(&crate::near_miss_text::render(&report, terms, &data, &o.events));
            }
            _ => report!("note: --near-misses applies to sequence queries only"),
        }
    }

    let inputs = Inputs {
        paths: &o.events,
        texts: &texts,
        with_file: o.events.len() > 1,
        with_source: o.with_source,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = output::write_matches(&mut out, &results.matches, &data, &inputs)
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        // The reader went away (`| head`): not an error of ours.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("error: cannot write the results: {e}")),
    }
}

/// The exception items of `--exceptions`, and the events they hid: (input, line) → item.
struct Hidden {
    items: Vec<rules::exceptions::ExceptionItem>,
    events: std::collections::HashMap<eql::compare::Origin, usize>,
    /// The events as read, before any was hidden (to count the results the items suppressed).
    original: Vec<String>,
}

/// Hides the events that an exception item matches, as Kibana's filter hides them from the rule,
/// and warns about items that cannot be applied here.
fn apply_exceptions(files: &[String], rule: Option<&rules::Rule>, paths: &[String], formats: &[InputFormat], texts: &mut [String]) -> Result<Hidden, String> {
    let mut items = Vec::new();
    for file in files {
        let text = input::read_reporting(file)?;
        let (read, errors) = rules::exceptions::parse(&text);
        if let Some(e) = errors.first() {
            return Err(format!("{}: error: {e}", display_name(file)));
        }
        items.extend(read);
    }
    // A rule applies the lists its `exceptions_list` names.
    let mut items = rules::exceptions::of_rule(items, rule);
    let now = crate::now_nanos();
    for item in items.iter().filter_map(|i| i.not_applied(now).map(|why| (i, why))) {
        report!("warning: exception `{}` is not applied: {}", item.0.name, item.1);
    }
    // Kibana drops expired items before each run.
    items.retain(|i| !i.expired(now));
    let original = texts.to_vec();
    let mut events = std::collections::HashMap::new();
    for (input, ((text, format), path)) in texts.iter_mut().zip(formats).zip(paths).enumerate() {
        if *format != InputFormat::Ndjson {
            return Err(format!("{}: error: --exceptions applies to NDJSON events (and converted Windows logs) for now", display_name(path)));
        }
        let (kept, hidden) = rules::exceptions::hide_events(text, &items);
        *text = kept;
        events.extend(hidden.into_iter().map(|(line, item)| ((input as u32, line), item)));
    }
    Ok(Hidden { items, events, original })
}

/// Says what each exception item did: the events it hid and the results it suppressed (those
/// the query gives without the exceptions and not with them, holding an event it hid); and the
/// results only the exceptions let form (a sequence that took another event).
fn report_exceptions(hidden: &Hidden, plan: &eql::plan::Plan, with: &[eql::Match], data: &eql::Dataset) -> Result<(), String> {
    let mut reader = Reader::new(plan.fields.clone());
    for (i, text) in hidden.original.iter().enumerate() {
        reader.add(i as u32, text, Some(InputFormat::Ndjson));
    }
    let unfiltered = reader.finish();
    let without = eql::run(plan, &unfiltered).map_err(|e| format!("error: {e:?}"))?.matches;
    let with_ids: Vec<Identity> = with.iter().map(|m| Identity::of(data, m)).collect();
    let without_ids: Vec<Identity> = without.iter().map(|m| Identity::of(&unfiltered, m)).collect();
    let (suppressed, only_with) = rules::exceptions::suppressed(&without_ids, &with_ids, &hidden.events, hidden.items.len());
    for (i, item) in hidden.items.iter().enumerate() {
        let events = hidden.events.values().filter(|&&h| h == i).count();
        report!("exception `{}` ({}): hid {events} events, suppressed {} results", item.name, item.item_id, suppressed[i]);
    }
    if only_with > 0 {
        report!("note: {only_with} results appear only with the exceptions: their sequences formed with events the hidden ones had taken");
    }
    Ok(())
}

/// A mapping file as JSON (checked to be a mapping).
fn read_mapping(path: &str) -> Result<serde_json::Value, String> {
    let text = input::read_reporting(path)?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: error: {e}", display_name(path)))?;
    Mapping::from_json(&json).map_err(|e| format!("{}: error: {e}", display_name(path)))?;
    Ok(json)
}

/// serde_json counts lines within the one line it was given: "… at line 1 column 11" reads
/// better as "… at column 11" after `FILE:LINE:`.
fn within_line(message: &str) -> String {
    if let Some((head, tail)) = message.rsplit_once(" at line 1 column ") {
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
            return format!("{head} at column {tail}");
        }
    }
    message.to_string()
}

