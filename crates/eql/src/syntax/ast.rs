//! The syntax tree. Every node keeps the span of the text it came from.

use super::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub body: QueryBody,
    pub pipes: Vec<Pipe>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum QueryBody {
    Event(EventQuery),
    Sequence(Sequence),
    Sample(Sample),
}

/// `<category> where <condition>`.
#[derive(Clone, Debug, PartialEq)]
pub struct EventQuery {
    pub category: Category,
    pub condition: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Category {
    Any(Span),
    Named(String, Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub by: Vec<Expr>,
    pub maxspan: Option<TimeSpan>,
    pub terms: Vec<Term>,
    pub until: Option<Term>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub by: Vec<Expr>,
    pub terms: Vec<Term>,
    pub span: Span,
}

/// One bracketed term of a sequence or sample: `[ query ] by keys with runs=N`, or `![ query ]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub query: EventQuery,
    pub by: Vec<Expr>,
    pub runs: Option<u32>,
    pub missing: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Millis,
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Millis => "ms",
            TimeUnit::Seconds => "s",
            TimeUnit::Minutes => "m",
            TimeUnit::Hours => "h",
            TimeUnit::Days => "d",
        }
    }

    pub fn millis(self) -> i64 {
        match self {
            TimeUnit::Millis => 1,
            TimeUnit::Seconds => 1_000,
            TimeUnit::Minutes => 60_000,
            TimeUnit::Hours => 3_600_000,
            TimeUnit::Days => 86_400_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeSpan {
    pub value: i64,
    pub unit: TimeUnit,
    pub span: Span,
}

impl TimeSpan {
    pub fn nanos(&self) -> i64 {
        self.value.saturating_mul(self.unit.millis()).saturating_mul(1_000_000)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeKind {
    Head,
    Tail,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipe {
    pub kind: PipeKind,
    pub count: u64,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldRef {
    /// The dotted path, each part unquoted (`process.name` is `["process", "name"]`).
    pub path: Vec<String>,
    /// `?field`: an unmapped field reads as null instead of being an error.
    pub optional: bool,
    pub span: Span,
}

impl FieldRef {
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Neq => "!=",
            CmpOp::Lt => "<",
            CmpOp::Lte => "<=",
            CmpOp::Gt => ">",
            CmpOp::Gte => ">=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl ArithOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Mod => "%",
        }
    }
}

/// The operators that take constant patterns on their right: `:`, `like`, `regex`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOp {
    /// `:` — case-insensitive equality, or a wildcard when the pattern has `*` or `?`.
    Seq,
    Like,
    Regex,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    Field(FieldRef),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    /// `x in (..)`, `x in~ (..)`, `x not in (..)`.
    In { expr: Box<Expr>, list: Vec<Expr>, negated: bool, insensitive: bool },
    /// `x : p`, `x like~ (p1, p2)`, `x regex p`.
    Match { op: MatchOp, insensitive: bool, expr: Box<Expr>, patterns: Vec<Expr> },
    Call { name: String, insensitive: bool, args: Vec<Expr> },
}
