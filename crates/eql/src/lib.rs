//! Elasticsearch EQL, in memory: parse a query, compile it against an optional index mapping,
//! read events (only the fields the query uses), and run event queries, sequences and samples
//! with Elasticsearch's semantics.
//!
//! Data flows one way: [`syntax`] (text → tree) → [`plan`] (tree → compiled filters) →
//! [`data`] (JSON → event store) → [`eval`] (one event) → [`engine`] (all events → results)
//! → [`output`] (results → JSON lines, written to any `io::Write` the caller gives).
//! The crate does no I/O and has no browser code, so it runs natively and in WebAssembly.

pub mod compare;
pub mod data;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod output;
pub mod plan;
pub mod syntax;

pub use data::{Dataset, InputError, InputFormat, Mapping, Reader, Value};
pub use engine::{run, Match, MatchKind, Results, Slot};
pub use plan::{compile, compile_sharing, compile_text, Plan, ResultPosition, Settings};
pub use syntax::{parse, QueryError};

/// Parses, compiles, reads and runs in one call: the simple path for tests and small inputs.
pub fn search(query: &str, inputs: &[&str], settings: &Settings) -> Result<(Dataset, Results), Vec<QueryError>> {
    let plan = compile_text(query, settings)?;
    let mut reader = Reader::new(plan.fields.clone());
    for (i, text) in inputs.iter().enumerate() {
        reader.add(i as u32, text, None);
    }
    let data = reader.finish();
    let results = run(&plan, &data)?;
    Ok((data, results))
}
