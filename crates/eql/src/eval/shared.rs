//! Conditions of many queries tested on the same events (a rule pack's screen): a leaf that
//! several rules share — `host.os.type == "windows"`, `event.type == "start"`, a common
//! `process.name` list — is evaluated once per event, not once per rule. The boolean skeleton
//! is the same three-valued logic as [`eval_bool`](super::eval_bool), over leaf ids.

use super::{leaf, Ctx};
use crate::data::Value;
use crate::plan::node::{Node, NodeKind, Pattern};
use std::collections::HashMap;
use std::fmt::Write;

/// A condition whose leaves are ids into [`Leaves`].
#[derive(Clone, Debug)]
pub enum Cond {
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Const(Option<bool>),
    Leaf(u32),
}

/// The distinct leaves of the conditions added, and each one's result for the current event.
#[derive(Default)]
pub struct Leaves<'a> {
    nodes: Vec<&'a Node>,
    ids: HashMap<String, u32>,
    /// Per leaf: the event its result is for (`usize::MAX`: none yet), and the result.
    memo: Vec<(usize, bool)>,
}

impl<'a> Leaves<'a> {
    /// `node` as a [`Cond`], its leaves shared with those added before.
    pub fn add(&mut self, node: &'a Node) -> Cond {
        match &node.kind {
            NodeKind::Not(inner) => Cond::Not(Box::new(self.add(inner))),
            NodeKind::And(items) => Cond::And(items.iter().map(|n| self.add(n)).collect()),
            NodeKind::Or(items) => Cond::Or(items.iter().map(|n| self.add(n)).collect()),
            NodeKind::Const(Value::Bool(b)) => Cond::Const(Some(*b)),
            NodeKind::Const(Value::Null) => Cond::Const(None),
            _ => {
                let mut key = String::new();
                write_key(node, &mut key);
                let next = self.nodes.len() as u32;
                let id = *self.ids.entry(key).or_insert(next);
                if id == next {
                    self.nodes.push(node);
                    self.memo.push((usize::MAX, false));
                }
                Cond::Leaf(id)
            }
        }
    }

    /// How many distinct leaves the conditions have.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Three-valued evaluation of `cond` on `cx`'s event, each leaf evaluated at most once per
    /// event.
    pub fn eval(&mut self, cond: &Cond, cx: Ctx<'_>) -> Option<bool> {
        match cond {
            Cond::Not(inner) => self.eval(inner, cx).map(|b| !b),
            Cond::And(items) => super::all3(items, |item| self.eval(item, cx)),
            Cond::Or(items) => super::any3(items, |item| self.eval(item, cx)),
            Cond::Const(b) => *b,
            Cond::Leaf(id) => {
                let id = *id as usize;
                let (event, hit) = self.memo[id];
                if event == cx.event {
                    return Some(hit);
                }
                let hit = leaf(self.nodes[id], cx);
                self.memo[id] = (cx.event, hit);
                Some(hit)
            }
        }
    }
}

/// A leaf's structure, without its spans: two leaves with the same key evaluate alike.
fn write_key(node: &Node, out: &mut String) {
    let _ = match &node.kind {
        NodeKind::Const(v) => write!(out, "c{v:?}"),
        NodeKind::Field { id, optional } => write!(out, "f{}{}", id.index(), if *optional { "?" } else { "" }),
        NodeKind::Compare { op, mode, .. } => write!(out, "cmp{op:?}{mode:?}"),
        NodeKind::In { values, fold, .. } => write!(out, "in{fold}{values:?}"),
        NodeKind::Match { patterns, .. } => {
            out.push_str("match");
            for p in patterns {
                let _ = match p {
                    // Its case-insensitivity is a builder flag its text does not show: never
                    // shared (keyed by where it is).
                    Pattern::Regex(r) => write!(out, "/{:p}/", r as *const _),
                    other => write!(out, "{other:?}"),
                };
            }
            Ok(())
        }
        NodeKind::Arith { op, .. } => write!(out, "arith{op:?}"),
        NodeKind::Call { func, fold, .. } => write!(out, "call{func:?}{fold}"),
        NodeKind::Not(_) => write!(out, "not"),
        NodeKind::And(_) => write!(out, "and"),
        NodeKind::Or(_) => write!(out, "or"),
        NodeKind::IsNull(_) => write!(out, "null"),
        NodeKind::Neg(_) => write!(out, "neg"),
    };
    out.push('(');
    for child in node.children() {
        write_key(child, out);
        out.push(',');
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Reader;
    use crate::eval::{eval_bool, Ctx};
    use crate::{compile_sharing, Settings};

    #[test]
    fn shared_leaves_give_what_each_condition_gives_alone() {
        let queries = [
            r#"process where host.os.type == "windows" and process.name : ("a.exe", "B.EXE")"#,
            r#"process where host.os.type == "windows" and not process.args : "*-enc*""#,
            r#"process where process.name : ("a.exe", "B.EXE") or process.pid > 4"#,
            r#"process where ?process.missing == null and process.name == "a.exe""#,
        ];
        let mut fields = crate::data::FieldTable::default();
        let plans: Vec<_> = queries
            .iter()
            .map(|q| compile_sharing(crate::parse(q).expect("parses"), &Settings::default(), &mut fields).expect("compiles"))
            .collect();
        let events = "{\"event\":{\"category\":\"process\"},\"host\":{\"os\":{\"type\":\"windows\"}},\"process\":{\"name\":\"b.exe\",\"args\":[\"-ENC\",\"x\"],\"pid\":2}}\n\
                      {\"event\":{\"category\":\"process\"},\"process\":{\"name\":\"a.exe\",\"pid\":9}}\n\
                      {\"event\":{\"category\":\"process\"},\"host\":{\"os\":{\"type\":\"linux\"}}}\n";
        let mut reader = Reader::new(fields);
        reader.add(0, events, None);
        let data = reader.finish();
        let bound: Vec<_> = plans.iter().map(|p| p.bind(&data).expect("binds")).collect();
        let mut leaves = Leaves::default();
        let conds: Vec<Cond> = bound.iter().map(|b| leaves.add(&b.filters[0])).collect();
        assert!(leaves.len() < conds.len() * 3, "shared leaves: {}", leaves.len());
        for e in 0..data.len() {
            for (cond, b) in conds.iter().zip(&bound) {
                assert_eq!(leaves.eval(cond, Ctx::new(&data, e)), eval_bool(&b.filters[0], Ctx::new(&data, e)), "event {e}");
            }
        }
    }
}
