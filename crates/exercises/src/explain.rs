//! Tier-2 feedback in words: why the learner's query missed a result, or let one through — the
//! engine's own explanation (`eql::explain`), so it cannot disagree with the results.

use crate::events::{Events, Run, MISSING};
use eql::explain::{explain_event, near_misses, Condition, ConditionKind, EndReason, FieldStatus, Outcome, TermExplanation};
use eql::plan::Bound;

/// Leaves listed per explanation at most.
const LEAVES: usize = 3;

pub fn why_missed(learner: &Run, events: &Events, missed: &[String], zh: bool) -> String {
    let Ok(bound) = learner.plan.bind(&learner.data) else { return String::new() };
    let indices: Vec<usize> = missed.iter().filter(|n| *n != MISSING).filter_map(|n| events.event_index(&learner.data, n)).collect();
    for (&e, name) in indices.iter().zip(missed.iter().filter(|n| *n != MISSING)) {
        let explained: Vec<TermExplanation> = (0..bound.filters.len()).filter_map(|t| explain(learner, &bound, e, t)).collect();
        if explained.iter().any(|x| x.verdict) {
            continue;
        }
        // The term at the same place in the sequence says most; an event query has one.
        let position = missed.iter().position(|n| n == name).unwrap_or(0).min(explained.len().saturating_sub(1));
        let failing = explained.get(position).map(|x| failing_leaves(&x.condition, zh)).unwrap_or_default();
        return match (zh, explained.len() > 1) {
            (true, true) => format!("事件 {name} 不满足你查询中的任何一项：{failing}"),
            (true, false) => format!("你的条件对它不成立：{failing}"),
            (false, true) => format!("event {name} matches none of your query's terms: {failing}"),
            (false, false) => format!("your condition does not hold for it: {failing}"),
        };
    }
    // Every event matches a term: the sequence itself broke (keys, order, time, until).
    let first = indices.first().copied();
    let report = near_misses(&learner.plan, &bound, &learner.data, usize::MAX);
    let name = |e: usize| events.name(&learner.data, e);
    if let Some(n) = report.near_misses.iter().find(|n| first.is_some_and(|f| n.events.first() == Some(&f))) {
        let so_far: Vec<String> = n.events.iter().map(|&e| name(e)).collect();
        let start = so_far.join(" → ");
        return match (n.end, zh) {
            (EndReason::Replaced { by }, false) => format!("your sequence started at {start}, but event {} started a newer partial for the same key, which replaced it (one partial per key and stage).", name(by)),
            (EndReason::Replaced { by }, true) => format!("你的序列从 {start} 开始，但事件 {} 为同一个键开始了更新的部分序列并替换了它（每个键每个阶段只保留一个）。", name(by)),
            (EndReason::Expired { by }, false) => format!("your sequence started at {start}; event {} came after maxspan had passed.", name(by)),
            (EndReason::Expired { by }, true) => format!("你的序列从 {start} 开始；事件 {} 出现时已超过 maxspan。", name(by)),
            (EndReason::Until { by }, false) => format!("your sequence started at {start}; event {} matched `until` and ended it.", name(by)),
            (EndReason::Until { by }, true) => format!("你的序列从 {start} 开始；事件 {} 满足 `until`，结束了它。", name(by)),
            (EndReason::RejectedByMissingEvent, false) => format!("{start} matched every term, but the event your `![…]` term says must be missing is there."),
            (EndReason::RejectedByMissingEvent, true) => format!("{start} 满足了每一项，但 `![…]` 要求缺失的事件存在。"),
            (EndReason::Pending, _) => pending(n, &learner.data, events, zh),
        };
    }
    match zh {
        true => "它的每个事件都满足你的某一项，但它们没有组成一个序列：检查连接键（by）和事件顺序。".into(),
        false => "each of its events matches one of your terms, but they never form one sequence: check the join keys (`by`) and the order.".into(),
    }
}

