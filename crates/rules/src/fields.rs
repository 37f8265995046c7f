//! Reading a field of a JSON event by its dotted ECS name, as Elasticsearch does: through nested
//! objects or dotted keys (`{"event.id": …}`), across arrays (fields can be multi-valued).

use serde_json::Value;

/// Events nest at most this deep in practice; a hostile event cannot recurse further.
const MAX_DEPTH: usize = 64;

/// Every value `path` reaches in `value` (an array's elements, not the array).
pub fn values<'v>(value: &'v Value, path: &str) -> Vec<&'v Value> {
    let mut out = Vec::new();
    collect(value, path, &mut out, 0);
    out
}

fn collect<'v>(value: &'v Value, path: &str, out: &mut Vec<&'v Value>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, path, out, depth + 1)),
        Value::Object(_) if path.is_empty() => out.push(value),
        Value::Object(map) => {
            for (key, child) in map {
                if key == path {
                    match child {
                        Value::Array(items) => out.extend(items.iter()),
                        other => out.push(other),
                    }
                } else if let Some(rest) = path.strip_prefix(key.as_str()).and_then(|r| r.strip_prefix('.')) {
                    collect(child, rest, out, depth + 1);
                }
            }
        }
        _ if path.is_empty() => out.push(value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_nested_dotted_and_in_arrays() {
        let v: Value = serde_json::from_str(r#"{"event":{"id":"a1","type":["start","process_start"]},"process.name":"x.exe"}"#).expect("json");
        assert_eq!(values(&v, "event.id"), vec![&Value::from("a1")]);
        assert_eq!(values(&v, "process.name"), vec![&Value::from("x.exe")]);
        assert_eq!(values(&v, "event.type").len(), 2);
        assert!(values(&v, "host.name").is_empty());
    }
}
