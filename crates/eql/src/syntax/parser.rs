//! Recursive-descent parser: tokens to [`Query`]. Nesting depth is bounded, so hostile input
//! gets an error rather than a stack overflow. A broken sequence term is skipped up to its
//! closing bracket, so one pass reports the errors of several terms.

use super::ast::*;
use super::error::QueryError;
use super::lexer::tokenize;
use super::span::Span;
use super::token::{Keyword, Op, Token, TokenKind};

/// How deeply expressions may nest before the parser refuses the query.
pub const MAX_DEPTH: usize = 100;

/// Parses a whole query. On failure, every error found (at least one), in source order.
pub fn parse(source: &str) -> Result<Query, Vec<QueryError>> {
    let (tokens, mut errors) = tokenize(source);
    let mut parser = Parser { tokens, pos: 0, depth: 0, errors: Vec::new() };
    let query = parser.query();
    errors.append(&mut parser.errors);
    match query {
        Ok(q) if errors.is_empty() => {
            let mut errs = super::validate::validate(&q);
            if errs.is_empty() {
                Ok(q)
            } else {
                errs.sort_by_key(|e| e.span.start);
                Err(errs)
            }
        }
        Ok(_) => Err(sorted(errors)),
        Err(e) => {
            errors.push(e);
            Err(sorted(errors))
        }
    }
}

/// Parses a lone expression (used by tests and the explain view).
pub fn parse_expression(source: &str) -> Result<Expr, Vec<QueryError>> {
    let (tokens, mut errors) = tokenize(source);
    let mut parser = Parser { tokens, pos: 0, depth: 0, errors: Vec::new() };
    let result = parser.expression().and_then(|e| parser.expect_eof().map(|_| e));
    errors.append(&mut parser.errors);
    match result {
        Ok(e) if errors.is_empty() => Ok(e),
        Ok(_) => Err(sorted(errors)),
        Err(e) => {
            errors.push(e);
            Err(sorted(errors))
        }
    }
}

fn sorted(mut errors: Vec<QueryError>) -> Vec<QueryError> {
    errors.sort_by_key(|e| e.span.start);
    errors.dedup();
    errors
}

type PResult<T> = Result<T, QueryError>;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    errors: Vec<QueryError>,
}

