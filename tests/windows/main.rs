//! The Windows event reader and its ECS mapping, measured against Elastic's own test data in
//! `../shared/reference/windows-events/` (read in place, never copied):
//! - XML → ECS: each of Elastic's expected pipeline outputs (the 15-event excerpt and the
//!   image-load pair) against ours, field by field, over the fields we map; every difference is
//!   either explained (a pipeline revision the golden predates or follows) or fails the test;
//! - the image-load pair's winlogbeat input document through the JSON path, the same way;
//! - `.evtx` → XML: every record of `sysmon.evtx` through the `.evtx` path gives the `winlog`
//!   object its XML (rendered by evtx-rs, in `derived/`) gives through the XML path;
//! - the Security samples load without a failed record.
//! Each prints its counts, which `docs/windows-events.md` quotes.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn reference() -> PathBuf {
    eqlplay_tests::shared_dir().join("reference/windows-events")
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(reference().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Leaf fields by dotted name; arrays are leaves.
fn flatten(value: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(v, &name, out);
            }
        }
        leaf => {
            out.insert(prefix.to_string(), leaf.clone());
        }
    }
}

/// Fields the comparison leaves out, and why.
const NOT_COMPARED: &[(&str, &str)] = &[
    ("event.original", "the input itself"),
    ("ecs.version", "the pipeline's release, not the event"),
    ("event.ingested", "set by Elasticsearch at index time"),
    ("agent.", "set by the agent"),
    ("data_stream.", "set by the agent (the playground supplies its own, listed in playground.supplied)"),
    ("event.dataset", "set by the agent (supplied by the playground)"),
    ("host.", "set by the agent; the goldens carry it only where their input did"),
    ("playground.", "ours: which fields the playground supplied"),
    ("dns.question.registered_domain", "needs the Public Suffix List (not mapped)"),
    ("dns.question.subdomain", "needs the Public Suffix List (not mapped)"),
    ("dns.question.top_level_domain", "needs the Public Suffix List (not mapped)"),
    ("winlog.event_data.", "the pipeline removes the fields it consumed; we keep every value"),
    ("winlog.api", "winlogbeat's reader, given by the input document"),
    ("winlog.task", "rendered by Windows, given by the input document"),
    ("winlog.keywords", "rendered by Windows, given by the input document"),
    ("winlog.user.domain", "resolved by Windows on the collecting host"),
    ("winlog.user.name", "resolved by Windows on the collecting host"),
    ("winlog.user.type", "resolved by Windows on the collecting host"),
];

/// Differences explained by the pipeline revision a golden was made with: (golden, event id,
/// field prefix, reason).
const EXPLAINED: &[(&str, &str, &str, &str)] = &[
    ("excerpt", "*", "event.action", "the excerpt predates windows 1.26.0, which sets event.action from the event id (#6882); the two 2022 records carry winlogbeat's rendered task instead"),
    ("excerpt", "26", "process.hash.", "the excerpt's pipeline put id 26's hashes on the process; the current one puts them on the file"),
    ("excerpt", "26", "file.hash.", "the excerpt's pipeline put id 26's hashes on the process; the current one puts them on the file"),
    ("excerpt", "7", "event.category", "the ECS 8.17 pipeline adds the library category to id 7 (its golden is the image-load pair)"),
    ("excerpt", "7", "event.type", "the ECS 8.17 pipeline adds the start type to id 7"),
    ("excerpt", "7", "dll.", "the ECS 8.17 pipeline copies the loaded library to dll.* (elastic/integrations#16442)"),
    ("excerpt", "7", "file.code_signature.trusted", "the ECS 8.17 pipeline adds trusted from Signed"),
    ("excerpt", "13", "event.created", "the 2022 records' input documents were read live: event.created is when the agent read them, ours is the record's TimeCreated"),
    ("excerpt", "13", "message", "winlogbeat sends the message Windows rendered (here in RenderingInfo); the golden's input document had none"),
];

