//! Evaluating compiled conditions against one event.
//!
//! The boolean skeleton (`and`, `or`, `not`) is three-valued. Everything under it is a *leaf*,
//! as Elasticsearch turns each into one term/range query or script: a leaf holds when some
//! combination of its fields' values makes it true (any-value semantics over arrays, a missing
//! field reading as null), and a null result counts as false. So a negated leaf matches events
//! that lack the field, exactly as `must_not` does.

pub mod compare;
pub mod shared;

use crate::data::{Dataset, FieldId, RowIndex, Val, Value};
use crate::plan::functions::{apply, arith};
use crate::plan::node::{Cmp, Node, NodeKind, Pattern};
use compare::{compare, equals, equals_folded};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Caps the combinations tried when several multi-valued fields meet in one leaf.
const MAX_COMBINATIONS: usize = 4096;

/// The event being evaluated, or none while folding constants.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub data: Option<&'a Dataset>,
    pub event: usize,
    /// The event's fields by id, when many conditions are tested on one event.
    pub index: Option<&'a RowIndex>,
}

impl<'a> Ctx<'a> {
    pub fn new(data: &'a Dataset, event: usize) -> Self {
        Ctx { data: Some(data), event, index: None }
    }

    /// For the event `index` was filled for (see [`Dataset::fill`]).
    pub fn indexed(data: &'a Dataset, event: usize, index: &'a RowIndex) -> Self {
        Ctx { data: Some(data), event, index: Some(index) }
    }

    pub fn constant() -> Self {
        Ctx { data: None, event: 0, index: None }
    }

    /// The values of `field` in the event (`None` while folding constants).
    fn values(&self, field: FieldId) -> Option<impl ExactSizeIterator<Item = Val<'a>> + Clone> {
        Some(self.data?.lookup(self.event, field, self.index))
    }
}

/// Whether the event satisfies the condition (null counts as no).
pub fn matches(node: &Node, cx: Ctx<'_>) -> bool {
    eval_bool(node, cx) == Some(true)
}

/// Three-valued evaluation of the boolean skeleton.
pub fn eval_bool(node: &Node, cx: Ctx<'_>) -> Option<bool> {
    match &node.kind {
        NodeKind::Not(inner) => eval_bool(inner, cx).map(|b| !b),
        NodeKind::And(items) => all3(items, |item| eval_bool(item, cx)),
        NodeKind::Or(items) => any3(items, |item| eval_bool(item, cx)),
        NodeKind::Const(Value::Bool(b)) => Some(*b),
        NodeKind::Const(Value::Null) => None,
        _ => Some(leaf(node, cx)),
    }
}