impl Parser {
    fn tok(&self) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[self.pos.min(last)]
    }

    fn kind(&self) -> &TokenKind {
        &self.tok().kind
    }

    fn peek_kind(&self, ahead: usize) -> &TokenKind {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + ahead).min(last)].kind
    }

    fn span(&self) -> Span {
        self.tok().span
    }

    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.tokens[(self.pos - 1).min(self.tokens.len() - 1)].span.end
        }
    }

    fn bump(&mut self) -> Token {
        let t = self.tok().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn at_op(&self, op: Op) -> bool {
        matches!(self.kind(), TokenKind::Op(o) if *o == op)
    }

    fn at_kw(&self, kw: Keyword) -> bool {
        matches!(self.kind(), TokenKind::Keyword(k) if *k == kw)
    }

    fn eat_op(&mut self, op: Op) -> bool {
        let hit = self.at_op(op);
        if hit {
            self.bump();
        }
        hit
    }

    fn eat_kw(&mut self, kw: Keyword) -> bool {
        let hit = self.at_kw(kw);
        if hit {
            self.bump();
        }
        hit
    }

    fn unexpected(&self, wanted: &str) -> QueryError {
        let t = self.tok();
        if t.kind == TokenKind::SingleQuoted {
            return single_quote_error(t.span);
        }
        QueryError::new(format!("expected {wanted}, found {}", t.kind.describe()), t.span)
    }

    fn expect_op(&mut self, op: Op) -> PResult<Span> {
        if self.at_op(op) {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(&format!("'{}'", op.as_str())))
        }
    }

    fn expect_kw(&mut self, kw: Keyword) -> PResult<Span> {
        if self.at_kw(kw) {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(&format!("'{}'", kw.as_str())))
        }
    }

    fn expect_eof(&mut self) -> PResult<()> {
        if matches!(self.kind(), TokenKind::Eof) {
            Ok(())
        } else {
            Err(self.unexpected("end of query"))
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::new(
                format!("query nests too deeply (more than {MAX_DEPTH} levels)"),
                self.span(),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- queries -------------------------------------------------------------------------

    fn query(&mut self) -> PResult<Query> {
        let start = self.span().start;
        let body = match self.kind() {
            TokenKind::Keyword(Keyword::Sequence) => QueryBody::Sequence(self.sequence()?),
            TokenKind::Keyword(Keyword::Sample) => QueryBody::Sample(self.sample()?),
            TokenKind::Keyword(Keyword::Join) => {
                return Err(QueryError::new("Join is not supported", self.span()));
            }
            _ => QueryBody::Event(self.event_query()?),
        };
        let mut pipes = Vec::new();
        while self.at_op(Op::Pipe) {
            pipes.push(self.pipe()?);
        }
        self.expect_eof()?;
        Ok(Query { body, pipes, span: Span::new(start, self.prev_end()) })
    }

    fn event_query(&mut self) -> PResult<EventQuery> {
        let start = self.span();
        let category = match self.bump() {
            Token { kind: TokenKind::Keyword(Keyword::Any), span, .. } => Category::Any(span),
            Token { kind: TokenKind::Ident { name, tilde: false }, span, .. } => Category::Named(name, span),
            Token { kind: TokenKind::Str(name), span, .. } => Category::Named(name, span),
            Token { kind: TokenKind::QuotedIdent(name), span, .. } => Category::Named(name, span),
            other => {
                self.pos -= usize::from(self.pos > 0 && other.kind != TokenKind::Eof);
                return Err(self.unexpected("an event category (a name, a quoted string or 'any')"));
            }
        };
        self.expect_kw(Keyword::Where)?;
        let condition = self.expression()?;
        Ok(EventQuery { category, condition, span: start.to(Span::new(start.start, self.prev_end())) })
    }

    fn sequence(&mut self) -> PResult<Sequence> {
        let start = self.bump().span;
        let mut by = Vec::new();
        let mut maxspan = None;
        if self.eat_kw(Keyword::By) {
            by = self.join_keys()?;
        }
        if self.at_kw(Keyword::With) {
            let with = self.bump().span;
            let name = self.parameter_name()?;
            if name.0 != "maxspan" {
                return Err(QueryError::new(
                    format!("Unrecognized parameter [{}], expected [maxspan]", name.0),
                    name.1,
                ));
            }
            self.expect_op(Op::Assign)?;
            maxspan = Some(self.time_span()?);
            if self.at_kw(Keyword::By) {
                return Err(QueryError::new(
                    "Please specify sequence [by] before [with] not after",
                    with.to(self.span()),
                ));
            }
        }
        let (terms, until) = self.terms(true)?;
        Ok(Sequence { by, maxspan, terms, until, span: start.to(Span::new(start.start, self.prev_end())) })
    }

    fn sample(&mut self) -> PResult<Sample> {
        let start = self.bump().span;
        let mut by = Vec::new();
        if self.eat_kw(Keyword::By) {
            by = self.join_keys()?;
        }
        if self.at_kw(Keyword::With) {
            return Err(QueryError::new("sample does not support [with]: no maxspan, no runs", self.span()));
        }
        let (terms, until) = self.terms(false)?;
        if let Some(until) = until {
            return Err(QueryError::new("sample does not support [until]", until.span));
        }
        Ok(Sample { by, terms, span: start.to(Span::new(start.start, self.prev_end())) })
    }

    /// The bracketed terms of a sequence or sample, and an `until` term.
    fn terms(&mut self, in_sequence: bool) -> PResult<(Vec<Term>, Option<Term>)> {
        let mut terms = Vec::new();
        let mut until = None;
        loop {
            if self.at_op(Op::LBracket) || self.at_op(Op::MissingOpen) {
                match self.term(in_sequence) {
                    Ok(t) => terms.push(t),
                    Err(e) => {
                        self.errors.push(e);
                        self.skip_past_term();
                    }
                }
            } else if self.at_kw(Keyword::Until) {
                let until_span = self.bump().span;
                if !self.at_op(Op::LBracket) {
                    return Err(self.unexpected("'[' after until"));
                }
                let mut t = self.term(in_sequence)?;
                t.span = until_span.to(t.span);
                until = Some(t);
                break;
            } else {
                break;
            }
        }
        if terms.is_empty() && self.errors.is_empty() {
            return Err(self.unexpected("'[' to start a term"));
        }
        Ok((terms, until))
    }

    /// Recovery: skip to just after the `]` closing the current term.
    fn skip_past_term(&mut self) {
        let mut depth = 0usize;
        loop {
            match self.kind() {
                TokenKind::Eof => return,
                TokenKind::Op(Op::LBracket | Op::MissingOpen) => depth += 1,
                TokenKind::Op(Op::RBracket) => {
                    if depth <= 1 {
                        self.bump();
                        // Whatever trails the term (`by`, `with runs`) up to the next one.
                        while !matches!(
                            self.kind(),
                            TokenKind::Eof
                                | TokenKind::Op(Op::LBracket | Op::MissingOpen | Op::Pipe)
                                | TokenKind::Keyword(Keyword::Until)
                        ) {
                            self.bump();
                        }
                        return;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn term(&mut self, in_sequence: bool) -> PResult<Term> {
        let open = self.bump();
        let missing = open.kind == TokenKind::Op(Op::MissingOpen);
        if missing && !in_sequence {
            return Err(QueryError::new("missing events ![...] are only supported in sequences", open.span));
        }
        let query = self.event_query()?;
        self.expect_op(Op::RBracket)?;
        let mut by = Vec::new();
        let mut runs = None;
        if self.eat_kw(Keyword::By) {
            by = self.join_keys()?;
        }
        if self.at_kw(Keyword::With) {
            let with = self.bump().span;
            let name = self.parameter_name()?;
            if name.0 != "runs" {
                return Err(QueryError::new(format!("Unrecognized parameter [{}], expected [runs]", name.0), name.1));
            }
            self.expect_op(Op::Assign)?;
            let value = self.bump();
            match value.kind {
                TokenKind::Int(n) if (1..=100).contains(&n) && in_sequence => runs = Some(n as u32),
                TokenKind::Int(_) if !in_sequence => {
                    return Err(QueryError::new("[runs] is only supported in sequences", with.to(value.span)))
                }
                _ => {
                    return Err(QueryError::new(
                        "A positive runs value between 1 and 100 is required",
                        value.span,
                    ))
                }
            }
        }
        Ok(Term { query, by, runs, missing, span: open.span.to(Span::new(open.span.start, self.prev_end())) })
    }

    fn parameter_name(&mut self) -> PResult<(String, Span)> {
        match self.bump() {
            Token { kind: TokenKind::Ident { name, tilde: false }, span, .. } => Ok((name, span)),
            _ => {
                self.pos -= 1;
                Err(self.unexpected("a parameter name (maxspan or runs)"))
            }
        }
    }

    fn time_span(&mut self) -> PResult<TimeSpan> {
        let first = self.bump();
        let value = match first.kind {
            TokenKind::Int(n) if n > 0 => n,
            TokenKind::Int(_) => return Err(QueryError::new("maxspan must be a positive number", first.span)),
            TokenKind::Float(_) => {
                return Err(QueryError::new("Decimal time spans are not supported; use a smaller unit", first.span))
            }
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("a time span such as 5m"));
            }
        };
        let unit_name = match self.kind().clone() {
            TokenKind::Ident { name, tilde: false } => name,
            _ => {
                return Err(QueryError::new(
                    format!("No time unit specified, did you mean [s] as in [{value}s]?"),
                    first.span,
                ))
            }
        };
        let unit_span = self.bump().span;
        let unit = match unit_name.as_str() {
            "ms" => TimeUnit::Millis,
            "s" => TimeUnit::Seconds,
            "m" => TimeUnit::Minutes,
            "h" => TimeUnit::Hours,
            "d" => TimeUnit::Days,
            other => {
                return Err(QueryError::new(
                    format!("Unrecognized time unit [{other}] in [{value}{other}], please specify one of [ms, s, m, h, d]"),
                    first.span.to(unit_span),
                ))
            }
        };
        Ok(TimeSpan { value, unit, span: first.span.to(unit_span) })
    }

    fn join_keys(&mut self) -> PResult<Vec<Expr>> {
        let mut keys = vec![self.expression()?];
        while self.eat_op(Op::Comma) {
            keys.push(self.expression()?);
        }
        Ok(keys)
    }

    fn pipe(&mut self) -> PResult<Pipe> {
        let bar = self.bump().span;
        let (name, name_span) = match self.bump() {
            Token { kind: TokenKind::Ident { name, .. }, span, .. } => (name, span),
            Token { kind: TokenKind::Keyword(k), span, .. } => (k.as_str().to_string(), span),
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("a pipe name (head or tail)"));
            }
        };
        let kind = match name.as_str() {
            "head" => PipeKind::Head,
            "tail" => PipeKind::Tail,
            other => return Err(QueryError::new(format!("Pipe [{other}] is not supported"), name_span)),
        };
        let count = match self.kind().clone() {
            TokenKind::Int(n) if n >= 0 => {
                self.bump();
                n as u64
            }
            TokenKind::Eof | TokenKind::Op(Op::Pipe) => 10,
            TokenKind::Op(Op::Minus) => {
                return Err(QueryError::new(format!("[{name}] requires a non-negative integer"), self.span()))
            }
            _ => return Err(self.unexpected(&format!("a non-negative integer after [{name}]"))),
        };
        Ok(Pipe { kind, count, span: bar.to(Span::new(bar.start, self.prev_end())) })
    }

    // ---- expressions ---------------------------------------------------------------------

    fn expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let result = self.or_expr();
        self.leave();
        result
    }

    fn or_expr(&mut self) -> PResult<Expr> {
        let mut left = self.and_expr()?;
        while self.eat_kw(Keyword::Or) {
            let right = self.and_expr()?;
            let span = left.span.to(right.span);
            left = Expr { kind: ExprKind::Or(Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> PResult<Expr> {
        let mut left = self.not_expr()?;
        while self.eat_kw(Keyword::And) {
            let right = self.not_expr()?;
            let span = left.span.to(right.span);
            left = Expr { kind: ExprKind::And(Box::new(left), Box::new(right)), span };
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> PResult<Expr> {
        if self.at_kw(Keyword::Not) {
            let start = self.bump().span;
            self.enter()?;
            let inner = self.not_expr();
            self.leave();
            let inner = inner?;
            let span = start.to(inner.span);
            return Ok(Expr { kind: ExprKind::Not(Box::new(inner)), span });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let left = self.additive()?;
        if self.at_op(Op::Assign) {
            return Err(QueryError::new("'=' is not an EQL operator: compare with '==' (or ':' to ignore case)", self.span()));
        }
        let Some(op) = self.cmp_op() else { return Ok(left) };
        self.bump();
        let right = self.additive()?;
        if self.cmp_op().is_some() {
            return Err(QueryError::new("comparisons cannot be chained; combine them with 'and'", self.span()));
        }
        let span = left.span.to(right.span);
        Ok(Expr { kind: ExprKind::Compare(op, Box::new(left), Box::new(right)), span })
    }

    fn cmp_op(&self) -> Option<CmpOp> {
        Some(match self.kind() {
            TokenKind::Op(Op::Eq) => CmpOp::Eq,
            TokenKind::Op(Op::Neq) => CmpOp::Neq,
            TokenKind::Op(Op::Lt) => CmpOp::Lt,
            TokenKind::Op(Op::Lte) => CmpOp::Lte,
            TokenKind::Op(Op::Gt) => CmpOp::Gt,
            TokenKind::Op(Op::Gte) => CmpOp::Gte,
            _ => return None,
        })
    }

    fn additive(&mut self) -> PResult<Expr> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.kind() {
                TokenKind::Op(Op::Plus) => ArithOp::Add,
                TokenKind::Op(Op::Minus) => ArithOp::Sub,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.multiplicative()?;
            let span = left.span.to(right.span);
            left = Expr { kind: ExprKind::Arith(op, Box::new(left), Box::new(right)), span };
        }
    }

    fn multiplicative(&mut self) -> PResult<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = match self.kind() {
                TokenKind::Op(Op::Star) => ArithOp::Mul,
                TokenKind::Op(Op::Slash) => ArithOp::Div,
                TokenKind::Op(Op::Percent) => ArithOp::Mod,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.unary()?;
            let span = left.span.to(right.span);
            left = Expr { kind: ExprKind::Arith(op, Box::new(left), Box::new(right)), span };
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        let negate = match self.kind() {
            TokenKind::Op(Op::Minus) => true,
            TokenKind::Op(Op::Plus) => false,
            _ => return self.with_predicate(),
        };
        let start = self.bump().span;
        self.enter()?;
        let inner = self.unary();
        self.leave();
        let inner = inner?;
        let span = start.to(inner.span);
        if !negate {
            return Ok(Expr { kind: inner.kind, span });
        }
        // Fold `-<number>` so that negative literals stay literals.
        let kind = match inner.kind {
            ExprKind::Literal(Literal::Int(i)) => ExprKind::Literal(match i.checked_neg() {
                Some(n) => Literal::Int(n),
                None => Literal::Float(-(i as f64)),
            }),
            ExprKind::Literal(Literal::Float(f)) => ExprKind::Literal(Literal::Float(-f)),
            other => ExprKind::Neg(Box::new(Expr { kind: other, span: inner.span })),
        };
        Ok(Expr { kind, span })
    }

    /// A primary expression and an optional predicate suffix (`in`, `:`, `like`, `regex`).
    fn with_predicate(&mut self) -> PResult<Expr> {
        let expr = self.primary()?;
        let negated_in = self.at_kw(Keyword::Not)
            && matches!(self.peek_kind(1), TokenKind::Keyword(Keyword::In | Keyword::InInsensitive));
        if negated_in {
            self.bump();
        }
        let kind = match self.kind() {
            TokenKind::Keyword(Keyword::In) => Some((None, false)),
            TokenKind::Keyword(Keyword::InInsensitive) => Some((None, true)),
            TokenKind::Op(Op::Colon) => Some((Some(MatchOp::Seq), true)),
            TokenKind::Keyword(Keyword::Like) => Some((Some(MatchOp::Like), false)),
            TokenKind::Keyword(Keyword::LikeInsensitive) => Some((Some(MatchOp::Like), true)),
            TokenKind::Keyword(Keyword::Regex) => Some((Some(MatchOp::Regex), false)),
            TokenKind::Keyword(Keyword::RegexInsensitive) => Some((Some(MatchOp::Regex), true)),
            _ => None,
        };
        let Some((op, insensitive)) = kind else { return Ok(expr) };
        self.bump();
        match op {
            None => {
                self.expect_op(Op::LParen)?;
                let mut list = vec![self.expression()?];
                while self.eat_op(Op::Comma) {
                    list.push(self.expression()?);
                }
                let close = self.expect_op(Op::RParen)?;
                let span = expr.span.to(close);
                Ok(Expr { kind: ExprKind::In { expr: Box::new(expr), list, negated: negated_in, insensitive }, span })
            }
            Some(op) => {
                let patterns = if self.eat_op(Op::LParen) {
                    let mut list = vec![self.constant()?];
                    while self.eat_op(Op::Comma) {
                        list.push(self.constant()?);
                    }
                    self.expect_op(Op::RParen)?;
                    list
                } else {
                    vec![self.constant()?]
                };
                let span = expr.span.to(Span::new(expr.span.start, self.prev_end()));
                Ok(Expr { kind: ExprKind::Match { op, insensitive, expr: Box::new(expr), patterns }, span })
            }
        }
    }

    fn constant(&mut self) -> PResult<Expr> {
        let negative = self.at_op(Op::Minus);
        let start = self.span();
        if negative {
            self.bump();
        }
        let t = self.bump();
        let span = start.to(t.span);
        let lit = match t.kind {
            TokenKind::Str(s) if !negative => Literal::Str(s),
            TokenKind::Int(i) => Literal::Int(if negative { -i } else { i }),
            TokenKind::Float(f) => Literal::Float(if negative { -f } else { f }),
            TokenKind::Keyword(Keyword::Null) if !negative => Literal::Null,
            TokenKind::Keyword(Keyword::True) if !negative => Literal::Bool(true),
            TokenKind::Keyword(Keyword::False) if !negative => Literal::Bool(false),
            TokenKind::SingleQuoted => return Err(single_quote_error(t.span)),
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("a constant (string, number, boolean or null)"));
            }
        };
        Ok(Expr { kind: ExprKind::Literal(lit), span })
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.tok().clone();
        let lit = |l| Ok(Expr { kind: ExprKind::Literal(l), span: t.span });
        match &t.kind {
            TokenKind::Str(s) => {
                self.bump();
                lit(Literal::Str(s.clone()))
            }
            TokenKind::Int(i) => {
                self.bump();
                lit(Literal::Int(*i))
            }
            TokenKind::Float(f) => {
                self.bump();
                lit(Literal::Float(*f))
            }
            TokenKind::Keyword(Keyword::Null) => {
                self.bump();
                lit(Literal::Null)
            }
            TokenKind::Keyword(Keyword::True) => {
                self.bump();
                lit(Literal::Bool(true))
            }
            TokenKind::Keyword(Keyword::False) => {
                self.bump();
                lit(Literal::Bool(false))
            }
            TokenKind::SingleQuoted => Err(single_quote_error(t.span)),
            TokenKind::Op(Op::LParen) => {
                self.bump();
                let inner = self.expression()?;
                let close = self.expect_op(Op::RParen)?;
                Ok(Expr { kind: inner.kind, span: t.span.to(close) })
            }
            TokenKind::Op(Op::Question) => {
                self.bump();
                if matches!(self.kind(), TokenKind::Str(_) | TokenKind::SingleQuoted) {
                    return Err(QueryError::new(
                        "Use triple double quotes [\"\"\"] to define unescaped string literals, not [?]",
                        t.span.to(self.span()),
                    ));
                }
                if self.tok().spaced {
                    return Err(QueryError::new("'?' must be directly followed by a field name", t.span));
                }
                self.field(true, t.span)
            }
            TokenKind::Ident { name, tilde } if matches!(self.peek_kind(1), TokenKind::Op(Op::LParen)) => {
                let (name, insensitive) = (name.clone(), *tilde);
                self.bump();
                self.call(name, insensitive, t.span)
            }
            TokenKind::Ident { tilde: true, name } => Err(QueryError::new(
                format!("'~' after [{name}] is only allowed on a function call, as in {name}~(...)"),
                t.span,
            )),
            TokenKind::Ident { .. } | TokenKind::QuotedIdent(_) => self.field(false, t.span),
            _ => Err(self.unexpected("an expression")),
        }
    }

    fn call(&mut self, name: String, insensitive: bool, start: Span) -> PResult<Expr> {
        self.expect_op(Op::LParen)?;
        let mut args = Vec::new();
        if !self.at_op(Op::RParen) {
            args.push(self.expression()?);
            while self.eat_op(Op::Comma) {
                args.push(self.expression()?);
            }
        }
        let close = self.expect_op(Op::RParen)?;
        Ok(Expr { kind: ExprKind::Call { name, insensitive, args }, span: start.to(close) })
    }

    fn field(&mut self, optional: bool, start: Span) -> PResult<Expr> {
        let mut path = vec![self.name_part()?];
        loop {
            if self.at_op(Op::Dot) && !self.tok().spaced {
                self.bump();
                path.push(self.name_part()?);
            } else if self.at_op(Op::LBracket)
                && matches!(self.peek_kind(1), TokenKind::Int(_))
                && matches!(self.peek_kind(2), TokenKind::Op(Op::RBracket))
            {
                let open = self.span();
                self.pos += 2;
                let close = self.bump().span;
                return Err(QueryError::new("Array indexes are not supported", open.to(close)));
            } else {
                break;
            }
        }
        let span = start.to(Span::new(start.start, self.prev_end()));
        Ok(Expr { kind: ExprKind::Field(FieldRef { path, optional, span }), span })
    }

    fn name_part(&mut self) -> PResult<String> {
        match self.kind().clone() {
            TokenKind::Ident { name, tilde: false } => {
                self.bump();
                Ok(name)
            }
            TokenKind::QuotedIdent(name) => {
                self.bump();
                Ok(name)
            }
            // After a dot any word is a name part (`event.sequence`, `x.any`).
            TokenKind::Keyword(k) if self.pos > 0 && self.tokens[self.pos - 1].kind == TokenKind::Op(Op::Dot) => {
                self.bump();
                Ok(k.as_str().trim_end_matches('~').to_string())
            }
            _ => Err(self.unexpected("a field name")),
        }
    }
}

fn single_quote_error(span: Span) -> QueryError {
    QueryError::new("Use double quotes [\"] to define string literals, not single quotes [']", span)
}
