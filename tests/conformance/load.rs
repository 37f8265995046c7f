//! Loading Elasticsearch's spec files, mappings and data as its `DataLoader` does.

use std::collections::HashMap;
use std::path::Path;

pub struct Index {
    /// The mappings of all the indices, merged (what the query is verified against).
    pub mapping: eql::Mapping,
    /// Per index searched: its own mapping, and its documents as JSON texts in load order.
    pub parts: Vec<(eql::Mapping, Vec<String>)>,
}

#[derive(Clone)]
pub struct Spec {
    pub name: String,
    pub query: String,
    /// One or more acceptable flat id lists.
    pub expected: Vec<Vec<i64>>,
    pub join_keys: Option<Vec<String>>,
    pub size: Option<usize>,
    pub max_samples_per_key: Option<usize>,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `#` lines dropped; random string types become `keyword` (results must not depend on it).
fn mapping_json(path: &Path) -> serde_json::Value {
    let text: String = read(path)
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("[runtime_random_keyword_type]", "keyword");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Data files are JSON arrays that may hold `//` comment lines.
fn data_docs(path: &Path) -> Vec<serde_json::Value> {
    let text: String =
        read(path).lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn index(dir: &Path, name: &str) -> Index {
    let mut mapping = eql::Mapping::default();
    let mut parts = Vec::new();
    for part in name.split(',') {
        let (mapping_file, data) = match part {
            "endgame-140" => ("endgame-140.mapping", endgame(dir, false)),
            "endgame-140-nanos" => ("endgame-140-nanos.mapping", endgame(dir, true)),
            other => (
                Box::leak(format!("{other}.mapping").into_boxed_str()) as &str,
                data_docs(&dir.join("data").join(format!("{other}.data"))),
            ),
        };
        let json = mapping_json(&dir.join("data").join(mapping_file));
        mapping.merge_json(&json).expect("mapping");
        let own = eql::Mapping::from_json(&json).expect("mapping");
        parts.push((own, data.iter().map(|d| d.to_string()).collect()));
    }
    Index { mapping, parts }
}

/// The endgame data with `@timestamp` derived from the FILETIME `timestamp`.
fn endgame(dir: &Path, nanos: bool) -> Vec<serde_json::Value> {
    let mut docs: Vec<serde_json::Value> = serde_json::from_str(&read(&dir.join("test_data.json"))).expect("test_data.json");
    for doc in &mut docs {
        let Some(obj) = doc.as_object_mut() else { continue };
        let Some(ts) = obj.get("timestamp").and_then(|t| t.as_i64()) else { continue };
        if nanos {
            let digits = ts.to_string();
            let (ms, frac) = digits.split_at(digits.len().saturating_sub(6));
            let stamp = if frac.chars().all(|c| c == '0') { ms.to_string() } else { format!("{ms}.{frac}") };
            obj.insert("@timestamp".into(), stamp.into());
            obj.insert("timestamp".into(), (ts / 1_000_000).into());
        } else {
            obj.insert("@timestamp".into(), (ts / 10_000 - 11_644_473_600_000).into());
        }
    }
    docs
}

/// `test_extra.toml` has bare `null`s in `join_keys` that only a lenient parser takes.
fn lenient_toml(text: &str) -> String {
    let null = regex_lite::Regex::new(r"(^|[\[,\s])null([\s,\]]|$)").expect("regex");
    text.lines()
        .map(|l| if l.trim_start().starts_with("join_keys") { null.replace_all(&null.replace_all(l, "$1\"null\"$2"), "$1\"null\"$2").into_owned() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn specs(path: &Path) -> Vec<Spec> {
    let text = lenient_toml(&read(path));
    let doc: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let queries = doc.get("queries").and_then(|q| q.as_array()).cloned().unwrap_or_default();
    queries
        .iter()
        .map(|q| {
            let ids = q.get("expected_event_ids").and_then(|v| v.as_array()).cloned().unwrap_or_default();
            let as_ids = |a: &[toml::Value]| a.iter().filter_map(|v| v.as_integer()).collect::<Vec<i64>>();
            let expected = if ids.iter().any(|v| v.is_array()) {
                ids.iter().filter_map(|v| v.as_array()).map(|a| as_ids(a)).collect()
            } else {
                vec![as_ids(&ids)]
            };
            Spec {
                name: q.get("name").and_then(|v| v.as_str()).unwrap_or("?").to_string(),
                query: q.get("query").and_then(|v| v.as_str()).unwrap_or("").trim().to_string(),
                expected,
                join_keys: q.get("join_keys").and_then(|v| v.as_array()).map(|a| {
                    a.iter()
                        .map(|k| match k {
                            toml::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                }),
                size: q.get("size").and_then(|v| v.as_integer()).map(|n| n as usize),
                max_samples_per_key: q.get("max_samples_per_key").and_then(|v| v.as_integer()).map(|n| n as usize),
            }
        })
        .collect()
}

/// A spec query we knowingly fail: why, and optionally the edit upstream later made to the
/// query (`[from, to]` in its text), with which it must pass.
pub struct KnownFailure {
    pub reason: String,
    pub upstream_edit: Option<(String, String)>,
}

/// `suite-index:file:name` → what we know, from `known_failures.toml` beside this file.
pub fn known_failures() -> HashMap<String, KnownFailure> {
    let text = include_str!("known_failures.toml");
    let doc: toml::Value = toml::from_str(text).expect("known_failures.toml");
    let entry = |f: &toml::Value| {
        let id = f.get("id")?.as_str()?.to_string();
        let reason = f.get("reason")?.as_str()?.to_string();
        let upstream_edit = f.get("upstream_edit").and_then(|e| {
            let pair = e.as_array()?;
            Some((pair.first()?.as_str()?.to_string(), pair.get(1)?.as_str()?.to_string()))
        });
        Some((id, KnownFailure { reason, upstream_edit }))
    };
    doc.get("failure")
        .and_then(|f| f.as_array())
        .map(|list| list.iter().map(|f| entry(f).expect("a failure needs an id and a reason")).collect())
        .unwrap_or_default()
}
