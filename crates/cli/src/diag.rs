//! Query errors as the CLI prints them.

use eql::QueryError;

/// Every error rendered with its caret excerpt, each prefixed by `label`:
///
/// ```text
/// --query: 1:9: expected ...
///   |
/// 1 | process wher true
///   |         ^^^^
/// ```
pub fn render(label: &str, errors: &[QueryError], source: &str) -> String {
    errors
        .iter()
        .map(|e| format!("{label}: {}", e.render(source)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every error as `line:column: message`, on one line.
pub fn one_line(errors: &[QueryError], source: &str) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.position(source), e.message.replace('\n', " ")))
        .collect::<Vec<_>>()
        .join("; ")
}
