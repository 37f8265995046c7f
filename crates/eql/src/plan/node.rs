//! The compiled form of a condition: names resolved to field ids, `!=` and `not in` turned into
//! negations, `== null` into null checks, patterns and regexes compiled, constants folded.

use super::functions::Func;
use super::wildcard::Wildcard;
use crate::data::{FieldId, Value};
use crate::syntax::ast::ArithOp;
use crate::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// How two values compare: as JSON values, or in a field type's own order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpMode {
    Plain,
    Version,
    Ip,
}

/// One alternative on the right of `:`, `like` or `regex`.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// Equality (case-insensitive when the string was folded at compile time).
    Equals { value: Value, fold: bool },
    Wildcard(Wildcard),
    Regex(regex_lite::Regex),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// The source text this node came from (for explanations).
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Const(Value),
    Field { id: FieldId, optional: bool },
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Compare { op: Cmp, mode: CmpMode, lhs: Box<Node>, rhs: Box<Node> },
    /// `x == null`: true when `x` has no non-null value.
    IsNull(Box<Node>),
    In { expr: Box<Node>, values: Vec<Value>, fold: bool },
    Match { expr: Box<Node>, patterns: Vec<Pattern> },
    Arith { op: ArithOp, lhs: Box<Node>, rhs: Box<Node> },
    Neg(Box<Node>),
    Call { func: Func, args: Vec<Node>, fold: bool },
}

impl Node {
    pub fn new(kind: NodeKind, span: Span) -> Node {
        Node { kind, span }
    }

    pub fn constant(value: Value, span: Span) -> Node {
        Node::new(NodeKind::Const(value), span)
    }

    /// Whether this node is part of the boolean skeleton (evaluated three-valued).
    pub fn is_logical(&self) -> bool {
        matches!(self.kind, NodeKind::Not(_) | NodeKind::And(_) | NodeKind::Or(_))
    }

    pub fn children(&self) -> Vec<&Node> {
        match &self.kind {
            NodeKind::Const(_) | NodeKind::Field { .. } => vec![],
            NodeKind::Not(n) | NodeKind::IsNull(n) | NodeKind::Neg(n) => vec![n],
            NodeKind::And(ns) | NodeKind::Or(ns) => ns.iter().collect(),
            NodeKind::Compare { lhs, rhs, .. } | NodeKind::Arith { lhs, rhs, .. } => vec![lhs, rhs],
            NodeKind::In { expr, .. } | NodeKind::Match { expr, .. } => vec![expr],
            NodeKind::Call { args, .. } => args.iter().collect(),
        }
    }

    pub fn has_field(&self) -> bool {
        matches!(self.kind, NodeKind::Field { .. }) || self.children().iter().any(|c| c.has_field())
    }

    /// Every field this node reads.
    pub fn fields(&self, out: &mut Vec<FieldId>) {
        if let NodeKind::Field { id, .. } = self.kind {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        for c in self.children() {
            c.fields(out);
        }
    }
}
