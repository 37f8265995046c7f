//! Structural feedback: what a query's shape does that its author probably did not mean, in the
//! manner of sqlwhat ("you wrote X; that does Y"). Checked only when the results are wrong.

use crate::events::{field_values, Events};
use eql::syntax::ast::{CmpOp, Expr, ExprKind, Literal, QueryBody, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diagnosis {
    /// `==` (or `!=`) with `*` or `?` in the string: they are literal characters there.
    EqWithWildcard,
    /// `==` with a string the data has only in another case.
    EqCaseDiffers,
    /// A sequence with no join key: any events in order make one, across hosts and processes.
    SequenceWithoutJoinKey,
    /// A missing-event term without `maxspan`.
    MissingEventWithoutMaxspan,
    /// `maxspan` longer than the rule's look-back: a scheduled rule never sees it whole.
    MaxspanOverLookback,
}

impl Diagnosis {
    pub const ALL: [Diagnosis; 5] = [
        Diagnosis::EqWithWildcard,
        Diagnosis::EqCaseDiffers,
        Diagnosis::SequenceWithoutJoinKey,
        Diagnosis::MissingEventWithoutMaxspan,
        Diagnosis::MaxspanOverLookback,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Diagnosis::EqWithWildcard => "eq_with_wildcard",
            Diagnosis::EqCaseDiffers => "eq_case_differs",
            Diagnosis::SequenceWithoutJoinKey => "sequence_without_join_key",
            Diagnosis::MissingEventWithoutMaxspan => "missing_event_without_maxspan",
            Diagnosis::MaxspanOverLookback => "maxspan_over_lookback",
        }
    }

    pub fn from_name(name: &str) -> Option<Diagnosis> {
        Diagnosis::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// One diagnosis of one query, with its message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub diagnosis: Diagnosis,
    pub message: String,
    pub message_zh: String,
}

/// The diagnoses of `query` (which must parse), over the events it runs on.
pub fn diagnose(query: &str, events: &Events, lookback_secs: Option<u64>) -> Vec<Finding> {
    let Ok(ast) = eql::parse(query) else { return Vec::new() };
    let mut out = Vec::new();
    let mut comparisons = Vec::new();
    let (terms, by, maxspan): (Vec<&Term>, &[Expr], _) = match &ast.body {
        QueryBody::Event(q) => {
            collect_eq(&q.condition, &mut comparisons);
            (Vec::new(), &[], None)
        }
        QueryBody::Sequence(s) => (s.terms.iter().chain(&s.until).collect(), &s.by, s.maxspan),
        QueryBody::Sample(s) => (s.terms.iter().collect(), &s.by, None),
    };
    for t in &terms {
        collect_eq(&t.query.condition, &mut comparisons);
    }
    // The events are read once, and only when a comparison needs them.
    let parsed = std::cell::OnceCell::new();
    let values = || parsed.get_or_init(|| events.text.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).collect::<Vec<_>>());
    for (op, field, literal) in &comparisons {
        if literal.contains(['*', '?']) {
            out.push(Finding {
                diagnosis: Diagnosis::EqWithWildcard,
                message: format!("`{field} {op} \"{literal}\"` compares literally: `*` and `?` are wildcards only with `:` or `like`."),
                message_zh: format!("`{field} {op} \"{literal}\"` 按字面比较：`*` 和 `?` 只有在 `:` 或 `like` 中才是通配符。"),
            });
        } else if let Some(seen) = other_case(values(), field, literal) {
            out.push(Finding {
                diagnosis: Diagnosis::EqCaseDiffers,
                message: format!("`{op}` is case-sensitive: the events have {field} = \"{seen}\", not \"{literal}\". `:` compares without case."),
                message_zh: format!("`{op}` 区分大小写：事件中是 {field} = \"{seen}\"，不是 \"{literal}\"。`:` 比较时忽略大小写。"),
            });
        }
    }
    if let QueryBody::Sequence(s) = &ast.body {
        if by.is_empty() && s.terms.iter().all(|t| t.by.is_empty()) {
            out.push(Finding {
                diagnosis: Diagnosis::SequenceWithoutJoinKey,
                message: "The sequence has no join key (`by`): any events in this order make a result, even on different hosts or from different processes.".into(),
                message_zh: "这个序列没有连接键（`by`）：只要顺序对，任何事件都能组成结果，即使来自不同主机或不同进程。".into(),
            });
        }
        if s.terms.iter().any(|t| t.missing) && maxspan.is_none() {
            out.push(Finding {
                diagnosis: Diagnosis::MissingEventWithoutMaxspan,
                message: "A missing-event term `![…]` needs `with maxspan`: without a window, \"never happened\" has no end.".into(),
                message_zh: "缺失事件项 `![…]` 需要 `with maxspan`：没有时间窗口，“从未发生”就没有终点。".into(),
            });
        }
        if let (Some(span), Some(lookback)) = (maxspan, lookback_secs) {
            let secs = span.nanos() / 1_000_000_000;
            if secs > 0 && secs as u64 > lookback {
                let written = format!("{}{}", span.value, span.unit.as_str());
                out.push(Finding {
                    diagnosis: Diagnosis::MaxspanOverLookback,
                    message: format!("maxspan={written} is longer than the rule's look-back ({lookback} s): each scheduled run sees only its window, so a sequence that long is never seen whole."),
                    message_zh: format!("maxspan={written} 比规则的回溯时间（{lookback} 秒）还长：每次调度只查看自己的时间窗口，这么长的序列永远不会被完整看到。"),
                });
            }
        }
    }
    out.dedup_by_key(|f| f.diagnosis);
    out
}

/// Case-sensitive comparisons of a field with a string (`==`, `!=`, `in`, `not in`): the
/// operator, the field's dotted name and the string.
fn collect_eq(e: &Expr, out: &mut Vec<(&'static str, String, String)>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Compare(op @ (CmpOp::Eq | CmpOp::Neq), a, b) => match (&a.kind, &b.kind) {
                (ExprKind::Field(f), ExprKind::Literal(Literal::Str(s))) | (ExprKind::Literal(Literal::Str(s)), ExprKind::Field(f)) => {
                    out.push((op.as_str(), f.dotted(), s.clone()))
                }
                _ => {}
            },
            ExprKind::In { expr, list, insensitive: false, negated } => {
                if let ExprKind::Field(f) = &expr.kind {
                    for item in list {
                        if let ExprKind::Literal(Literal::Str(s)) = &item.kind {
                            out.push((if *negated { "not in" } else { "in" }, f.dotted(), s.clone()));
                        }
                    }
                }
            }
            ExprKind::Not(x) | ExprKind::Neg(x) => stack.push(x),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                stack.push(a);
                stack.push(b);
            }
            _ => {}
        }
    }
}

/// A value of `field` that equals `literal` only when case is ignored.
fn other_case(events: &[serde_json::Value], field: &str, literal: &str) -> Option<String> {
    events
        .iter()
        .flat_map(|event| field_values(event, field))
        .filter_map(|v| v.as_str())
        .find(|s| *s != literal && s.eq_ignore_ascii_case(literal))
        .map(str::to_string)
}
