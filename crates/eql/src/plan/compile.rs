//! Syntax tree to plan: resolves fields against the mapping, desugars operators, compiles
//! patterns, and checks what Elasticsearch's verifier checks (functions, arities, patterns).

use super::functions::Func;
use super::lucene_regex;
use super::node::{Cmp, CmpMode, Node, NodeKind, Pattern};
use super::wildcard::{fold, has_wildcard, Wildcard};
use crate::data::{FieldTable, FieldType, Mapping, Value};
use crate::syntax::ast::{self, CmpOp, Expr, ExprKind, Literal, MatchOp};
use crate::syntax::{QueryError, Span};

pub struct Compiler<'m> {
    pub fields: FieldTable,
    pub mapping: Option<&'m Mapping>,
    pub errors: Vec<QueryError>,
}

impl<'m> Compiler<'m> {
    pub fn new(mapping: Option<&'m Mapping>) -> Self {
        Compiler { fields: FieldTable::default(), mapping, errors: Vec::new() }
    }

    fn error(&mut self, message: impl Into<String>, span: Span) -> Node {
        self.errors.push(QueryError::new(message, span));
        Node::constant(Value::Null, span)
    }

    pub fn field(&mut self, field: &ast::FieldRef) -> Node {
        let id = self.fields.intern(&field.dotted(), self.mapping);
        Node::new(NodeKind::Field { id, optional: field.optional }, field.span)
    }

    fn field_type(&self, node: &Node) -> Option<&FieldType> {
        match node.kind {
            NodeKind::Field { id, .. } => Some(&self.fields.get(id).ty),
            _ => None,
        }
    }

