//! The rule model, shared by detection-rules TOML and Kibana JSON: Kibana's
//! field names are the same as those of detection-rules' `[rule]` table, so
//! one serde shape reads both. Unknown fields land in `extra` and are written
//! back out, so nothing a user gave us is dropped.

use crate::de;
use crate::schedule::Schedule;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const DEFAULT_MAX_SIGNALS: u32 = 100;

fn default_max_signals() -> u32 {
    DEFAULT_MAX_SIGNALS
}

fn is_default_max_signals(n: &u32) -> bool {
    *n == DEFAULT_MAX_SIGNALS
}

/// A detection rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    // Declared first so that serde reports these as the missing fields of a
    // file that is not a rule at all.
    pub name: String,
    pub query: String,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Kibana's `type`: "eql", "query", "threshold", ...
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub rule_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub index: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub risk_score: Option<u32>,
    #[serde(
        default,
        deserialize_with = "de::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    #[serde(
        default = "default_max_signals",
        deserialize_with = "de::max_signals",
        skip_serializing_if = "is_default_max_signals"
    )]
    pub max_signals: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiebreaker_field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_category_override: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<String>,
    #[serde(
        default,
        deserialize_with = "de::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub false_positives: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threat: Vec<Threat>,
    /// The investigation guide (Markdown), in the rule's primary language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Translations of `note` keyed by language tag ("zh-CN"). Our extension:
    /// neither Kibana nor detection-rules has one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub note_i18n: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub author: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<u32>,
    /// detection-rules' `[metadata]` table (Kibana exports have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// detection-rules' `[transform]` table: Osquery and timeline templates
    /// that `$osquery_N` / `$investigate_N` in the note refer to.
    #[serde(default, skip_serializing_if = "Transform::is_empty")]
    pub transform: Transform,
    /// Derived from `interval` and `from` when loaded; output only.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Every field not modelled above, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One `[[rule.threat]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threat {
    #[serde(default)]
    pub framework: String,
    #[serde(default)]
    pub tactic: Tactic,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technique: Vec<Technique>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tactic {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub reference: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technique {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subtechnique: Vec<Subtechnique>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subtechnique {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub reference: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// detection-rules' `[metadata]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::string_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub integration: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_stack_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation_date: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// detection-rules' `[transform]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transform {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub osquery: Vec<OsqueryBlock>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub investigate: Vec<InvestigateBlock>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Transform {
    pub fn is_empty(&self) -> bool {
        self.osquery.is_empty() && self.investigate.is_empty() && self.extra.is_empty()
    }
}

/// An Osquery query offered by the investigation guide. `extra` keeps
/// `ecs_mapping`, `saved_query_id` and the like.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OsqueryBlock {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub query: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The same thing in detection-rules' vocabulary.
pub type OsqueryTransform = OsqueryBlock;

/// A Timeline investigation (`[[transform.investigate]]`, Kibana's
/// `!{investigate{..}}` / `!{insight{..}}`): a label plus data providers,
/// kept verbatim in `extra` (`providers`, `relativeFrom`, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InvestigateBlock {
    #[serde(default)]
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Rule {
    /// Fills the derived fields; called by the loaders.
    /// Completes a rule read from its serialized form: the schedule is derived, never read.
    pub fn finish(mut self) -> Rule {
        self.extra.remove("schedule");
        self.schedule = Schedule::new(self.interval.as_deref(), self.from.as_deref());
        self
    }

    /// EQL rules are the only ones this tool can run. A rule without a
    /// `type` counts as EQL when its language is EQL or absent.
    pub fn is_eql(&self) -> bool {
        match (&self.rule_type, &self.language) {
            (Some(t), _) => t.eq_ignore_ascii_case("eql"),
            (None, Some(l)) => l.eq_ignore_ascii_case("eql"),
            (None, None) => true,
        }
    }

    /// The guide for `lang`: an exact tag, then a case-insensitive one, then
    /// the same primary language ("zh" ↔ "zh-CN"), then the default `note`.
    pub fn note_for(&self, lang: Option<&str>) -> Option<&str> {
        let translated = lang.and_then(|want| {
            let want = want.trim();
            let primary = |tag: &str| {
                tag.split(['-', '_'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase()
            };
            self.note_i18n
                .get(want)
                .or_else(|| {
                    self.note_i18n
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(want))
                        .map(|(_, v)| v)
                })
                .or_else(|| {
                    self.note_i18n
                        .iter()
                        .find(|(k, _)| primary(k) == primary(want))
                        .map(|(_, v)| v)
                })
        });
        translated
            .or(self.note.as_ref())
            .map(String::as_str)
            .filter(|n| !n.trim().is_empty())
    }

    /// Languages with a translated guide.
    pub fn note_languages(&self) -> impl Iterator<Item = &str> {
        self.note_i18n.keys().map(String::as_str)
    }

    /// The investigation guide as a checklist; see [`crate::checklist::build`].
    #[cfg(feature = "guide")]
    pub fn checklist(
        &self,
        lang: Option<&str>,
    ) -> Result<crate::checklist::Checklist, crate::checklist::ChecklistError> {
        crate::checklist::build(self, lang)
    }

    /// MITRE technique ids (with subtechniques), for display and search.
    pub fn technique_ids(&self) -> Vec<&str> {
        let mut ids = Vec::new();
        for t in &self.threat {
            for tech in &t.technique {
                ids.push(tech.id.as_str());
                ids.extend(tech.subtechnique.iter().map(|s| s.id.as_str()));
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> Rule {
        serde_json::from_str::<Rule>(json).unwrap().finish()
    }

    #[test]
    fn defaults_and_extra() {
        let r = rule(r#"{"name":"n","query":"any where true","custom":{"a":1}}"#);
        assert_eq!(r.max_signals, 100);
        assert_eq!(r.extra["custom"]["a"], 1);
        assert!(r.is_eql());
        let out = serde_json::to_value(&r).unwrap();
        assert_eq!(out["custom"]["a"], 1);
        assert!(out.get("max_signals").is_none());
    }

    #[test]
    fn round_trips_through_json() {
        let r = rule(
            r#"{"name":"n","query":"q","type":"eql","from":"now-9m","interval":"5m","max_signals":7,
                "threat":[{"framework":"MITRE ATT&CK","tactic":{"id":"TA0002","name":"Execution","reference":"r"},
                "technique":[{"id":"T1059","name":"x","reference":"r","subtechnique":[{"id":"T1059.005","name":"y","reference":"r"}]}]}]}"#,
        );
        assert_eq!(r.schedule.as_ref().unwrap().additional_lookback, "4m");
        assert_eq!(r.technique_ids(), ["T1059", "T1059.005"]);
        let again = rule(&serde_json::to_string(&r).unwrap());
        assert_eq!(again, r);
    }

    #[test]
    fn note_language_fallbacks() {
        let mut r = rule(r#"{"name":"n","query":"q","note":"en"}"#);
        r.note_i18n.insert("zh-CN".into(), "zh".into());
        assert_eq!(r.note_for(None), Some("en"));
        assert_eq!(r.note_for(Some("en")), Some("en"));
        assert_eq!(r.note_for(Some("zh-CN")), Some("zh"));
        assert_eq!(r.note_for(Some("zh-cn")), Some("zh"));
        assert_eq!(r.note_for(Some("zh")), Some("zh"));
        assert_eq!(r.note_for(Some("fr")), Some("en"));
        assert_eq!(r.note_languages().collect::<Vec<_>>(), ["zh-CN"]);
    }

    #[test]
    fn non_eql_types() {
        assert!(!rule(r#"{"name":"n","query":"q","type":"query"}"#).is_eql());
        assert!(!rule(r#"{"name":"n","query":"q","language":"kuery"}"#).is_eql());
    }
}
