//! Predicate explanations: one event against one term, as a tree mirroring the condition.

use crate::data::{Dataset, FieldId, Origin, Value};
use crate::engine::order::key_value;
use crate::eval::{self, Ctx};
use crate::plan::compile;
use crate::plan::node::{Node, NodeKind};
use crate::plan::{Bound, Plan, PlanKind, PlanTerm};
use crate::syntax::Span;
use serde::Serialize;

/// The most values of one field an explanation lists (the rest are counted).
pub const MAX_VALUES_SHOWN: usize = 32;

/// A node's result for the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    True,
    False,
    /// Unknown (three-valued logic); counts as false for the match.
    Null,
    /// False because a field the leaf reads has no value in this event (or is an unmapped
    /// `?optional` field, read as null).
    FieldMissing,
}

impl Outcome {
    /// The three-valued truth value (`FieldMissing` is false).
    pub fn truth(self) -> Option<bool> {
        match self {
            Outcome::True => Some(true),
            Outcome::False | Outcome::FieldMissing => Some(false),
            Outcome::Null => None,
        }
    }

    fn of(value: Option<bool>) -> Outcome {
        match value {
            Some(true) => Outcome::True,
            Some(false) => Outcome::False,
            None => Outcome::Null,
        }
    }
}

/// What a node of the explanation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    And,
    Or,
    /// A `not` written in the query (a desugared `!=` or `not in` is a negated leaf instead).
    Not,
    /// One predicate: a comparison, `in`, `:`/`like`/`regex`, a null check, a function call…
    Leaf,
    /// The term's event category (`process where` …), checked like `event.category == "process"`.
    Category,
    /// A constant, possibly folded from an expression on optional fields that nothing maps.
    Constant,
}

/// How a field read by a leaf stands in this event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldStatus {
    /// The event has at least one value.
    Present,
    /// The event has no value (the field reads as null).
    Missing,
    /// An `?optional` field that neither the mapping nor any event has: replaced by null.
    Unmapped,
}

/// One field a leaf reads, with this event's values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldReading {
    /// The field's path (after mapping aliases).
    pub field: String,
    pub status: FieldStatus,
    /// The values (dates formatted), at most [`MAX_VALUES_SHOWN`].
    pub values: Vec<Value>,
    /// How many further values were left out.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_values: usize,
}

/// One node of a condition, evaluated against one event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    pub kind: ConditionKind,
    /// The node's source text (the category leaf reads `<category field> == "<name>"`).
    pub text: String,
    /// Where the node is in the query text.
    pub span: Span,
    pub outcome: Outcome,
    /// A leaf written negated (`!=`, `not in`, `!= null`): the outcome is the negation's.
    #[serde(skip_serializing_if = "is_false")]
    pub negated: bool,
    /// A constant folded from an expression (optional fields that nothing maps read as null).
    #[serde(skip_serializing_if = "is_false")]
    pub folded: bool,
    /// The fields a leaf or folded constant reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldReading>,
    /// The operands of `and`, `or` and `not`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Condition>,
}

impl Condition {
    /// Every leaf (and category check and constant) under this node, left to right.
    pub fn leaves(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        fn walk<'c>(c: &'c Condition, out: &mut Vec<&'c Condition>) {
            if c.children.is_empty() {
                out.push(c);
            }
            for child in &c.children {
                walk(child, out);
            }
        }
        walk(self, &mut out);
        out
    }
}

/// One event against one term of the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermExplanation {
    /// The event's index in the dataset.
    pub event: usize,
    pub origin: Origin,
    /// The plan term (sequence terms after `runs` expansion; `until` is the last).
    pub term: usize,
    /// The term as written in the query (runs share one; `until` is one past the last).
    pub source_term: usize,
    /// Whether this is the sequence's `until` term.
    pub until: bool,
    /// Whether the event satisfies the term's filter, exactly as the matcher decides.
    pub verdict: bool,
    pub condition: Condition,
}

/// Explains how `event` fares against plan term `term` of `bound` (as [`Plan::bind`] made it
/// for `data`): `term` counts sequence terms after `runs` expansion, and the index after the
/// last names the `until` term. `query_text` is the text the plan was compiled from (node
/// spans point into it). `None` if the term or the event does not exist.
pub fn explain_event(
    plan: &Plan,
    bound: &Bound,
    data: &Dataset,
    query_text: &str,
    event: usize,
    term: usize,
) -> Option<TermExplanation> {
    // The dataset must have been read for this plan (it stores values by the plan's field ids).
    if event >= data.len() || data.fields().len() != plan.fields.len() {
        return None;
    }
    let (plan_term, filter, until) = plan_term(plan, bound, term)?;
    let explainer = Explainer { plan, data, text: query_text, original: &plan_term.filter, cx: Ctx::new(data, event) };
    let condition = explainer.explain(filter);
    let verdict = condition.outcome == Outcome::True;
    Some(TermExplanation {
        event,
        origin: data.origin(event),
        term,
        source_term: plan_term.source_term,
        until,
        verdict,
        condition,
    })
}

