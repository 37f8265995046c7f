//! The reader's two paths (`scan` and serde_json's visitor) against each other, and the whole
//! reader against an independent reading of each event with serde_json (an ordered tree, the
//! field paths matched by splitting keys): unit cases with tricky JSON, then property tests on
//! generated events, some of them broken on purpose.

use super::*;
use crate::data::timestamp::DateFormat;
use crate::data::FieldId;
use proptest::prelude::*;
use std::fmt::Write as _;

/// Field paths of the tests: nested and dotted, empty segments, bytes that need escaping.
const PATHS: &[&str] = &[
    "a", "a.b", "a.b.c", "b", "process.name", "x", "a..b", "é", "q\"k", "🎉.a", "", "s\\t", "n.m.o.p", "@timestamp",
];

fn table(paths: &[&str]) -> FieldTable {
    let mut t = FieldTable::default();
    for p in paths {
        t.intern(p, None);
    }
    t
}

type Extracted = Vec<(u32, Value)>;

/// One path of the reader on one event: the values it extracted (document order), or `None`
/// when it rejects the event (the fast path: gives up). Leaves the reader as it was.
fn read_with(reader: &mut Reader, json: &str, fast: bool) -> Option<Extracted> {
    let mark = reader.dataset.strings_len();
    let mut ex = Extract {
        trie: &reader.trie,
        types: &reader.types,
        dataset: &mut reader.dataset,
        pending: &mut reader.pending,
        depth: 0,
    };
    let ok = if fast {
        scan::read_event(&mut ex, json, &mut reader.scratch).is_ok()
    } else {
        extract_serde(&mut ex, json).is_ok()
    };
    let out = ok.then(|| reader.pending.iter().map(|(f, v)| (*f, reader.dataset.to_val(v).to_owned_value())).collect());
    reader.pending.clear();
    reader.dataset.truncate_strings(mark);
    out
}

/// The fast path's contract: when it accepts an event, serde_json accepts it, with the same
/// values in the same order. Returns (fast, serde).
fn paths_agree(reader: &mut Reader, json: &str) -> (Option<Extracted>, Option<Extracted>) {
    let fast = read_with(reader, json, true);
    let slow = read_with(reader, json, false);
    if fast.is_some() {
        assert_eq!(fast, slow, "the fast and serde paths differ on {json:?}");
    }
    (fast, slow)
}