#[derive(Default)]
struct Tally {
    events: usize,
    compared: usize,
    agreed: usize,
    explained: BTreeMap<String, usize>,
    unexplained: Vec<String>,
}

impl Tally {
    fn compare(&mut self, golden: &str, expected: &Value, ours: &Value) {
        let (mut want, mut got) = (BTreeMap::new(), BTreeMap::new());
        flatten(expected, "", &mut want);
        flatten(ours, "", &mut got);
        let id = want.get("winlog.event_id").and_then(Value::as_str).unwrap_or("?").to_string();
        let record = want.get("winlog.record_id").and_then(Value::as_str).unwrap_or("?").to_string();
        self.events += 1;
        let fields: std::collections::BTreeSet<&String> = want.keys().chain(got.keys()).collect();
        for field in fields {
            if NOT_COMPARED.iter().any(|(p, _)| field.starts_with(p)) {
                continue;
            }
            self.compared += 1;
            let (w, g) = (want.get(field), got.get(field));
            if same(w, g) {
                self.agreed += 1;
                continue;
            }
            let reason = EXPLAINED.iter().find(|(gold, ids, prefix, _)| *gold == golden && (*ids == "*" || *ids == id) && field.starts_with(prefix));
            match reason {
                Some((_, _, _, why)) => *self.explained.entry(why.to_string()).or_default() += 1,
                None => self.unexplained.push(format!("{golden} id {id} record {record}: {field}: Elastic {w:?}, ours {g:?}")),
            }
        }
    }

    fn report(&self, what: &str) {
        println!(
            "{what}: {} events, {} fields compared, {} agree, {} differ by a known pipeline revision, {} unexplained",
            self.events,
            self.compared,
            self.agreed,
            self.explained.values().sum::<usize>(),
            self.unexplained.len()
        );
        for (why, n) in &self.explained {
            println!("  {n} × {why}");
        }
        assert!(self.unexplained.is_empty(), "{what}: unexplained differences:\n{}", self.unexplained.join("\n"));
    }
}

/// Equal, GUIDs (and only they) compared without case.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) if x.starts_with('{') && x.ends_with('}') => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

