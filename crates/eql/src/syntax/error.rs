//! Query errors: a message, a span, and a rendering with a caret under the span.

use super::span::{floor_char_boundary, line_col, LineCol, Span};
use std::fmt::Write;

/// An error in a query: syntax, or a rule Elasticsearch enforces when it verifies a query.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QueryError {
    pub message: String,
    pub span: Span,
}

impl QueryError {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        QueryError { message: message.into(), span }
    }

    pub fn position(&self, source: &str) -> LineCol {
        line_col(source, self.span.start)
    }

    /// `line:column: message`, then the offending line with carets under the span.
    pub fn render(&self, source: &str) -> String {
        let pos = self.position(source);
        let start = floor_char_boundary(source, self.span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line_text = &source[line_start..line_end];
        let end = floor_char_boundary(source, self.span.end.clamp(start, line_end));
        let pad = source[line_start..start].chars().count();
        let width = source[start..end].chars().count().max(1);
        let gutter = pos.line.to_string();
        let mut out = String::new();
        let _ = writeln!(out, "{pos}: {}", self.message);
        let _ = writeln!(out, "{} |", " ".repeat(gutter.len()));
        let _ = writeln!(out, "{gutter} | {}", line_text.replace('\t', " "));
        let _ = write!(out, "{} | {}{}", " ".repeat(gutter.len()), " ".repeat(pad), "^".repeat(width));
        out
    }
}

/// Several errors rendered one after another.
pub fn render_all(errors: &[QueryError], source: &str) -> String {
    errors.iter().map(|e| e.render(source)).collect::<Vec<_>>().join("\n")
}