#[test]
fn tricky_events_read_the_same_on_both_paths() {
    let mut reader = Reader::new(table(PATHS));
    // (event, valid): valid events must also be read by the fast path, not handed over.
    let cases: &[(&str, bool)] = &[
        ("{}", true),
        (" \t\r\n{ \n } \r\n", true),
        (r#"{"a":1}"#, true),
        (r#"{"a":"x","a":"y","b":"z","a":"w"}"#, true),
        (r#"{"a":{"b":1},"a.b":2,"a":{"b":[3,[4,{"c":5}]],"b.c":6}}"#, true),
        (r#"{"process.name":"cmd.exe","process":{"name":"x","name":["y",null,"z"]}}"#, true),
        ("{\"a\":\"\\u00e9\\ud83c\\udf89\\n\\t\\\"\\\\\\/\\b\\f\\r\\u0000\\u001F\\uFFFF\"}", true),
        (r#"{"a":"\uD834\uDD1E upper-case hex"}"#, true),
        (r#"{"pro\u0063ess":{"na\u006De":"escaped key"}}"#, true),
        (r#"{"process\u002ename":"escaped dot"}"#, true),
        (r#"{"q\"k":"quote in key","s\\t":"backslash in key","q\u0022k":"escaped quote"}"#, true),
        (r#"{"é":"x","🎉":{"a":true},"\u00e9":"escaped é","🎉.a":false}"#, true),
        (r#"{"":1,"a.":2,"a..b":3,".":4,"a":{"":{"b":5}}}"#, true),
        (
            r#"{"x":[1,-1,0,9223372036854775807,-9223372036854775808,9223372036854775808,18446744073709551615,18446744073709551616,-9223372036854775809,123456789012345678901234567890]}"#,
            true,
        ),
        (
            r#"{"x":[1.5,-0.0,-0,0.1e1,1E+2,1e-2,1.7976931348623157e308,5e-324,1e-400,123456789012345678,1234567890123456789,0.30000000000000004]}"#,
            true,
        ),
        (r#"{"x":null,"x":true,"x":false,"x":[],"x":{},"x":[[]]}"#, true),
        (r#"{"skipped":{"deep":[[[{"k":"v\u0000\ud800"}]]],"n":-1.5e+10,"e":[],"o":{}},"b":"kept"}"#, true),
        (r#"{"skipped":"\ud800 lone surrogates are fine where serde_json ignores the value","zz":{"\udc00":1}}"#, true),
        (r#"{"skipped":1e400,"a":{"zz":-1e400}}"#, true),
        (r#"{"a":"long string with no escapes at all, well past sixteen bytes, ending here"}"#, true),
        (r#"{"a":"long string \" with escapes \\ in the middle \u0041 and at the end\n"}"#, true),
        (r#"{"@timestamp":"2026-03-01T00:00:00.000Z","a":{"b":{"c":"deep"}}}"#, true),
        ("{\"a\":\"é\\u00e9é\",\"zz\":\"é\\\"é\"}", true),
        // Invalid: serde_json rejects them, so both paths must.
        (r#"{"a":"\ud800"}"#, false),
        (r#"{"a":"\udc00"}"#, false),
        (r#"{"a":"\ud800\u0041"}"#, false),
        (r#"{"a":"\ud800\n"}"#, false),
        (r#"{"a":"\ud800x"}"#, false),
        (r#"{"\ud800":1}"#, false),
        (r#"{"a":{"\udfff":1}}"#, false),
        (r#"{"a":1e400}"#, false),
        (r#"{"x":2.5e308}"#, false),
        (r#"{"a":{"b":-1e999}}"#, false),
        (r#"{"a":01}"#, false),
        (r#"{"zz":01}"#, false),
        (r#"{"zz":-01.5}"#, false),
        (r#"{"a":1,}"#, false),
        (r#"{"zz":1,}"#, false),
        (r#"{"a":[1,]}"#, false),
        (r#"{"zz":[1,]}"#, false),
        (r#"{"zz":{"k":1,}}"#, false),
        (r#"{,}"#, false),
        (r#"{"a" 1}"#, false),
        (r#"{"a":}"#, false),
        (r#"{a:1}"#, false),
        (r#"{"a":1}}"#, false),
        (r#"{"a":1} x"#, false),
        (r#"{"a":1}{}"#, false),
        (r#"{"a":tru}"#, false),
        (r#"{"a":truex}"#, false),
        (r#"{"zz":nul}"#, false),
        (r#"{"zz":True}"#, false),
        (r#"{"a":"\x"}"#, false),
        (r#"{"zz":"\x"}"#, false),
        (r#"{"zz":"\u12"}"#, false),
        (r#"{"zz":"\u12G4"}"#, false),
        (r#"{"a":"\u12"}"#, false),
        ("{\"a\":\"tab\there\"}", false),
        ("{\"zz\":\"\u{1}\"}", false),
        ("{\"zz\":\"new\nline\"}", false),
        ("{\"zz\u{7}\":1}", false),
        (r#"{"a":-}"#, false),
        (r#"{"a":1.}"#, false),
        (r#"{"a":.5}"#, false),
        (r#"{"a":1e}"#, false),
        (r#"{"a":1e+}"#, false),
        (r#"{"a":+1}"#, false),
        (r#"{"zz":-}"#, false),
        (r#"{"zz":1.e5}"#, false),
        (r#"{"zz":1e}"#, false),
        (r#"{"zz":NaN}"#, false),
        (r#"[1]"#, false),
        (r#"[{"a":1}]"#, false),
        (r#""a""#, false),
        (r#"1"#, false),
        (r#"null"#, false),
        (r#""#, false),
        (r#"   "#, false),
        (r#"{"#, false),
        (r#"{"a""#, false),
        (r#"{"a":"#, false),
        (r#"{"a":"x"#, false),
        (r#"{"a":"x\"#, false),
        (r#"{"zz":"x\"#, false),
        (r#"{"a":[1"#, false),
        (r#"{"zz":[[[[{"#, false),
        (r#"{"zz":[}"#, false),
        (r#"{"zz":{]}"#, false),
        (r#"{"zz":{"k"}}"#, false),
        (r#"{"zz":{"k":}}"#, false),
        (r#"{"zz":{1:2}}"#, false),
        (r#"{"zz":[1 2]}"#, false),
        (r#"{"a":[1 2]}"#, false),
        (r#"{"zz":{"k":1 "l":2}}"#, false),
        ("{\"a\":1}\u{0}", false),
        ("\u{feff}{}", false),
    ];
    for &(json, valid) in cases {
        let (fast, slow) = paths_agree(&mut reader, json);
        assert_eq!(slow.is_some(), valid, "serde_json's verdict on {json:?}");
        assert_eq!(fast.is_some(), valid, "the fast path's verdict on {json:?}");
    }
}

#[test]
fn values_are_what_serde_json_sees() {
    let mut reader = Reader::new(table(&["a", "a.b", "x"]));
    let (fast, _) = paths_agree(&mut reader, r#"{"a":{"b":1},"a.b":"two","a":{"b":[3.5,[true]]},"x":-0,"x":18446744073709551615}"#);
    let a_b = 1;
    assert_eq!(
        fast.unwrap(),
        vec![
            (a_b, Value::Int(1)),
            (a_b, Value::Str("two".into())),
            (a_b, Value::Float(3.5)),
            (a_b, Value::Bool(true)),
            (2, Value::Float(-0.0)),
            (2, Value::Float(18446744073709551615.0)),
        ]
    );
}

#[test]
fn nesting_limits() {
    // "a", and "a" nested 150 deep, so that nested objects are wanted too.
    let deep = vec!["a"; 150].join(".");
    let mut reader = Reader::new(table(&["a", &deep]));
    // Wanted containers: at most 100 open at once, the event itself included, on both paths.
    for k in [1, 98, 99, 100, 101, 150, 5000] {
        let json = format!("{{\"a\":{}1{}}}", "[".repeat(k), "]".repeat(k));
        let (fast, slow) = paths_agree(&mut reader, &json);
        assert_eq!(slow.is_some(), k < 100, "{k} arrays");
        assert_eq!(fast.is_some(), k < 100, "{k} arrays");
        let json = format!("{{\"a\":{}1{}}}", "{\"a\":".repeat(k), "}".repeat(k));
        assert_eq!(paths_agree(&mut reader, &json).1.is_some(), k < 100, "{k} objects");
    }
    // Skipped values: serde_json skips any depth without recursing; the fast path hands over
    // past its own limit.
    for k in [1, 100, 127, 128, 129, 1000, 100_000] {
        for (open, close) in [("[", "]"), ("{\"k\":", "}"), ("[{\"k\":", "}]")] {
            let json = format!("{{\"zz\":{}1{},\"a\":2}}", open.repeat(k), close.repeat(k));
            let (fast, slow) = paths_agree(&mut reader, &json);
            assert!(slow.is_some(), "{k} × {open}");
            let containers = k * open.matches(['[', '{']).count();
            assert_eq!(fast.is_some(), containers <= 128, "{k} × {open}");
        }
    }
    // Unbalanced deep input is rejected without trouble.
    for json in ["{\"zz\":".to_string() + &"[".repeat(100_000), "{\"a\":".to_string() + &"[".repeat(100_000)] {
        assert_eq!(paths_agree(&mut reader, &json), (None, None));
    }
}

#[test]
fn typed_strings_convert_as_before() {
    let types = [
        FieldType::Long,
        FieldType::Double,
        FieldType::Date(DateFormat::Default),
        FieldType::DateNanos(DateFormat::from_mapping(Some("epoch_second||dd-MM-yyyy"))),
        FieldType::Boolean,
        FieldType::Keyword,
        FieldType::Ip,
        FieldType::Dynamic,
        FieldType::Object,
        FieldType::Other("geo_point".into()),
    ];
    let strings = [
        "", " 12 ", "12.7", "-3.9e2", "9223372036854775808", "true", "false", "x", "2026-03-01T00:00:00Z",
        "2026-03-01T00:00:00.123456+02:00", "1580000000000", "1580000000.5", "02-01-1970", "1e400", "NaN", "inf",
    ];
    let mut reader = Reader::new(table(&["f"]));
    for ty in &types {
        reader.types[0] = ty.clone();
        for s in strings {
            let mut ex = Extract {
                trie: &reader.trie,
                types: &reader.types,
                dataset: &mut reader.dataset,
                pending: &mut reader.pending,
                depth: 0,
            };
            ex.push_str(0, s);
            let got: Vec<Value> = reader.pending.drain(..).map(|(_, v)| reader.dataset.to_val(&v).to_owned_value()).collect();
            let want: Vec<Value> = convert(ty, Value::Str(s.into())).into_iter().collect();
            assert_eq!(got, want, "{ty:?} {s:?}");
        }
    }
}

/// The lines of `text` as the reader used to split them: `(line, offset, len, text)` of each
/// non-blank line.
fn lines_by_split(text: &str) -> Vec<(u32, usize, u32, &str)> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (i, raw_line) in text.split('\n').enumerate() {
        let line_no = (i + 1) as u32;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let line = if i == 0 { line.strip_prefix('\u{feff}').unwrap_or(line) } else { line };
        let start =
            offset + (raw_line.len() - raw_line.trim_start_matches('\u{feff}').len()) * usize::from(i == 0);
        offset += raw_line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        out.push((line_no, start, line.len() as u32, line));
    }
    out
}

fn check_ndjson(text: &str) {
    let mut reader = Reader::new(table(PATHS));
    reader.add_ndjson(3, text);
    let got = reader.finish();
    let mut reference = Reader::new(table(PATHS));
    for (line, offset, len, body) in lines_by_split(text) {
        reference.add_event(Origin { input: 3, line, offset, len }, body);
    }
    let want = reference.finish();
    assert_eq!(got.len(), want.len(), "{text:?}");
    for e in 0..got.len() {
        assert_eq!(got.origin(e), want.origin(e), "{text:?}");
        for f in 0..PATHS.len() as u32 {
            let values = |d: &Dataset| d.values(e, FieldId(f)).map(|v| v.to_owned_value()).collect::<Vec<_>>();
            assert_eq!(values(&got), values(&want), "{text:?}");
        }
    }
    assert_eq!(got.errors(), want.errors(), "{text:?}");
}

#[test]
fn ndjson_lines_offsets_and_errors_are_unchanged() {
    for text in [
        "",
        "\n",
        "\r\n",
        "{}",
        "{}\n",
        "{}\n{}",
        "\u{feff}{\"a\":1}\r\n\r\n  \n{\"a\":2}\r\n",
        "\u{feff}\u{feff}{}",
        "\u{feff}",
        " \u{3000} \n{}\n\u{3000}{}",
        "{}\n\n\n",
        "x\ny\n{\"a\":\n1}",
        "\r",
        "{\"a\":1}\r\r\n{\"a\":2} \t\r\n",
        "{\"a\":\"\\u2028\u{2028}\"}\n[]\n\"s\"\n{\"b\":[1,2]}",
    ] {
        check_ndjson(text);
    }
}

/// Every event's origin and values (per field), every error, and which fields were seen.
type Dump = (Vec<(Origin, Vec<Vec<Value>>)>, Vec<InputError>, Vec<bool>);

fn dump(d: &Dataset) -> Dump {
    let events = (0..d.len())
        .map(|e| {
            let values = (0..d.fields().len() as u32)
                .map(|f| d.values(e, FieldId(f)).map(|v| v.to_owned_value()).collect())
                .collect();
            (d.origin(e), values)
        })
        .collect();
    let seen = (0..d.fields().len() as u32).map(|f| d.seen(FieldId(f))).collect();
    (events, d.errors().to_vec(), seen)
}

#[test]
fn reading_on_threads_gives_the_single_threaded_dataset() {
    // About 5 MiB of varied lines (bad ones, blank ones, CRLF, a BOM, escapes, a field seen
    // only near the end), so that every thread gets a part.
    let mut text = String::from("\u{feff}");
    let mut i = 0u64;
    while text.len() < 5 << 20 {
        let _ = match i % 7 {
            0 => writeln!(text, "{{\"a\":{{\"b\":{i}}},\"x\":\"v{i}\\u00e9\"}}"),
            1 => writeln!(text, "{{\"process.name\":[\"p{i}\",null],\"@timestamp\":{i}}}\r"),
            2 => writeln!(text, "not json {i}"),
            3 => writeln!(text),
            4 => writeln!(text, "{{\"a.b.c\":true,\"é\":{}.5}}", i % 100),
            5 => writeln!(text, "[{i}]"),
            _ => writeln!(text, "{{\"q\\\"k\":\"{}\"}}", "z".repeat((i % 300) as usize)),
        };
        i += 1;
    }
    text.push_str("{\"n.m.o.p\":\"last\"}");
    let read = |threads: usize| {
        let mut reader = Reader::new(table(PATHS));
        reader.set_threads(threads);
        reader.add_ndjson(0, "{\"b\":\"an earlier input\"}\n");
        reader.add_ndjson(1, &text);
        dump(&reader.finish())
    };
    let single = read(1);
    assert!(single.0.len() > 50_000 && single.1.len() > 10_000);
    assert_eq!(single.2.iter().filter(|s| **s).count(), 9);
    for threads in [2, 3, 4] {
        assert!(read(threads) == single, "{threads} threads read differently");
    }
}

// ---- property tests --------------------------------------------------------------------

/// A reading of one event that shares nothing with the reader but serde_json: an ordered
/// tree (duplicates kept), numbers as serde_json hands them over.
#[derive(Debug)]
enum Tree {
    Null,
    Scalar(Value),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tree;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
                Ok(Tree::Null)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
                Ok(Tree::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
                Ok(Tree::Scalar(Value::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
                Ok(Tree::Scalar(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
                Ok(Tree::Scalar(Value::Float(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
                Ok(Tree::Scalar(Value::Str(v.to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
                let mut items = Vec::new();
                while let Some(t) = seq.next_element()? {
                    items.push(t);
                }
                Ok(Tree::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Tree>()? {
                    members.push((k, v));
                }
                Ok(Tree::Object(members))
            }
        }
        d.deserialize_any(V)
    }
}

/// The values of the field at `path` (split into segments) below `t`, in document order:
/// each key stands for its `.`-separated pieces, arrays flatten.
fn values_at(t: &Tree, path: &[&str], out: &mut Vec<Value>) {
    match t {
        Tree::Array(items) => items.iter().for_each(|i| values_at(i, path, out)),
        Tree::Scalar(v) if path.is_empty() => out.push(v.clone()),
        Tree::Object(members) if !path.is_empty() => {
            for (k, v) in members {
                let segs: Vec<&str> = k.split('.').collect();
                if path.starts_with(&segs) {
                    values_at(v, &path[segs.len()..], out);
                }
            }
        }
        _ => {}
    }
}

/// A generated JSON value, written out by [`write`] in one of many equivalent ways.
#[derive(Clone, Debug)]
enum Gen {
    Null,
    Bool(bool),
    Int(i64),
    Unsigned(u64),
    Float(f64),
    /// Number text written as is (some out of range, all valid JSON).
    Number(&'static str),
    Str(String),
    Array(Vec<Gen>),
    Object(Vec<(String, Gen)>),
}

const KEYS: &[&str] = &[
    "a", "b", "c", "a.b", "a.b.c", "b.c", "process", "name", "process.name", "x", "", ".", "a.", ".b", "a..b", "é",
    "q\"k", "s\\t", "🎉", "🎉.a", "n.m", "o.p", "zz", "@timestamp",
];

const NUMBERS: &[&str] = &[
    "0", "-0", "-0.0", "1.0", "1e5", "1E+5", "1e-5", "0.000001", "123456789012345678901234567890",
    "-123456789012345678901234567890.5e-3", "1e400", "-1e400", "1e-400", "9007199254740993", "18446744073709551616",
    "0.1", "2.2250738585072011e-308", "999999999999999999", "1000000000000000000", "-999999999999999999",
];

fn gen_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z.]{0,6}",
        2 => "\\PC{0,12}",
        1 => "(?s).{0,10}",
        1 => "[\"\\\\/\u{0}-\u{1f}\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}a]{0,6}",
    ]
}

fn gen_key() -> impl Strategy<Value = String> {
    prop_oneof![4 => prop::sample::select(KEYS).prop_map(String::from), 1 => gen_string()]
}

fn gen_value() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        Just(Gen::Null),
        any::<bool>().prop_map(Gen::Bool),
        any::<i64>().prop_map(Gen::Int),
        (-1000i64..1000).prop_map(Gen::Int),
        any::<u64>().prop_map(Gen::Unsigned),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Gen::Float),
        prop::sample::select(NUMBERS).prop_map(Gen::Number),
        gen_string().prop_map(Gen::Str),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Gen::Array),
            prop::collection::vec((gen_key(), inner), 0..6).prop_map(Gen::Object),
        ]
    })
}

fn gen_event() -> impl Strategy<Value = Gen> {
    prop::collection::vec((gen_key(), gen_value()), 0..10).prop_map(Gen::Object)
}

/// A tiny deterministic random source for the writing choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

fn write_ws(out: &mut String, rng: &mut Rng) {
    if rng.one_in(4) {
        out.push_str([" ", "\t", "\r", "\n", "  ", " \r\n "][(rng.next() % 6) as usize]);
    }
}

fn write_str(s: &str, out: &mut String, rng: &mut Rng) {
    out.push('"');
    for c in s.chars() {
        if rng.one_in(200) {
            // A lone surrogate: fine where the value is skipped, an error where it is read.
            out.push_str(["\\ud800", "\\udbff", "\\udc00", "\\uDFFF"][(rng.next() % 4) as usize]);
        }
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\t' => Some("\\t"),
            '\r' => Some("\\r"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '/' if rng.one_in(2) => Some("\\/"),
            _ => None,
        };
        let must_escape = c < ' ' || c == '"' || c == '\\';
        if let (Some(e), false) = (short, rng.one_in(4)) {
            out.push_str(e);
        } else if must_escape || rng.one_in(8) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                if rng.one_in(2) {
                    let _ = write!(out, "\\u{:04x}", u);
                } else {
                    let _ = write!(out, "\\u{:04X}", u);
                }
            }
        } else {
            out.push(c);
        }
    }
    out.push('"');
}

fn write(g: &Gen, out: &mut String, rng: &mut Rng) {
    match g {
        Gen::Null => out.push_str("null"),
        Gen::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Gen::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Gen::Unsigned(u) => {
            let _ = write!(out, "{u}");
        }
        Gen::Float(f) => {
            if rng.one_in(2) {
                out.push_str(&serde_json::to_string(f).unwrap_or_else(|_| "0".into()));
            } else {
                let _ = write!(out, "{f:e}");
            }
        }
        Gen::Number(n) => out.push_str(n),
        Gen::Str(s) => write_str(s, out, rng),
        Gen::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    write_ws(out, rng);
                    out.push(',');
                }
                write_ws(out, rng);
                write(item, out, rng);
                write_ws(out, rng);
            }
            out.push(']');
        }
        Gen::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_ws(out, rng);
                write_str(k, out, rng);
                write_ws(out, rng);
                out.push(':');
                write_ws(out, rng);
                write(v, out, rng);
                write_ws(out, rng);
            }
            out.push('}');
        }
    }
}

/// Breaks the text in one place (on a char boundary): deletes, inserts, replaces or truncates.
fn mutate(text: &mut String, at: prop::sample::Index, kind: u8, c: char) {
    let mut pos = at.index(text.len() + 1);
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let next = text[pos..].chars().next().map_or(pos, |ch| pos + ch.len_utf8());
    match kind {
        0 => text.replace_range(pos..next, ""),
        1 => text.insert(pos, c),
        2 => text.replace_range(pos..next, &*c.encode_utf8(&mut [0; 4])),
        _ => text.truncate(pos),
    }
}

const BREAKERS: &[char] =
    &['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '1', '-', '.', 'e', 'u', 'n', 't', 'f', '\u{0}', '\u{1f}', 'é', '\n'];

fn gen_text() -> impl Strategy<Value = String> {
    (
        gen_event(),
        any::<u64>(),
        prop::option::weighted(0.5, (any::<prop::sample::Index>(), 0u8..4, prop::sample::select(BREAKERS))),
    )
        .prop_map(|(event, seed, breakage)| {
            let mut text = String::new();
            write(&event, &mut text, &mut Rng(seed | 1));
            if let Some((at, kind, c)) = breakage {
                mutate(&mut text, at, kind, c);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Exactly: the fast path accepts only what serde_json accepts, with the same values; and
    /// whatever serde_json reads as an ordered tree, the fast path reads too.
    #[test]
    fn fast_path_agrees_with_serde(text in gen_text()) {
        let mut reader = Reader::new(table(PATHS));
        let (fast, _) = paths_agree(&mut reader, &text);
        if serde_json::from_str::<Tree>(&text).is_ok_and(|t| matches!(t, Tree::Object(_))) {
            prop_assert!(fast.is_some(), "the fast path handed over valid JSON: {:?}", text);
        }
    }

    /// The whole reader against the tree: same values for every field, and an error exactly
    /// when the tree cannot be read, except where serde_json skips leniently (lone surrogates
    /// and out-of-range numbers in values no field reads).
    #[test]
    fn reader_agrees_with_a_serde_json_tree(text in gen_text()) {
        let mut reader = Reader::new(table(PATHS));
        reader.add_event(Origin { input: 0, line: 7, offset: 0, len: text.len() as u32 }, &text);
        let data = reader.finish();
        match serde_json::from_str::<Tree>(&text) {
            Ok(tree @ Tree::Object(_)) => {
                prop_assert!(data.errors().is_empty(), "{:?}: {:?}", text, data.errors());
                prop_assert_eq!(data.len(), 1);
                for (id, info) in data.fields().iter() {
                    let segs: Vec<&str> = info.path.split('.').collect();
                    let mut want = Vec::new();
                    values_at(&tree, &segs, &mut want);
                    let got: Vec<Value> = data.values(0, id).map(|v| v.to_owned_value()).collect();
                    prop_assert_eq!(got, want, "field {:?} of {:?}", info.path, text);
                }
            }
            Ok(_) => {
                prop_assert_eq!(data.len(), 0);
                prop_assert_eq!(data.errors().len(), 1);
            }
            Err(_) => {
                if data.is_empty() {
                    prop_assert_eq!(data.errors().len(), 1);
                    prop_assert_eq!(data.errors()[0].line, 7);
                    prop_assert!(data.errors()[0].message.starts_with("invalid JSON: "));
                } else {
                    // Accepted: only what serde_json's skipping accepts.
                    prop_assert!(serde_json::from_str::<IgnoredAny>(&text).is_ok(), "accepted {:?}", text);
                }
            }
        }
    }

    /// NDJSON of generated lines (some broken, some blank, CRLF, a BOM): the same events,
    /// origins and errors as splitting with `split('\n')`.
    #[test]
    fn ndjson_agrees_with_split(lines in prop::collection::vec((gen_text(), 0u8..6), 0..8), bom in any::<bool>()) {
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        for (line, ending) in &lines {
            text.push_str(&line.replace('\n', " "));
            text.push_str(["\n", "\r\n", "\n\n", "\n \n", "", "\r"][*ending as usize]);
        }
        check_ndjson(&text);
    }
}

