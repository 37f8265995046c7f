//! Tokens produced by the lexer.

use super::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// A bare identifier (`process`, `@timestamp`, `endsWith`); `tilde` when `~` follows directly.
    Ident { name: String, tilde: bool },
    /// A backquoted identifier: `` `my-field` ``.
    QuotedIdent(String),
    /// A double-quoted or triple-quoted string, escapes already resolved.
    Str(String),
    /// A single-quoted string: lexed only to give a helpful error.
    SingleQuoted,
    Int(i64),
    /// A decimal, an exponent, or an integer too large for i64.
    Float(f64),
    Keyword(Keyword),
    Op(Op),
    Eof,
}

/// Reserved words. They are lowercase only, as in Elasticsearch's grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    And,
    Any,
    By,
    False,
    In,
    InInsensitive,
    Join,
    Like,
    LikeInsensitive,
    Not,
    Null,
    Of,
    Or,
    Regex,
    RegexInsensitive,
    Sample,
    Sequence,
    True,
    Until,
    Where,
    With,
}

impl Keyword {
    pub fn from_word(word: &str, tilde: bool) -> Option<Keyword> {
        use Keyword::*;
        Some(match (word, tilde) {
            ("and", false) => And,
            ("any", false) => Any,
            ("by", false) => By,
            ("false", false) => False,
            ("in", false) => In,
            ("in", true) => InInsensitive,
            ("join", false) => Join,
            ("like", false) => Like,
            ("like", true) => LikeInsensitive,
            ("not", false) => Not,
            ("null", false) => Null,
            ("of", false) => Of,
            ("or", false) => Or,
            ("regex", false) => Regex,
            ("regex", true) => RegexInsensitive,
            ("sample", false) => Sample,
            ("sequence", false) => Sequence,
            ("true", false) => True,
            ("until", false) => Until,
            ("where", false) => Where,
            ("with", false) => With,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        use Keyword::*;
        match self {
            And => "and",
            Any => "any",
            By => "by",
            False => "false",
            In => "in",
            InInsensitive => "in~",
            Join => "join",
            Like => "like",
            LikeInsensitive => "like~",
            Not => "not",
            Null => "null",
            Of => "of",
            Or => "or",
            Regex => "regex",
            RegexInsensitive => "regex~",
            Sample => "sample",
            Sequence => "sequence",
            True => "true",
            Until => "until",
            Where => "where",
            With => "with",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    Assign,
    Colon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Dot,
    Comma,
    Pipe,
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// `![` opens a missing-event term.
    MissingOpen,
    Question,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        use Op::*;
        match self {
            Eq => "==",
            Neq => "!=",
            Lt => "<",
            Lte => "<=",
            Gt => ">",
            Gte => ">=",
            Assign => "=",
            Colon => ":",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Dot => ".",
            Comma => ",",
            Pipe => "|",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            MissingOpen => "![",
            Question => "?",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// Whether white space or a comment came directly before this token.
    pub spaced: bool,
}

impl TokenKind {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Ident { name, tilde } => format!("'{name}{}'", if *tilde { "~" } else { "" }),
            TokenKind::QuotedIdent(name) => format!("'`{name}`'"),
            TokenKind::Str(s) => format!("string \"{s}\""),
            TokenKind::SingleQuoted => "a single-quoted string".into(),
            TokenKind::Int(i) => format!("'{i}'"),
            TokenKind::Float(f) => format!("'{f}'"),
            TokenKind::Keyword(k) => format!("'{}'", k.as_str()),
            TokenKind::Op(op) => format!("'{}'", op.as_str()),
            TokenKind::Eof => "end of query".into(),
        }
    }
}
