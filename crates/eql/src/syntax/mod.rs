//! Text to syntax tree: lexer → parser → verifier, plus a printer for the reverse direction.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod parser;
mod print;
pub mod span;
pub mod token;
pub mod validate;

pub use error::QueryError;
pub use parser::{parse, parse_expression};
pub use span::{line_col, LineCol, Span};