/// Three-valued `and`: false if any item is, else unknown if any item is, else true.
pub(crate) fn all3<T>(items: &[T], mut eval: impl FnMut(&T) -> Option<bool>) -> Option<bool> {
    let mut unknown = false;
    for item in items {
        match eval(item) {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown {
        None
    } else {
        Some(true)
    }
}

/// Three-valued `or`: the negation of `and` over the negated items.
pub(crate) fn any3<T>(items: &[T], mut eval: impl FnMut(&T) -> Option<bool>) -> Option<bool> {
    all3(items, |item| eval(item).map(|b| !b)).map(|b| !b)
}

/// A leaf holds when any combination of its values yields `true`.
pub fn leaf(node: &Node, cx: Ctx<'_>) -> bool {
    if let Some(hit) = leaf_fast(node, cx) {
        return hit;
    }
    eval_values(node, cx).iter().any(|v| matches!(v, Val::Bool(true)))
}

/// Leaves of the shape `field <op> constants`, evaluated without allocating.
fn leaf_fast(node: &Node, cx: Ctx<'_>) -> Option<bool> {
    let field_values = |n: &Node| match &n.kind {
        NodeKind::Field { id, .. } => cx.values(*id),
        _ => None,
    };
    match &node.kind {
        NodeKind::Compare { op, mode, lhs, rhs } => match (&rhs.kind, field_values(lhs)) {
            (NodeKind::Const(c), Some(mut vals)) => {
                let c = c.as_val();
                Some(vals.any(|v| test_cmp(*op, compare(&v, &c, *mode))))
            }
            _ => None,
        },
        NodeKind::In { expr, values, fold } => {
            let mut vals = field_values(expr)?;
            Some(vals.any(|v| in_list(&v, values, *fold)))
        }
        NodeKind::Match { expr, patterns } => {
            let mut vals = field_values(expr)?;
            Some(vals.any(|v| any_pattern_matches(patterns, &v)))
        }
        NodeKind::IsNull(inner) => {
            let vals = field_values(inner)?;
            Some(vals.len() == 0)
        }
        _ => None,
    }
}

fn test_cmp(op: Cmp, ord: Option<Ordering>) -> bool {
    match ord {
        None => false,
        Some(o) => match op {
            Cmp::Eq => o == Ordering::Equal,
            Cmp::Lt => o == Ordering::Less,
            Cmp::Lte => o != Ordering::Greater,
            Cmp::Gt => o == Ordering::Greater,
            Cmp::Gte => o != Ordering::Less,
        },
    }
}

fn in_list(v: &Val, values: &[Value], fold: bool) -> bool {
    values.iter().any(|item| {
        let item = item.as_val();
        if fold {
            equals_folded(v, &item)
        } else {
            equals(v, &item, crate::plan::node::CmpMode::Plain)
        }
    })
}

pub fn pattern_matches(p: &Pattern, v: &Val) -> bool {
    any_pattern_matches(std::slice::from_ref(p), v)
}

/// Whether any of `patterns` matches `v`. The value's text is split into characters, and
/// folded, at most once for all the wildcards (a rule's `:` list often has dozens).
pub fn any_pattern_matches(patterns: &[Pattern], v: &Val) -> bool {
    let text = std::cell::OnceCell::new();
    let text = || text.get_or_init(|| v.to_text()).as_deref();
    let (plain, folded) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    patterns.iter().any(|p| match p {
        Pattern::Equals { value, fold: true } => equals_folded(v, &value.as_val()),
        Pattern::Equals { value, fold: false } => equals(v, &value.as_val(), crate::plan::node::CmpMode::Plain),
        Pattern::Wildcard(w) => text().is_some_and(|s| {
            let chars: &Vec<char> = match w.case_insensitive {
                true => folded.get_or_init(|| crate::plan::wildcard::fold(s).chars().collect()),
                false => plain.get_or_init(|| s.chars().collect()),
            };
            w.matches_chars(chars)
        }),
        Pattern::Regex(r) => text().is_some_and(|s| r.is_match(s)),
    })
}

type Vals<'a> = Vec<Val<'a>>;

/// Every value the expression can take for this event (one per combination of field values).
pub fn eval_values<'a>(node: &'a Node, cx: Ctx<'a>) -> Vals<'a> {
    match &node.kind {
        NodeKind::Const(v) => vec![v.as_val()],
        NodeKind::Field { id, .. } => match cx.values(*id) {
            Some(values) => {
                let vals: Vals<'a> = values.collect();
                if vals.is_empty() {
                    vec![Val::Null]
                } else {
                    vals
                }
            }
            None => vec![Val::Null],
        },
        NodeKind::Not(_) | NodeKind::And(_) | NodeKind::Or(_) => {
            vec![eval_bool(node, cx).map_or(Val::Null, Val::Bool)]
        }
        NodeKind::IsNull(inner) => {
            let vals = eval_values(inner, cx);
            vec![Val::Bool(vals.iter().all(Val::is_null))]
        }
        NodeKind::Compare { op, mode, lhs, rhs } => {
            pairwise(eval_values(lhs, cx), eval_values(rhs, cx), |a, b| match compare(a, b, *mode) {
                None => Val::Null,
                ord => Val::Bool(test_cmp(*op, ord)),
            })
        }
        NodeKind::In { expr, values, fold } => eval_values(expr, cx)
            .into_iter()
            .map(|v| if v.is_null() { Val::Null } else { Val::Bool(in_list(&v, values, *fold)) })
            .collect(),
        NodeKind::Match { expr, patterns } => eval_values(expr, cx)
            .into_iter()
            .map(|v| if v.is_null() { Val::Null } else { Val::Bool(any_pattern_matches(patterns, &v)) })
            .collect(),
        NodeKind::Arith { op, lhs, rhs } => pairwise(eval_values(lhs, cx), eval_values(rhs, cx), |a, b| arith(*op, a, b)),
        NodeKind::Neg(inner) => eval_values(inner, cx)
            .into_iter()
            .map(|v| arith(crate::syntax::ast::ArithOp::Sub, &Val::Int(0), &v))
            .collect(),
        NodeKind::Call { func, args, fold } => {
            let arg_vals: Vec<Vals<'a>> = args.iter().map(|a| eval_values(a, cx)).collect();
            let mut out = Vec::new();
            for_each_combination(&arg_vals, &mut |combo| out.push(apply(*func, combo, *fold)));
            out
        }
    }
}

fn pairwise<'a>(left: Vals<'a>, right: Vals<'a>, f: impl Fn(&Val<'a>, &Val<'a>) -> Val<'a>) -> Vals<'a> {
    let mut out = Vec::with_capacity(left.len() * right.len());
    'outer: for a in &left {
        for b in &right {
            if out.len() >= MAX_COMBINATIONS {
                break 'outer;
            }
            out.push(f(a, b));
        }
    }
    out
}

fn for_each_combination<'a>(lists: &[Vals<'a>], f: &mut impl FnMut(&[Val<'a>])) {
    let mut combo: Vec<Val<'a>> = lists.iter().map(|l| l.first().cloned().unwrap_or(Val::Null)).collect();
    let mut idx = vec![0usize; lists.len()];
    for _ in 0..MAX_COMBINATIONS {
        f(&combo);
        // Advance like an odometer.
        let mut i = 0;
        loop {
            if i == lists.len() {
                return;
            }
            idx[i] += 1;
            if idx[i] < lists[i].len() {
                combo[i] = lists[i][idx[i]].clone();
                break;
            }
            idx[i] = 0;
            combo[i] = lists[i].first().cloned().unwrap_or(Val::Null);
            i += 1;
        }
    }
}

/// A constant's value for folding (`None` if it reads an event).
pub fn constant_value(node: &Node) -> Option<Value> {
    if node.has_field() {
        return None;
    }
    let cx = Ctx::constant();
    Some(if node.is_logical() || matches!(node.kind, NodeKind::Const(_)) {
        match &node.kind {
            NodeKind::Const(v) => v.clone(),
            _ => eval_bool(node, cx).map_or(Value::Null, Value::Bool),
        }
    } else {
        let vals = eval_values(node, cx);
        vals.first().map_or(Value::Null, |v| v.to_owned_value())
    })
}

/// Borrowed text of a value (helper for callers that show values).
pub fn display_val(v: &Val) -> Cow<'static, str> {
    match v {
        Val::Null => Cow::Borrowed("null"),
        other => Cow::Owned(other.to_text().map(|s| s.into_owned()).unwrap_or_default()),
    }
}
