//! Errors from loading rules. Positions are 1-based and point into the text
//! the user gave us, so the UI can highlight the offending line.

use serde::Serialize;
use std::fmt;

/// What went wrong while loading a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleErrorKind {
    /// Nothing but whitespace.
    Empty,
    /// The TOML or JSON itself is malformed.
    Syntax,
    /// Well-formed, but not a rule (e.g. no `[rule]` table, no `query`).
    NotARule,
    /// A rule, but a field has the wrong shape (e.g. `tags = 3`).
    Invalid,
}

/// A load error with an optional position in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleError {
    pub kind: RuleErrorKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl RuleError {
    pub fn new(kind: RuleErrorKind, message: impl Into<String>) -> Self {
        RuleError {
            kind,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position only if the error does not already carry one
    /// (an inner position is more precise than the enclosing object's).
    #[cfg(feature = "read")]
    pub(crate) fn or_at(self, line: usize, column: usize) -> Self {
        if self.line.is_some() {
            self
        } else {
            self.at(line, column)
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RuleError {}

/// 1-based (line, column) of a byte offset; column counts characters.
#[cfg(feature = "read")]
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn display_includes_position() {
        let e = RuleError::new(RuleErrorKind::Syntax, "bad").at(3, 7);
        assert_eq!(e.to_string(), "line 3, column 7: bad");
    }
}