fn ours_from_xml(expected: &Value) -> Value {
    let xml = expected.pointer("/event/original").and_then(Value::as_str).expect("event.original");
    let w = winlog::xml::event(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    winlog::ecs::map(&w, &winlog::Options::default()).0
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn the_xml_path_agrees_with_elastics_expected_output() {
    let mut tally = Tally::default();
    let excerpt = read_json("elastic-integrations/sysmon_operational/excerpts/test-events.json-expected.excerpt.json");
    let entries = excerpt["expected"].as_array().expect("expected list");
    assert_eq!(entries.len(), 15);
    for expected in entries {
        tally.compare("excerpt", expected, &ours_from_xml(expected));
    }
    let pair = read_json("elastic-integrations/sysmon_operational/_dev/test/pipeline/test-image-loaded-failed-signature.json-expected.json");
    for expected in pair["expected"].as_array().expect("expected list") {
        tally.compare("image-load", expected, &ours_from_xml(expected));
    }
    tally.report("XML → ECS against Elastic's expected output");
    assert_eq!(tally.events, 16);
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn the_winlogbeat_path_agrees_with_elastics_expected_output() {
    let input = read_json("elastic-integrations/sysmon_operational/_dev/test/pipeline/test-image-loaded-failed-signature.json");
    let expected = read_json("elastic-integrations/sysmon_operational/_dev/test/pipeline/test-image-loaded-failed-signature.json-expected.json");
    let mut tally = Tally::default();
    for (doc, want) in input["events"].as_array().expect("events").iter().zip(expected["expected"].as_array().expect("expected")) {
        assert!(winlog::beat::is_unmapped(doc));
        let w = winlog::beat::winlog(doc).expect("reads");
        tally.compare("image-load", want, &winlog::ecs::map(&w, &winlog::Options::default()).0);
    }
    tally.report("winlogbeat JSON → ECS against Elastic's expected output");
    assert_eq!(tally.events, 1);
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn every_evtx_record_reads_as_its_xml_does() {
    let bytes = std::fs::read(reference().join("evtx-rs/samples/sysmon.evtx")).expect("sysmon.evtx");
    let from_evtx: Vec<winlog::Winlog> = winlog::evtx_file::read(bytes).into_iter().map(|r| r.expect("no failed record")).collect();
    let derived = std::fs::read_to_string(reference().join("evtx-rs/derived/sysmon.evtx.records.jsonl")).expect("derived records");
    let mut from_xml = BTreeMap::new();
    for line in derived.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).expect("json line");
        let xml = record["xml"].as_str().expect("xml");
        let w = winlog::xml::event(xml).unwrap_or_else(|e| panic!("{e}"));
        from_xml.insert(record["event_record_id"].as_u64().expect("record id"), w);
    }
    assert_eq!((from_evtx.len(), from_xml.len()), (358, 358));
    let mut ids = BTreeMap::new();
    // evtx-rs 0.14 (which rendered `derived/`) wrote times to the microsecond, 0.15 to 100 ns.
    let to_micros = |w: &winlog::Winlog| {
        let mut w = w.clone();
        w.time_created = w.time_created.map(|t| match t.split_once('.') {
            Some((s, f)) => format!("{s}.{}Z", &f.trim_end_matches('Z')[..6.min(f.len() - 1)]),
            None => t,
        });
        w
    };
    for w in &from_evtx {
        let id = w.record_id.expect("record id");
        assert_eq!(Some(to_micros(w)), from_xml.get(&id).map(to_micros), "record {id}");
        *ids.entry(w.event_id).or_insert(0) += 1;
    }
    println!(".evtx → winlog: {} records, each equal to its XML's; event ids {ids:?}", from_evtx.len());
    let generic: usize = from_evtx.iter().filter(|w| !winlog::ecs::map(w, &winlog::Options::default()).1).count();
    assert_eq!(generic, 0, "every id in sysmon.evtx has a mapping");
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn the_security_samples_load_without_a_failed_record() {
    for (file, records) in [
        ("security.evtx", 2261),
        ("Security_with_size_t.evtx", 636),
        ("post-Security.evtx", 126),
        ("Security_short_selected.evtx", 7),
        ("new-user-security.evtx", 4),
    ] {
        let bytes = std::fs::read(reference().join("evtx-rs/samples").join(file)).expect("sample");
        let converted = winlog::convert(bytes, winlog::Format::Evtx, &winlog::Options::default()).expect("converts");
        assert!(converted.errors.is_empty(), "{file}: {:?}", converted.errors);
        assert_eq!(converted.events.len(), records, "{file}");
        let logons = converted.events.iter().filter(|e| e["event"]["action"] == "logged-in").count();
        println!("{file}: {records} records, {logons} logons mapped, generic ids {:?}", converted.generic.keys().map(|(_, id)| id).collect::<Vec<_>>());
    }
}

/// `sysmon.evtx` damaged at random places (seeded): every copy converts or reports, never a
/// panic — in the page a panic would end the worker.
#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn a_damaged_evtx_never_panics() {
    let original = std::fs::read(reference().join("evtx-rs/samples/sysmon.evtx")).expect("sysmon.evtx");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let (mut records, mut reported) = (0, 0);
    for _ in 0..40 {
        let mut bytes = original.clone();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed as usize) % bytes.len();
            bytes[at] ^= (seed >> 32) as u8 | 1;
        }
        if let Ok(c) = winlog::convert(bytes, winlog::Format::Evtx, &winlog::Options::default()) {
            records += c.events.len();
            reported += c.errors.len();
        }
    }
    println!("damaged .evtx: 40 copies, {records} records read, {reported} reported");
    assert!(records > 0);
}
