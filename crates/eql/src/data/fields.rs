//! The table of fields a query reads. Events store values only for these, by [`FieldId`].

use super::mapping::{FieldType, Mapping};
use super::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u32);

impl FieldId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldInfo {
    /// The path in the event, after following mapping aliases.
    pub path: String,
    pub ty: FieldType,
    pub null_value: Option<Value>,
    /// Whether the mapping names the field (data can make it mapped too; see `Dataset::seen`).
    pub in_mapping: bool,
}

#[derive(Clone, Debug, Default)]
pub struct FieldTable {
    /// Shared between clones until one adds a field: the plans of a rule pack each hold the
    /// pack's table.
    fields: std::sync::Arc<Vec<FieldInfo>>,
}

impl FieldTable {
    /// The id of `path` (resolved through `mapping`'s aliases), added if new.
    pub fn intern(&mut self, path: &str, mapping: Option<&Mapping>) -> FieldId {
        let resolved = mapping.map_or(path, |m| m.resolve(path));
        if let Some(i) = self.fields.iter().position(|f| f.path == resolved) {
            return FieldId(i as u32);
        }
        let fm = mapping.and_then(|m| m.get(resolved));
        std::sync::Arc::make_mut(&mut self.fields).push(FieldInfo {
            path: resolved.to_string(),
            ty: fm.map_or(FieldType::Dynamic, |f| f.ty.clone()),
            null_value: fm.and_then(|f| f.null_value.clone()),
            in_mapping: fm.is_some(),
        });
        FieldId((self.fields.len() - 1) as u32)
    }

    pub fn get(&self, id: FieldId) -> &FieldInfo {
        &self.fields[id.index()]
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FieldId, &FieldInfo)> {
        self.fields.iter().enumerate().map(|(i, f)| (FieldId(i as u32), f))
    }

    /// The id of an already interned path.
    pub fn find(&self, path: &str) -> Option<FieldId> {
        self.fields.iter().position(|f| f.path == path).map(|i| FieldId(i as u32))
    }
}