fn pending(n: &eql::explain::NearMiss, data: &eql::Dataset, events: &Events, zh: bool) -> String {
    let name = |e: usize| events.name(data, e);
    let start: Vec<String> = n.events.iter().map(|&e| name(e)).collect();
    let start = start.join(" → ");
    if let Some(other) = n.waiting.as_ref().and_then(|w| w.later_other_key.as_ref()) {
        let diffs: Vec<String> = other.differences.iter().map(|(f, v)| format!("{f} = {}", v.key_text())).collect();
        return match zh {
            true => format!("你的序列从 {start} 开始；事件 {} 满足下一项，但连接键不同（{}）。", name(other.event), diffs.join(", ")),
            false => format!("your sequence started at {start}; event {} matches the next term but has another join key ({}).", name(other.event), diffs.join(", ")),
        };
    }
    match zh {
        true => format!("你的序列从 {start} 开始，但之后没有同一个键的事件满足下一项。"),
        false => format!("your sequence started at {start}, but no later event with the same key matched the next term."),
    }
}

pub fn why_unexpected(learner: &Run, events: &Events, extra: &[String], zh: bool) -> String {
    let Ok(bound) = learner.plan.bind(&learner.data) else { return String::new() };
    let mut parts = Vec::new();
    for (position, name) in extra.iter().enumerate() {
        if name == MISSING {
            continue;
        }
        let Some(e) = events.event_index(&learner.data, name) else { continue };
        let term = position.min(bound.filters.len().saturating_sub(1));
        if let Some(x) = explain(learner, &bound, e, term).filter(|x| x.verdict) {
            parts.push(match (zh, extra.len() > 1) {
                (_, false) => holding_leaves(&x.condition, zh),
                (true, true) => format!("{name}：{}", holding_leaves(&x.condition, zh)),
                (false, true) => format!("{name}: {}", holding_leaves(&x.condition, zh)),
            });
        }
    }
    let lead = match zh {
        true => "你的条件放过了它 —— ",
        false => "your condition lets it through — ",
    };
    format!("{lead}{}", parts.join("; "))
}

fn explain(run: &Run, bound: &Bound, event: usize, term: usize) -> Option<TermExplanation> {
    explain_event(&run.plan, bound, &run.data, &run.query, event, term)
}

/// The leaves that made a term false, with the values they read.
fn failing_leaves(c: &Condition, zh: bool) -> String {
    let leaves: Vec<String> = c.leaves().into_iter().filter(|l| l.outcome != Outcome::True).take(LEAVES).map(|l| leaf(l, zh)).collect();
    leaves.join("; ")
}

/// The leaves that held, with the values they read (the event category goes without saying).
fn holding_leaves(c: &Condition, zh: bool) -> String {
    let leaves: Vec<String> = c
        .leaves()
        .into_iter()
        .filter(|l| l.outcome == Outcome::True && l.kind != ConditionKind::Category)
        .take(LEAVES)
        .map(|l| leaf(l, zh))
        .collect();
    leaves.join("; ")
}

fn leaf(l: &Condition, zh: bool) -> String {
    let outcome = match (l.outcome, zh) {
        (Outcome::True, false) => "holds",
        (Outcome::True, true) => "成立",
        (Outcome::False, false) => "is false",
        (Outcome::False, true) => "不成立",
        (Outcome::Null, false) => "is null",
        (Outcome::Null, true) => "为 null",
        (Outcome::FieldMissing, false) => "reads a missing field",
        (Outcome::FieldMissing, true) => "读取的字段不存在",
    };
    let fields: Vec<String> = l
        .fields
        .iter()
        .map(|f| match (f.status, zh) {
            (FieldStatus::Present, _) => {
                let values: Vec<String> = f.values.iter().map(|v| serde_json::to_string(v).unwrap_or_default()).collect();
                format!("{} = {}", f.field, values.join(", "))
            }
            (_, false) => format!("{} is missing", f.field),
            (_, true) => format!("{} 不存在", f.field),
        })
        .collect();
    match fields.is_empty() {
        true => format!("`{}` {outcome}", l.text),
        false => format!("`{}` {outcome} ({})", l.text, fields.join(", ")),
    }
}
