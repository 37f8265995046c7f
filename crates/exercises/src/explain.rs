//! Tier-2 feedback in words: why the learner's query missed a result, or let one through — the
//! engine's own explanation (`eql::explain`), so it cannot disagree with the results.

use crate::events::{Events, Run, MISSING};
use eql::explain::why::{self, Absent, Query};
use eql::explain::{Condition, EndReason, FieldStatus, Outcome};

/// Leaves listed per explanation at most.
const LEAVES: usize = 3;

pub fn why_missed(learner: &Run, events: &Events, missed: &[String], zh: bool) -> String {
    let Ok(bound) = learner.plan.bind(&learner.data) else { return String::new() };
    let indices: Vec<usize> = missed.iter().filter(|n| *n != MISSING).filter_map(|n| events.event_index(&learner.data, n)).collect();
    let q = Query { plan: &learner.plan, bound: &bound, data: &learner.data, text: &learner.query };
    let name = |e: usize| events.name(&learner.data, e);
    match why::absent(&q, &indices) {
        Absent::EventFails { event, failing, terms } => {
            let failing = listed(&failing, zh);
            let name = name(event);
            match (zh, terms > 1) {
                (true, true) => format!("事件 {name} 不满足你查询中的任何一项：{failing}"),
                (true, false) => format!("你的条件对它不成立：{failing}"),
                (false, true) => format!("event {name} matches none of your query's terms: {failing}"),
                (false, false) => format!("your condition does not hold for it: {failing}"),
            }
        }
        Absent::Ended { events: so_far, end } => {
            let start = so_far.iter().map(|&e| name(e)).collect::<Vec<_>>().join(" → ");
            match (end, zh) {
                (EndReason::Replaced { by }, false) => format!("your sequence started at {start}, but event {} started a newer partial for the same key, which replaced it (one partial per key and stage).", name(by)),
                (EndReason::Replaced { by }, true) => format!("你的序列从 {start} 开始，但事件 {} 为同一个键开始了更新的部分序列并替换了它（每个键每个阶段只保留一个）。", name(by)),
                (EndReason::Expired { by }, false) => format!("your sequence started at {start}; event {} came after maxspan had passed.", name(by)),
                (EndReason::Expired { by }, true) => format!("你的序列从 {start} 开始；事件 {} 出现时已超过 maxspan。", name(by)),
                (EndReason::Until { by }, false) => format!("your sequence started at {start}; event {} matched `until` and ended it.", name(by)),
                (EndReason::Until { by }, true) => format!("你的序列从 {start} 开始；事件 {} 满足 `until`，结束了它。", name(by)),
                (EndReason::RejectedByMissingEvent, false) => format!("{start} matched every term, but the event your `![…]` term says must be missing is there."),
                (EndReason::RejectedByMissingEvent, true) => format!("{start} 满足了每一项，但 `![…]` 要求缺失的事件存在。"),
                (EndReason::Pending, false) => format!("your sequence started at {start}, but no later event with the same key matched the next term."),
                (EndReason::Pending, true) => format!("你的序列从 {start} 开始，但之后没有同一个键的事件满足下一项。"),
            }
        }
        Absent::Pending { events: so_far, other_key } => {
            let start = so_far.iter().map(|&e| name(e)).collect::<Vec<_>>().join(" → ");
            match (other_key, zh) {
                (Some((other, diffs)), zh) => {
                    let diffs: Vec<String> = diffs.iter().map(|(f, v)| format!("{f} = {}", v.key_text())).collect();
                    match zh {
                        true => format!("你的序列从 {start} 开始；事件 {} 满足下一项，但连接键不同（{}）。", name(other), diffs.join(", ")),
                        false => format!("your sequence started at {start}; event {} matches the next term but has another join key ({}).", name(other), diffs.join(", ")),
                    }
                }
                (None, true) => format!("你的序列从 {start} 开始，但之后没有同一个键的事件满足下一项。"),
                (None, false) => format!("your sequence started at {start}, but no later event with the same key matched the next term."),
            }
        }
        Absent::NoSequence => match zh {
            true => "它的每个事件都满足你的某一项，但它们没有组成一个序列：检查连接键（by）和事件顺序。".into(),
            false => "each of its events matches one of your terms, but they never form one sequence: check the join keys (`by`) and the order.".into(),
        },
    }
}

pub fn why_unexpected(learner: &Run, events: &Events, extra: &[String], zh: bool) -> String {
    let Ok(bound) = learner.plan.bind(&learner.data) else { return String::new() };
    let q = Query { plan: &learner.plan, bound: &bound, data: &learner.data, text: &learner.query };
    let present: Vec<&String> = extra.iter().filter(|n| *n != MISSING).collect();
    let indices: Vec<usize> = present.iter().filter_map(|n| events.event_index(&learner.data, n)).collect();
    let parts: Vec<String> = why::present(&q, &indices)
        .into_iter()
        .map(|(e, holding)| {
            let holding = listed(&holding, zh);
            match (zh, extra.len() > 1) {
                (_, false) => holding,
                (true, true) => format!("{}：{holding}", events.name(&learner.data, e)),
                (false, true) => format!("{}: {holding}", events.name(&learner.data, e)),
            }
        })
        .collect();
    let lead = match zh {
        true => "你的条件放过了它 —— ",
        false => "your condition lets it through — ",
    };
    format!("{lead}{}", parts.join("; "))
}

/// Up to [`LEAVES`] leaves, with the values they read.
fn listed(leaves: &[Condition], zh: bool) -> String {
    leaves.iter().take(LEAVES).map(|l| leaf(l, zh)).collect::<Vec<_>>().join("; ")
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
