//! Events: values, the index mapping, the field table, reading JSON, and the event store.

pub mod dataset;
pub mod fields;
pub mod mapping;
mod parallel;
pub mod reader;
mod scan;
pub mod timestamp;
mod trie;
pub mod value;

pub use dataset::{Dataset, InputError, Origin, RowIndex};
pub use fields::{FieldId, FieldInfo, FieldTable};
pub use mapping::{FieldType, Mapping};
pub use reader::{detect_format, InputFormat, Reader};
pub use value::{Val, Value};