fn plan_term<'p>(plan: &'p Plan, bound: &'p Bound, term: usize) -> Option<(&'p PlanTerm, &'p Node, bool)> {
    let terms: &[PlanTerm] = match &plan.kind {
        PlanKind::Event(t) => std::slice::from_ref(t),
        PlanKind::Sequence { terms, .. } | PlanKind::Sample { terms } => terms,
    };
    if let Some(t) = terms.get(term) {
        return Some((t, bound.filters.get(term)?, false));
    }
    match (&plan.kind, &bound.until) {
        (PlanKind::Sequence { until: Some(t), .. }, Some(f)) if term == terms.len() => Some((t, f, true)),
        _ => None,
    }
}

struct Explainer<'a> {
    plan: &'a Plan,
    data: &'a Dataset,
    text: &'a str,
    /// The term's filter before binding, to tell folded constants and unmapped fields.
    original: &'a Node,
    cx: Ctx<'a>,
}

impl Explainer<'_> {
    fn explain(&self, node: &Node) -> Condition {
        // Every outcome is the matcher's own evaluation of that node.
        let outcome = Outcome::of(eval::eval_bool(node, self.cx));
        let logical = |kind, children| Condition {
            kind,
            text: self.source(node.span),
            span: node.span,
            outcome,
            negated: false,
            folded: false,
            fields: Vec::new(),
            children,
        };
        match &node.kind {
            NodeKind::And(items) => logical(ConditionKind::And, self.operands(node, items, true)),
            NodeKind::Or(items) => logical(ConditionKind::Or, self.operands(node, items, false)),
            // `a != b`, `a not in (…)`, `a != null`: compiled as `not` over a leaf with the same
            // source text; shown as one negated leaf.
            NodeKind::Not(inner) if inner.span == node.span && is_leaf(inner) => {
                Condition { negated: true, ..self.leaf(node, inner, self.leaf_outcome(outcome, inner)) }
            }
            NodeKind::Not(inner) => logical(ConditionKind::Not, vec![self.explain(inner)]),
            NodeKind::Const(_) => self.constant(node.span, outcome),
            _ => self.leaf(node, node, self.leaf_outcome(outcome, node)),
        }
    }

    /// The operands of a bound `and` (`or`), with those that binding folded into `true`
    /// (`false`) and dropped put back in their place, so the tree mirrors the query.
    fn operands(&self, node: &Node, items: &[Node], and: bool) -> Vec<Condition> {
        let written = match self.original_at(node.span).map(|n| &n.kind) {
            Some(NodeKind::And(w)) if and => w,
            Some(NodeKind::Or(w)) if !and => w,
            _ => return items.iter().map(|n| self.explain(n)).collect(),
        };
        let mut bound = items.iter().peekable();
        let mut out = Vec::with_capacity(written.len());
        for w in written {
            match bound.peek() {
                Some(b) if b.span == w.span => {
                    out.push(self.explain(b));
                    bound.next();
                }
                // Bound alone, as `Plan::bind` bound it before folding it away.
                _ => out.push(self.explain(&self.bind(w))),
            }
        }
        out.extend(bound.map(|b| self.explain(b)));
        out
    }

    /// A constant; when binding folded a written `and`/`or`/`not` into it, that node with its
    /// operands (each bound alone, as `Plan::bind` binds operands before folding).
    fn constant(&self, span: Span, outcome: Outcome) -> Condition {
        let original = self.original_at(span);
        let kind = match original.map(|n| &n.kind) {
            Some(NodeKind::And(_)) => Some(ConditionKind::And),
            Some(NodeKind::Or(_)) => Some(ConditionKind::Or),
            Some(NodeKind::Not(inner)) if !(inner.span == span && is_leaf(inner)) => Some(ConditionKind::Not),
            _ => None,
        };
        if let (Some(kind), Some(original)) = (kind, original) {
            return Condition {
                kind,
                text: self.source(span),
                span,
                outcome,
                negated: false,
                folded: true,
                fields: Vec::new(),
                children: original.children().into_iter().map(|c| self.explain(&self.bind(c))).collect(),
            };
        }
        Condition {
            kind: ConditionKind::Constant,
            text: self.source(span),
            span,
            outcome,
            negated: false,
            folded: self.original_at(span).is_some_and(|n| !matches!(n.kind, NodeKind::Const(_))),
            fields: self.unmapped_fields(span),
            children: Vec::new(),
        }
    }

    fn bind(&self, written: &Node) -> Node {
        compile::bind(written, &|id| self.unmapped(id))
    }

    /// Whether binding replaces this optional field by null (the test of [`Plan::bind`]).
    fn unmapped(&self, id: FieldId) -> bool {
        !self.plan.fields.get(id).in_mapping && !self.data.seen(id)
    }

    /// A false leaf that reads a field this event lacks (or an unmapped optional field, now
    /// null) is false for that reason.
    fn leaf_outcome(&self, outcome: Outcome, leaf: &Node) -> Outcome {
        match outcome {
            Outcome::False if self.reads_missing(leaf) || !self.unmapped_fields(leaf.span).is_empty() => {
                Outcome::FieldMissing
            }
            o => o,
        }
    }

    /// A leaf: `node` is what is shown (the negation for a negated leaf), `inner` the leaf.
    fn leaf(&self, node: &Node, inner: &Node, outcome: Outcome) -> Condition {
        let (kind, text) = match self.category_name(inner) {
            Some(name) => {
                (ConditionKind::Category, format!("{} == {}", self.plan.settings.event_category_field, quoted(name)))
            }
            None => (ConditionKind::Leaf, self.source(node.span)),
        };
        let mut ids = Vec::new();
        inner.fields(&mut ids);
        let mut fields: Vec<FieldReading> = ids.into_iter().map(|id| self.reading(id)).collect();
        for u in self.unmapped_fields(node.span) {
            if !fields.iter().any(|f| f.field == u.field) {
                fields.push(u);
            }
        }
        Condition { kind, text, span: node.span, outcome, negated: false, folded: false, fields, children: Vec::new() }
    }

    /// The category check the compiler adds for `<category> where`: an `in` over the category
    /// field carrying the category name's span on both nodes.
    fn category_name<'n>(&self, node: &'n Node) -> Option<&'n Value> {
        match &node.kind {
            NodeKind::In { expr, values, fold: false } if values.len() == 1 && expr.span == node.span => {
                match expr.kind {
                    NodeKind::Field { id, optional: false } if id == self.plan.category => values.first(),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn reads_missing(&self, node: &Node) -> bool {
        let mut ids = Vec::new();
        node.fields(&mut ids);
        ids.into_iter().any(|id| self.values(id).len() == 0)
    }

    fn values(&self, id: FieldId) -> impl ExactSizeIterator<Item = crate::data::Val<'_>> + '_ {
        self.data.values(self.cx.event, id)
    }

    fn reading(&self, id: FieldId) -> FieldReading {
        let info = self.data.fields().get(id);
        let vals = self.values(id);
        let count = vals.len();
        let values: Vec<Value> = vals.take(MAX_VALUES_SHOWN).map(|v| key_value(&info.ty, v)).collect();
        FieldReading {
            field: info.path.clone(),
            status: if count == 0 { FieldStatus::Missing } else { FieldStatus::Present },
            more_values: count - values.len(),
            values,
        }
    }

    /// The `?optional` fields under the original node at `span` that binding replaced by null
    /// (the test [`Plan::bind`] applies).
    fn unmapped_fields(&self, span: Span) -> Vec<FieldReading> {
        let Some(original) = self.original_at(span) else { return Vec::new() };
        let mut out: Vec<FieldReading> = Vec::new();
        visit(original, &mut |n| {
            if let NodeKind::Field { id, optional: true } = n.kind {
                let info = self.plan.fields.get(id);
                if self.unmapped(id) && !out.iter().any(|f| f.field == info.path) {
                    out.push(FieldReading {
                        field: info.path.clone(),
                        status: FieldStatus::Unmapped,
                        values: Vec::new(),
                        more_values: 0,
                    });
                }
            }
        });
        out
    }

    /// The outermost node of the unbound filter with this span.
    fn original_at(&self, span: Span) -> Option<&Node> {
        fn find(n: &Node, span: Span) -> Option<&Node> {
            if n.span == span {
                return Some(n);
            }
            n.children().into_iter().find_map(|c| find(c, span))
        }
        find(self.original, span)
    }

    fn source(&self, span: Span) -> String {
        self.text.get(span.start..span.end).unwrap_or_default().to_string()
    }
}

/// What [`eval::eval_bool`] treats as a leaf.
fn is_leaf(node: &Node) -> bool {
    !node.is_logical() && !matches!(node.kind, NodeKind::Const(_))
}

fn visit<'n>(node: &'n Node, f: &mut impl FnMut(&'n Node)) {
    f(node);
    for c in node.children() {
        visit(c, f);
    }
}

fn quoted(v: &Value) -> String {
    match v {
        Value::Str(s) => serde_json::to_string(s).unwrap_or_else(|_| s.clone()),
        other => other.key_text(),
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
