//! An ECS document being built: dotted names set into nested objects, and the `related.*`
//! lists kept without repeats, as Elastic's pipelines keep them.

use serde_json::{Map, Value};

#[derive(Debug, Default)]
pub struct Doc(Map<String, Value>);

impl Doc {
    /// Sets `path` (`process.parent.pid`) to `value`, making the objects on the way.
    pub fn set(&mut self, path: &str, value: impl Into<Value>) {
        let mut map = &mut self.0;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                map.insert(part.to_string(), value.into());
                return;
            }
            let entry = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Value::Object(next) = entry else { return };
            map = next;
        }
    }

    /// Sets `path` to the text, when there is one.
    pub fn text(&mut self, path: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.set(path, v);
        }
    }

    /// Sets `path` to the number `value` reads as (decimal, or hex with `0x`), when it does.
    pub fn number(&mut self, path: &str, value: Option<&str>) {
        if let Some(n) = value.and_then(parse_number) {
            self.set(path, n);
        }
    }

    /// Sets `path` to the boolean `value` spells (`true`/`false`, any case).
    pub fn boolean(&mut self, path: &str, value: Option<&str>) {
        match value.map(str::to_ascii_lowercase).as_deref() {
            Some("true") => self.set(path, true),
            Some("false") => self.set(path, false),
            _ => {}
        }
    }

    /// Adds `value` to the list at `related.<kind>` (or any list path) unless it is there.
    pub fn push_unique(&mut self, path: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let present = self.get(path).and_then(Value::as_array).is_some_and(|a| a.iter().any(|v| v == value));
        if present {
            return;
        }
        let mut list = self.get(path).and_then(Value::as_array).cloned().unwrap_or_default();
        list.push(value.into());
        self.set(path, list);
    }

    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let mut value = self.0.get(parts.next()?)?;
        for part in parts {
            value = value.as_object()?.get(part)?;
        }
        Some(value)
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// A decimal number, or a hex one written `0x…` (Security events write process ids so).
pub fn parse_number(text: &str) -> Option<u64> {
    let t = text.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_nest_and_related_lists_keep_no_repeats() {
        let mut d = Doc::default();
        d.set("process.parent.pid", 4);
        d.number("process.pid", Some("0x1f"));
        d.boolean("sysmon.file.archived", Some("True"));
        d.push_unique("related.user", "a");
        d.push_unique("related.user", "a");
        d.push_unique("related.user", "b");
        assert_eq!(
            d.into_value(),
            serde_json::json!({"process": {"parent": {"pid": 4}, "pid": 31}, "sysmon": {"file": {"archived": true}}, "related": {"user": ["a", "b"]}})
        );
    }
}
