//! The reasons of [`why`](super::why) in words, in English or Chinese: the exercises' feedback,
//! `eqlplay diff` and the page's comparison say the same reason the same way. Events are named
//! by the caller (`line 14`, `event 12`, an id), each name already in the caller's language.

use super::why::Absent;
use super::{Condition, EndReason, FieldStatus, Outcome};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    English,
    Chinese,
}

/// Leaves listed per reason at most.
const LEAVES: usize = 3;

/// Why the query has no result of those events, in one sentence.
pub fn absent(reason: &Absent, name: &dyn Fn(usize) -> String, lang: Language) -> String {
    let zh = lang == Language::Chinese;
    let chain = |events: &[usize]| events.iter().map(|&e| name(e)).collect::<Vec<_>>().join(" → ");
    match reason {
        Absent::EventFails { event, failing, terms } => {
            let (event, failing) = (name(*event), leaves(failing, lang));
            match (zh, *terms > 1) {
                (true, true) => format!("{event} 不满足查询中的任何一项：{failing}"),
                (true, false) => format!("条件对 {event} 不成立：{failing}"),
                (false, true) => format!("{event} matches none of the query's terms: {failing}"),
                (false, false) => format!("the condition does not hold for {event}: {failing}"),
            }
        }
        Absent::Ended { events, end } => {
            let start = chain(events);
            match (end, zh) {
                (EndReason::Replaced { by }, false) => format!("the sequence started at {start}, but {} started a newer partial for the same key, which replaced it (one partial per key and stage).", name(*by)),
                (EndReason::Replaced { by }, true) => format!("序列从 {start} 开始，但 {} 为同一个键开始了更新的部分序列并替换了它（每个键每个阶段只保留一个）。", name(*by)),
                (EndReason::Expired { by }, false) => format!("the sequence started at {start}; {} came after maxspan had passed.", name(*by)),
                (EndReason::Expired { by }, true) => format!("序列从 {start} 开始；{} 出现时已超过 maxspan。", name(*by)),
                (EndReason::Until { by }, false) => format!("the sequence started at {start}; {} matched `until` and ended it.", name(*by)),
                (EndReason::Until { by }, true) => format!("序列从 {start} 开始；{} 满足 `until`，结束了它。", name(*by)),
                (EndReason::RejectedByMissingEvent, false) => format!("{start} matched every term, but the event a `![…]` term says must be missing is there."),
                (EndReason::RejectedByMissingEvent, true) => format!("{start} 满足了每一项，但 `![…]` 要求缺失的事件存在。"),
                (EndReason::Pending, _) => pending(&start, zh),
            }
        }
        Absent::Pending { events, other_key: Some((other, diffs)) } => {
            let start = chain(events);
            let diffs: Vec<String> = diffs.iter().map(|(f, v)| format!("{f} = {}", v.key_text())).collect();
            match zh {
                true => format!("序列从 {start} 开始；{} 满足下一项，但连接键不同（{}）。", name(*other), diffs.join(", ")),
                false => format!("the sequence started at {start}; {} matches the next term but has another join key ({}).", name(*other), diffs.join(", ")),
            }
        }
        Absent::Pending { events, other_key: None } => pending(&chain(events), zh),
        Absent::NoSequence => match zh {
            true => "它的每个事件都满足某一项，但它们没有组成一个序列：检查连接键（by）和事件顺序。".into(),
            false => "each of its events matches a term, but they never form one sequence: check the join keys (`by`) and the order.".into(),
        },
    }
}

fn pending(start: &str, zh: bool) -> String {
    match zh {
        true => format!("序列从 {start} 开始，但之后没有同一个键的事件满足下一项。"),
        false => format!("the sequence started at {start}, but no later event with the same key matched the next term."),
    }
}

/// What let a result through: for each event, the leaves that held (`present`'s answer).
pub fn present(held: &[(usize, Vec<Condition>)], name: &dyn Fn(usize) -> String, lang: Language) -> String {
    let separator = if lang == Language::Chinese { "：" } else { ": " };
    held.iter().map(|(e, list)| format!("{}{separator}{}", name(*e), leaves(list, lang))).collect::<Vec<_>>().join("; ")
}

/// Up to three leaves, each with its outcome and the values it read:
/// `` `process.name == "x"` is false (process.name = "y") ``.
pub fn leaves(list: &[Condition], lang: Language) -> String {
    list.iter().take(LEAVES).map(|l| leaf(l, lang == Language::Chinese)).collect::<Vec<_>>().join("; ")
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
