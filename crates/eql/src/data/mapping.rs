//! An Elasticsearch index mapping: which fields exist, their types, aliases and `null_value`s.
//! It decides how JSON values are read (a number in a keyword field is text) and which
//! `?optional` fields count as mapped.

use super::timestamp::DateFormat;
use super::value::Value;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    Keyword,
    Text,
    Wildcard,
    Long,
    Double,
    Ip,
    Version,
    Date(DateFormat),
    DateNanos(DateFormat),
    Boolean,
    Object,
    /// Any other mapping type (kept as it comes).
    Other(String),
    /// Not in the mapping: typed by the JSON values, as dynamic mapping would.
    Dynamic,
}

impl FieldType {
    pub fn is_string(&self) -> bool {
        matches!(self, FieldType::Keyword | FieldType::Text | FieldType::Wildcard | FieldType::Ip | FieldType::Version)
    }

    pub fn is_date(&self) -> bool {
        matches!(self, FieldType::Date(_) | FieldType::DateNanos(_))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldMapping {
    pub ty: FieldType,
    pub null_value: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    fields: HashMap<String, FieldMapping>,
    aliases: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError(pub String);

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid mapping: {}", self.0)
    }
}

impl Mapping {
    /// Reads `{"properties": …}`, `{"mappings": {"properties": …}}`, or a `GET /index/_mapping`
    /// response (`{"index": {"mappings": …}}`, several indices merged).
    pub fn from_json(json: &serde_json::Value) -> Result<Mapping, MappingError> {
        let mut mapping = Mapping::default();
        mapping.merge_json(json)?;
        Ok(mapping)
    }

    pub fn from_str(text: &str) -> Result<Mapping, MappingError> {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| MappingError(e.to_string()))?;
        Mapping::from_json(&json)
    }

    /// Adds the fields of another mapping document (for several indices searched together).
    pub fn merge_json(&mut self, json: &serde_json::Value) -> Result<(), MappingError> {
        let obj = json.as_object().ok_or_else(|| MappingError("expected a JSON object".into()))?;
        if let Some(props) = obj.get("properties") {
            self.add_properties("", props);
        } else if let Some(m) = obj.get("mappings") {
            self.merge_json(m)?;
        } else {
            let mut any = false;
            for index in obj.values() {
                if index.get("mappings").is_some() {
                    self.merge_json(index)?;
                    any = true;
                }
            }
            if !any {
                return Err(MappingError("no \"properties\" found".into()));
            }
        }
        Ok(())
    }

    fn add_properties(&mut self, prefix: &str, props: &serde_json::Value) {
        let Some(props) = props.as_object() else { return };
        for (name, def) in props {
            let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
            let ty_name = def.get("type").and_then(|t| t.as_str());
            if ty_name == Some("alias") {
                if let Some(target) = def.get("path").and_then(|p| p.as_str()) {
                    self.aliases.insert(path.clone(), target.to_string());
                }
                continue;
            }
            if let Some(sub) = def.get("properties") {
                self.fields.insert(path.clone(), FieldMapping { ty: FieldType::Object, null_value: None });
                self.add_properties(&path, sub);
                continue;
            }
            let format = def.get("format").and_then(|f| f.as_str());
            let ty = match ty_name.unwrap_or("object") {
                "keyword" | "constant_keyword" => FieldType::Keyword,
                "text" | "match_only_text" => FieldType::Text,
                "wildcard" => FieldType::Wildcard,
                "long" | "integer" | "short" | "byte" | "unsigned_long" => FieldType::Long,
                "double" | "float" | "half_float" | "scaled_float" => FieldType::Double,
                "ip" => FieldType::Ip,
                "version" => FieldType::Version,
                "date" => FieldType::Date(DateFormat::from_mapping(format)),
                "date_nanos" => FieldType::DateNanos(DateFormat::from_mapping(format)),
                "boolean" => FieldType::Boolean,
                "object" | "nested" | "flattened" => FieldType::Object,
                other => FieldType::Other(other.to_string()),
            };
            let null_value = def.get("null_value").map(json_to_value);
            // A text field's keyword sub-field is what exact matches use.
            let ty = match (&ty, def.get("fields")) {
                (FieldType::Text, Some(subs)) if has_keyword_subfield(subs) => FieldType::Keyword,
                _ => ty,
            };
            if let Some(subs) = def.get("fields") {
                self.add_properties(&path, subs);
            }
            self.fields.insert(path, FieldMapping { ty, null_value });
        }
    }

    /// The field a name refers to, after following an alias.
    pub fn resolve<'a>(&'a self, path: &'a str) -> &'a str {
        self.aliases.get(path).map_or(path, String::as_str)
    }

    pub fn get(&self, path: &str) -> Option<&FieldMapping> {
        self.fields.get(self.resolve(path))
    }

    /// Whether the name is in the mapping (as a field or an alias).
    pub fn contains(&self, path: &str) -> bool {
        self.fields.contains_key(self.resolve(path))
    }
}

fn has_keyword_subfield(subs: &serde_json::Value) -> bool {
    subs.as_object().is_some_and(|m| {
        m.values().any(|d| matches!(d.get("type").and_then(|t| t.as_str()), Some("keyword" | "wildcard")))
    })
}

fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        other => Value::Str(other.to_string()),
    }
}
