//! How a [`RuleBundle`](crate::RuleBundle) travels from the rule reader (or the build) to the
//! page: postcard, a compact encoding without field names. The model's own serde shape is the
//! file and CLI format — lenient readers, flattened unknown fields, omitted defaults — which
//! only a self-describing format can carry, at several times the page's code size. This one is
//! read by a build of this same crate, so it needs none of that.
//!
//! Each `…Wire` mirrors a model type field for field (serde's remote derive checks that it
//! does); unknown fields travel as JSON text, so nothing is lost on the way.

use crate::checklist::{Checklist, Section, Step};
use crate::model::{InvestigateBlock, Metadata, OsqueryBlock, Rule, Subtechnique, Tactic, Technique, Threat, Transform};
use crate::schedule::Schedule;
use crate::RuleBundle;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::json::JsonString;
use serde_with::{serde_as, DeserializeAs, Same, SerializeAs};
use std::collections::BTreeMap;

/// Lets a `…Wire` stand for its model type inside containers (`Vec<ThreatWire>`).
macro_rules! wire_as {
    ($($wire:ident => $model:ty),* $(,)?) => {$(
        impl SerializeAs<$model> for $wire {
            fn serialize_as<S: Serializer>(value: &$model, serializer: S) -> Result<S::Ok, S::Error> {
                $wire::serialize(value, serializer)
            }
        }
        impl<'de> DeserializeAs<'de, $model> for $wire {
            fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<$model, D::Error> {
                $wire::deserialize(deserializer)
            }
        }
    )*};
}

wire_as! {
    RuleWire => Rule, ThreatWire => Threat, TacticWire => Tactic, TechniqueWire => Technique,
    SubtechniqueWire => Subtechnique, MetadataWire => Metadata, TransformWire => Transform,
    OsqueryWire => OsqueryBlock, InvestigateWire => InvestigateBlock, ChecklistWire => Checklist,
    SectionWire => Section, StepWire => Step, BundleWire => RuleBundle,
}

/// The rule reader's answer: a bundle, or why there is none.
#[serde_as]
#[derive(Serialize, Deserialize)]
struct Answer(#[serde_as(as = "Result<BundleWire, Same>")] Result<RuleBundle, String>);

#[cfg(all(feature = "read", feature = "guide"))]
pub(crate) fn encode(answer: Result<RuleBundle, String>) -> Vec<u8> {
    postcard::to_allocvec(&Answer(answer)).unwrap_or_else(|e| encode(Err(e.to_string())))
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Result<RuleBundle, String>, String> {
    postcard::from_bytes::<Answer>(bytes).map(|a| a.0).map_err(|e| e.to_string())
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "RuleBundle")]
struct BundleWire {
    #[serde_as(as = "RuleWire")]
    rule: Rule,
    #[serde_as(as = "Vec<(Same, Result<ChecklistWire, Same>)>")]
    checklists: Vec<(String, Result<Checklist, String>)>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Rule")]
struct RuleWire {
    name: String,
    query: String,
    rule_id: Option<String>,
    description: String,
    rule_type: Option<String>,
    language: Option<String>,
    index: Vec<String>,
    severity: Option<String>,
    risk_score: Option<u32>,
    tags: Vec<String>,
    from: Option<String>,
    interval: Option<String>,
    max_signals: u32,
    timestamp_override: Option<String>,
    tiebreaker_field: Option<String>,
    event_category_override: Option<String>,
    references: Vec<String>,
    false_positives: Vec<String>,
    #[serde_as(as = "Vec<ThreatWire>")]
    threat: Vec<Threat>,
    note: Option<String>,
    note_i18n: BTreeMap<String, String>,
    setup: Option<String>,
    author: Vec<String>,
    license: Option<String>,
    version: Option<u32>,
    #[serde_as(as = "Option<MetadataWire>")]
    metadata: Option<Metadata>,
    #[serde_as(as = "TransformWire")]
    transform: Transform,
    schedule: Option<Schedule>,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Threat")]
struct ThreatWire {
    framework: String,
    #[serde_as(as = "TacticWire")]
    tactic: Tactic,
    #[serde_as(as = "Vec<TechniqueWire>")]
    technique: Vec<Technique>,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Tactic")]
struct TacticWire {
    id: String,
    name: String,
    reference: String,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Technique")]
struct TechniqueWire {
    id: String,
    name: String,
    reference: String,
    #[serde_as(as = "Vec<SubtechniqueWire>")]
    subtechnique: Vec<Subtechnique>,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Subtechnique")]
struct SubtechniqueWire {
    id: String,
    name: String,
    reference: String,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Metadata")]
struct MetadataWire {
    creation_date: Option<String>,
    updated_date: Option<String>,
    maturity: Option<String>,
    integration: Vec<String>,
    min_stack_version: Option<String>,
    deprecation_date: Option<String>,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Transform")]
struct TransformWire {
    #[serde_as(as = "Vec<OsqueryWire>")]
    osquery: Vec<OsqueryBlock>,
    #[serde_as(as = "Vec<InvestigateWire>")]
    investigate: Vec<InvestigateBlock>,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "OsqueryBlock")]
struct OsqueryWire {
    label: String,
    query: String,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "InvestigateBlock")]
struct InvestigateWire {
    label: String,
    description: String,
    #[serde_as(as = "JsonString")]
    extra: Map<String, Value>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Checklist")]
struct ChecklistWire {
    #[serde_as(as = "Vec<SectionWire>")]
    sections: Vec<Section>,
    warnings: Vec<String>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Section")]
struct SectionWire {
    title: String,
    level: u8,
    intro: Option<String>,
    #[serde_as(as = "Vec<StepWire>")]
    steps: Vec<Step>,
}

#[serde_as]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Step")]
struct StepWire {
    text: String,
    #[serde_as(as = "Vec<StepWire>")]
    steps: Vec<Step>,
    #[serde_as(as = "Vec<OsqueryWire>")]
    osquery: Vec<OsqueryBlock>,
    #[serde_as(as = "Vec<InvestigateWire>")]
    investigate: Vec<InvestigateBlock>,
}
