//! Lexer: query text to tokens. Never panics; bad characters become errors and are skipped,
//! so the parser still sees the rest of the query.

use super::error::QueryError;
use super::span::Span;
use super::token::{Keyword, Op, Token, TokenKind};

/// Splits `source` into tokens (ending with `Eof`) and lexical errors.
pub fn tokenize(source: &str) -> (Vec<Token>, Vec<QueryError>) {
    let mut lexer = Lexer { src: source, bytes: source.as_bytes(), pos: 0, tokens: Vec::new(), errors: Vec::new() };
    lexer.run();
    (lexer.tokens, lexer.errors)
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<QueryError>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'@'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn run(&mut self) {
        loop {
            let spaced = self.skip_trivia();
            let start = self.pos;
            if self.pos >= self.bytes.len() {
                self.push(TokenKind::Eof, start, spaced);
                return;
            }
            if let Some(kind) = self.next_kind(start) {
                self.push(kind, start, spaced);
            }
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, spaced: bool) {
        self.tokens.push(Token { kind, span: Span::new(start, self.pos), spaced });
    }

    fn error(&mut self, message: impl Into<String>, start: usize) {
        self.errors.push(QueryError::new(message, Span::new(start, self.pos.max(start + 1).min(self.src.len().max(start)))));
    }

    /// Skips white space and comments; tells whether anything was skipped.
    fn skip_trivia(&mut self) -> bool {
        let begin = self.pos;
        loop {
            match (self.peek(0), self.peek(1)) {
                (b' ' | b'\t' | b'\r' | b'\n', _) => self.pos += 1,
                (b'/', b'/') => {
                    while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                (b'/', b'*') => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += 2 + i + 2,
                        None => {
                            self.pos = self.bytes.len();
                            self.error("unterminated comment", start);
                        }
                    }
                }
                _ => return self.pos > begin,
            }
        }
    }

    fn next_kind(&mut self, start: usize) -> Option<TokenKind> {
        let b = self.peek(0);
        if is_ident_start(b) {
            return Some(self.word());
        }
        if b.is_ascii_digit() || (b == b'.' && self.peek(1).is_ascii_digit() && !self.follows_name()) {
            return Some(self.number(start));
        }
        let (op, len) = match (b, self.peek(1)) {
            (b'=', b'=') => (Op::Eq, 2),
            (b'!', b'=') => (Op::Neq, 2),
            (b'!', b'[') => (Op::MissingOpen, 2),
            (b'<', b'=') => (Op::Lte, 2),
            (b'>', b'=') => (Op::Gte, 2),
            (b'<', _) => (Op::Lt, 1),
            (b'>', _) => (Op::Gt, 1),
            (b'=', _) => (Op::Assign, 1),
            (b':', _) => (Op::Colon, 1),
            (b'+', _) => (Op::Plus, 1),
            (b'-', _) => (Op::Minus, 1),
            (b'*', _) => (Op::Star, 1),
            (b'/', _) => (Op::Slash, 1),
            (b'%', _) => (Op::Percent, 1),
            (b'.', _) => (Op::Dot, 1),
            (b',', _) => (Op::Comma, 1),
            (b'|', _) => (Op::Pipe, 1),
            (b'(', _) => (Op::LParen, 1),
            (b')', _) => (Op::RParen, 1),
            (b'[', _) => (Op::LBracket, 1),
            (b']', _) => (Op::RBracket, 1),
            (b'?', _) => (Op::Question, 1),
            (b'"', _) => return self.double_quoted(start),
            (b'\'', _) => return self.single_quoted(start),
            (b'`', _) => return self.backquoted(start),
            _ => {
                let ch = self.src[self.pos..].chars().next().unwrap_or('\u{fffd}');
                self.pos += ch.len_utf8();
                self.error(format!("unexpected character '{ch}'"), start);
                return None;
            }
        };
        self.pos += len;
        Some(TokenKind::Op(op))
    }

    /// A `.` directly after a name is a field separator, not the start of a number.
    fn follows_name(&self) -> bool {
        matches!(self.tokens.last(), Some(t) if t.span.end == self.pos
            && matches!(t.kind, TokenKind::Ident { .. } | TokenKind::QuotedIdent(_) | TokenKind::Keyword(_)))
    }

    fn word(&mut self) -> TokenKind {
        let start = self.pos;
        self.pos += 1;
        while is_ident_continue(self.peek(0)) {
            self.pos += 1;
        }
        let name = &self.src[start..self.pos];
        let tilde = self.peek(0) == b'~';
        if tilde {
            self.pos += 1;
        }
        match Keyword::from_word(name, tilde) {
            Some(k) => TokenKind::Keyword(k),
            None if tilde && Keyword::from_word(name, false).is_some() => {
                // `and~` and friends: the keyword, then a stray `~`.
                self.pos -= 1;
                TokenKind::Keyword(Keyword::from_word(name, false).unwrap_or(Keyword::And))
            }
            None => TokenKind::Ident { name: name.to_string(), tilde },
        }
    }

    fn number(&mut self, start: usize) -> TokenKind {
        let mut is_float = false;
        while self.peek(0).is_ascii_digit() {
            self.pos += 1;
        }
        if self.peek(0) == b'.' && !is_ident_start(self.peek(1)) {
            is_float = true;
            self.pos += 1;
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        if matches!(self.peek(0), b'e' | b'E') {
            let sign = usize::from(matches!(self.peek(1), b'+' | b'-'));
            if self.peek(1 + sign).is_ascii_digit() {
                is_float = true;
                self.pos += 1 + sign;
                while self.peek(0).is_ascii_digit() {
                    self.pos += 1;
                }
            }
        }
        let text = &self.src[start..self.pos];
        if !is_float {
            if let Ok(i) = text.parse::<i64>() {
                return TokenKind::Int(i);
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => TokenKind::Float(f),
            _ => {
                self.error(format!("number [{text}] is out of range"), start);
                TokenKind::Float(0.0)
            }
        }
    }

    fn double_quoted(&mut self, start: usize) -> Option<TokenKind> {
        if self.src[self.pos..].starts_with("\"\"\"") {
            return self.raw_string(start);
        }
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(ch) = self.src[self.pos..].chars().next() else {
                self.error("unterminated string: missing closing \"", start);
                return Some(TokenKind::Str(value));
            };
            match ch {
                '"' => {
                    self.pos += 1;
                    return Some(TokenKind::Str(value));
                }
                '\n' | '\r' => {
                    self.error("unterminated string: a string cannot span lines", start);
                    return Some(TokenKind::Str(value));
                }
                '\\' => self.escape(&mut value),
                _ => {
                    self.pos += ch.len_utf8();
                    value.push(ch);
                }
            }
        }
    }

    /// Resolves one escape sequence; unknown escapes keep both characters, as Elasticsearch does.
    fn escape(&mut self, out: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let Some(ch) = self.src[self.pos..].chars().next() else {
            out.push('\\');
            return;
        };
        self.pos += ch.len_utf8();
        match ch {
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            '"' | '\'' | '\\' => out.push(ch),
            'u' if self.peek(0) == b'{' => {
                let Some(close) = self.src[self.pos..].find('}') else {
                    self.error("invalid unicode escape: missing '}'", start);
                    return;
                };
                let hex = &self.src[self.pos + 1..self.pos + close];
                self.pos += close + 1;
                let code = if (2..=8).contains(&hex.len()) { u32::from_str_radix(hex, 16).ok() } else { None };
                match code.and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => self.error(format!("invalid unicode character code [{hex}]"), start),
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }

    fn raw_string(&mut self, start: usize) -> Option<TokenKind> {
        self.pos += 3;
        let rest = &self.src[self.pos..];
        let Some(end) = rest.find("\"\"\"") else {
            self.pos = self.bytes.len();
            self.error("unterminated raw string: missing closing \"\"\"", start);
            return Some(TokenKind::Str(rest.to_string()));
        };
        let mut value = rest[..end].to_string();
        self.pos += end + 3;
        // `""""a""""`: quotes right before the closing delimiter belong to the value.
        for _ in 0..2 {
            if self.peek(0) == b'"' {
                value.push('"');
                self.pos += 1;
            }
        }
        if value.contains(['\n', '\r']) {
            self.error("a raw string cannot span lines", start);
        }
        Some(TokenKind::Str(value))
    }

    fn single_quoted(&mut self, _start: usize) -> Option<TokenKind> {
        self.pos += 1;
        while self.pos < self.bytes.len() && !matches!(self.bytes[self.pos], b'\'' | b'\n') {
            self.pos += if self.bytes[self.pos] == b'\\' { 2 } else { 1 };
        }
        self.pos = (self.pos + 1).min(self.bytes.len());
        while !self.src.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        Some(TokenKind::SingleQuoted)
    }

    fn backquoted(&mut self, start: usize) -> Option<TokenKind> {
        self.pos += 1;
        let mut name = String::new();
        loop {
            let Some(ch) = self.src[self.pos..].chars().next() else {
                self.error("unterminated quoted identifier: missing closing `", start);
                return Some(TokenKind::QuotedIdent(name));
            };
            self.pos += ch.len_utf8();
            if ch == '`' {
                if self.peek(0) == b'`' {
                    self.pos += 1;
                    name.push('`');
                } else {
                    return Some(TokenKind::QuotedIdent(name));
                }
            } else {
                name.push(ch);
            }
        }
    }
}