    pub fn expr(&mut self, e: &Expr) -> Node {
        let span = e.span;
        match &e.kind {
            ExprKind::Literal(l) => Node::constant(literal(l), span),
            ExprKind::Field(f) => self.field(f),
            ExprKind::Not(inner) => Node::new(NodeKind::Not(Box::new(self.expr(inner))), span),
            ExprKind::And(a, b) => {
                let mut items = Vec::new();
                self.flatten(a, true, &mut items);
                self.flatten(b, true, &mut items);
                Node::new(NodeKind::And(items), span)
            }
            ExprKind::Or(a, b) => {
                let mut items = Vec::new();
                self.flatten(a, false, &mut items);
                self.flatten(b, false, &mut items);
                Node::new(NodeKind::Or(items), span)
            }
            ExprKind::Compare(op, a, b) => self.compare(*op, a, b, span),
            ExprKind::Arith(op, a, b) => {
                let (lhs, rhs) = (self.expr(a), self.expr(b));
                Node::new(NodeKind::Arith { op: *op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span)
            }
            ExprKind::Neg(inner) => Node::new(NodeKind::Neg(Box::new(self.expr(inner))), span),
            ExprKind::In { expr, list, negated, insensitive } => {
                let subject = self.expr(expr);
                let mut values = Vec::new();
                for item in list {
                    let node = self.expr(item);
                    match crate::eval::constant_value(&node) {
                        // Null entries never match a term query; they are dropped.
                        Some(Value::Null) => {}
                        Some(v) => values.push(self.coerce_for(&subject, v, item.span)),
                        None => {
                            self.error("Comparisons against fields are not supported", item.span);
                        }
                    }
                }
                if *insensitive {
                    values = values.into_iter().map(fold_value).collect();
                }
                let node = Node::new(NodeKind::In { expr: Box::new(subject), values, fold: *insensitive }, span);
                negate_if(node, *negated)
            }
            ExprKind::Match { op, insensitive, expr, patterns } => {
                let subject = self.expr(expr);
                let compiled = patterns.iter().filter_map(|p| self.pattern(*op, *insensitive, p)).collect();
                Node::new(NodeKind::Match { expr: Box::new(subject), patterns: compiled }, span)
            }
            ExprKind::Call { name, insensitive, args } => self.call(name, *insensitive, args, span),
        }
    }

    fn flatten(&mut self, e: &Expr, and: bool, out: &mut Vec<Node>) {
        match (&e.kind, and) {
            (ExprKind::And(a, b), true) | (ExprKind::Or(a, b), false) => {
                self.flatten(a, and, out);
                self.flatten(b, and, out);
            }
            _ => out.push(self.expr(e)),
        }
    }

    fn compare(&mut self, op: CmpOp, a: &Expr, b: &Expr, span: Span) -> Node {
        let (mut lhs, mut rhs) = (self.expr(a), self.expr(b));
        let is_null = |n: &Node| matches!(n.kind, NodeKind::Const(Value::Null));
        // `x == null` is an existence test, not a comparison (Elasticsearch's ReplaceNullChecks).
        if matches!(op, CmpOp::Eq | CmpOp::Neq) && (is_null(&lhs) || is_null(&rhs)) {
            let subject = if is_null(&lhs) { rhs } else { lhs };
            let node = Node::new(NodeKind::IsNull(Box::new(subject)), span);
            return negate_if(node, op == CmpOp::Neq);
        }
        // Keep the field on the left so the evaluator's fast path applies.
        let mut op = op;
        if !lhs.has_field() && rhs.has_field() {
            std::mem::swap(&mut lhs, &mut rhs);
            op = match op {
                CmpOp::Lt => CmpOp::Gt,
                CmpOp::Lte => CmpOp::Gte,
                CmpOp::Gt => CmpOp::Lt,
                CmpOp::Gte => CmpOp::Lte,
                other => other,
            };
        }
        let mode = match self.field_type(&lhs) {
            Some(FieldType::Version) => CmpMode::Version,
            Some(FieldType::Ip) => CmpMode::Ip,
            _ => CmpMode::Plain,
        };
        if let NodeKind::Const(v) = &rhs.kind {
            let coerced = self.coerce_for(&lhs, v.clone(), rhs.span);
            rhs = Node::constant(coerced, rhs.span);
        }
        let (cmp, negated) = match op {
            CmpOp::Eq => (Cmp::Eq, false),
            CmpOp::Neq => (Cmp::Eq, true),
            CmpOp::Lt => (Cmp::Lt, false),
            CmpOp::Lte => (Cmp::Lte, false),
            CmpOp::Gt => (Cmp::Gt, false),
            CmpOp::Gte => (Cmp::Gte, false),
        };
        let node = Node::new(NodeKind::Compare { op: cmp, mode, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span);
        negate_if(node, negated)
    }

    /// A constant compared with a date field is read as a date, like Elasticsearch's range query.
    fn coerce_for(&mut self, subject: &Node, v: Value, span: Span) -> Value {
        let Some(ty) = self.field_type(subject) else { return v };
        if !ty.is_date() {
            return v;
        }
        let format = crate::data::reader::date_format(ty);
        match &v {
            Value::Str(s) => match format.parse_str(s).or_else(|| crate::data::timestamp::parse_iso(s)) {
                Some(n) => Value::Int(n),
                None => {
                    self.error(format!("cannot read [{s}] as a date"), span);
                    v
                }
            },
            Value::Int(i) => crate::data::timestamp::from_epoch_millis(*i as f64).map_or(v, Value::Int),
            Value::Float(f) => crate::data::timestamp::from_epoch_millis(*f).map_or(v, Value::Int),
            _ => v,
        }
    }

    fn pattern(&mut self, op: MatchOp, insensitive: bool, p: &Expr) -> Option<Pattern> {
        let value = match &p.kind {
            ExprKind::Literal(l) => literal(l),
            _ => {
                self.error("expected a constant", p.span);
                return None;
            }
        };
        match (op, value) {
            (_, Value::Null) => None,
            (MatchOp::Regex, Value::Str(s)) => match lucene_regex::translate(&s) {
                Ok(re) => match regex_lite::RegexBuilder::new(&re).case_insensitive(insensitive).size_limit(1 << 22).build() {
                    Ok(r) => Some(Pattern::Regex(r)),
                    Err(e) => {
                        self.error(format!("invalid regular expression [{s}]: {e}"), p.span);
                        None
                    }
                },
                Err(e) => {
                    self.error(format!("invalid regular expression [{s}]: {e}"), p.span);
                    None
                }
            },
            (MatchOp::Seq | MatchOp::Like, Value::Str(s)) if has_wildcard(&s) => {
                Some(Pattern::Wildcard(Wildcard::new(&s, insensitive)))
            }
            (MatchOp::Seq | MatchOp::Like, Value::Str(s)) => Some(Pattern::Equals {
                value: Value::Str(if insensitive { fold(&s) } else { s }),
                fold: insensitive,
            }),
            (MatchOp::Like | MatchOp::Regex, _) => {
                self.error("[like] and [regex] take string patterns only", p.span);
                None
            }
            (MatchOp::Seq, v) => Some(Pattern::Equals { value: v, fold: false }),
        }
    }

    fn call(&mut self, name: &str, insensitive: bool, args: &[Expr], span: Span) -> Node {
        if let Some(message) = super::functions::check_call(name, insensitive, args.len()) {
            return self.error(message, span);
        }
        let Some(func) = Func::lookup(name) else { return self.error(format!("Unknown function [{name}]"), span) };
        let args = args.iter().map(|a| self.expr(a)).collect();
        Node::new(NodeKind::Call { func, args, fold: insensitive }, span)
    }
}

fn negate_if(node: Node, negated: bool) -> Node {
    if negated {
        let span = node.span;
        Node::new(NodeKind::Not(Box::new(node)), span)
    } else {
        node
    }
}

fn fold_value(v: Value) -> Value {
    match v {
        Value::Str(s) => Value::Str(fold(&s)),
        other => other,
    }
}

pub fn literal(l: &Literal) -> Value {
    match l {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::Int(*i),
        Literal::Float(f) => Value::Float(*f),
        Literal::Str(s) => Value::Str(s.clone()),
    }
}

/// Replaces optional fields that are mapped nowhere by the null literal, then folds constants.
pub fn bind(node: &Node, unmapped: &dyn Fn(crate::data::FieldId) -> bool) -> Node {
    let span = node.span;
    let rebuilt = match &node.kind {
        NodeKind::Field { id, optional: true } if unmapped(*id) => return Node::constant(Value::Null, span),
        NodeKind::Const(_) | NodeKind::Field { .. } => return node.clone(),
        NodeKind::Not(n) => NodeKind::Not(Box::new(bind(n, unmapped))),
        NodeKind::And(items) => NodeKind::And(items.iter().map(|n| bind(n, unmapped)).collect()),
        NodeKind::Or(items) => NodeKind::Or(items.iter().map(|n| bind(n, unmapped)).collect()),
        NodeKind::IsNull(n) => NodeKind::IsNull(Box::new(bind(n, unmapped))),
        NodeKind::Neg(n) => NodeKind::Neg(Box::new(bind(n, unmapped))),
        NodeKind::Compare { op, mode, lhs, rhs } => NodeKind::Compare {
            op: *op,
            mode: *mode,
            lhs: Box::new(bind(lhs, unmapped)),
            rhs: Box::new(bind(rhs, unmapped)),
        },
        NodeKind::Arith { op, lhs, rhs } => {
            NodeKind::Arith { op: *op, lhs: Box::new(bind(lhs, unmapped)), rhs: Box::new(bind(rhs, unmapped)) }
        }
        NodeKind::In { expr, values, fold } => {
            NodeKind::In { expr: Box::new(bind(expr, unmapped)), values: values.clone(), fold: *fold }
        }
        NodeKind::Match { expr, patterns } => {
            NodeKind::Match { expr: Box::new(bind(expr, unmapped)), patterns: patterns.clone() }
        }
        NodeKind::Call { func, args, fold } => {
            NodeKind::Call { func: *func, args: args.iter().map(|n| bind(n, unmapped)).collect(), fold: *fold }
        }
    };
    let node = Node::new(rebuilt, span);
    simplify(null_check(node))
}

/// `x == y` whose right side became the null literal is a null check, as if written
/// `x == null`: Elasticsearch replaces optional fields before its ReplaceNullChecks rule, which
/// looks at the right side only (so `?unmapped == "a"` stays a comparison with null: no match).
fn null_check(node: Node) -> Node {
    let span = node.span;
    match node.kind {
        NodeKind::Compare { op: Cmp::Eq, lhs, rhs, .. } if is_null_const(&rhs) => {
            Node::new(NodeKind::IsNull(lhs), span)
        }
        kind => Node::new(kind, span),
    }
}

fn is_null_const(n: &Node) -> bool {
    matches!(n.kind, NodeKind::Const(Value::Null))
}

/// Constant folding with three-valued logic.
fn simplify(node: Node) -> Node {
    let span = node.span;
    match node.kind {
        NodeKind::And(items) => {
            let mut kept = Vec::new();
            for item in items {
                match item.kind {
                    NodeKind::Const(Value::Bool(true)) => {}
                    NodeKind::Const(Value::Bool(false)) => return Node::constant(Value::Bool(false), span),
                    _ => kept.push(item),
                }
            }
            match kept.len() {
                0 => Node::constant(Value::Bool(true), span),
                _ => Node::new(NodeKind::And(kept), span),
            }
        }
        NodeKind::Or(items) => {
            let mut kept = Vec::new();
            for item in items {
                match item.kind {
                    NodeKind::Const(Value::Bool(false)) => {}
                    NodeKind::Const(Value::Bool(true)) => return Node::constant(Value::Bool(true), span),
                    _ => kept.push(item),
                }
            }
            match kept.len() {
                0 => Node::constant(Value::Bool(false), span),
                _ => Node::new(NodeKind::Or(kept), span),
            }
        }
        kind => {
            let node = Node::new(kind, span);
            match crate::eval::constant_value(&node) {
                Some(v) if !matches!(node.kind, NodeKind::Const(_)) => Node::constant(v, span),
                _ => node,
            }
        }
    }
}
