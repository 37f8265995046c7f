//! Tier-2 feedback in words: why the learner's query missed a result, or let one through — the
//! engine's own explanation (`eql::explain`), so it cannot disagree with the results, worded as
//! everywhere else (`eql::explain::words`).

use crate::events::{Events, Run, MISSING};
use eql::explain::why::{self, Query};
use eql::explain::words::{self, Language};

fn language(zh: bool) -> Language {
    if zh {
        Language::Chinese
    } else {
        Language::English
    }
}

pub fn why_missed(learner: &Run, events: &Events, missed: &[String], zh: bool) -> String {
    let Ok(bound) = learner.plan.bind(&learner.data) else { return String::new() };
    let indices: Vec<usize> = missed.iter().filter(|n| *n != MISSING).filter_map(|n| events.event_index(&learner.data, n)).collect();
    let q = Query { plan: &learner.plan, bound: &bound, data: &learner.data, text: &learner.query };
    let name = |e: usize| match zh {
        true => format!("事件 {}", events.name(&learner.data, e)),
        false => format!("event {}", events.name(&learner.data, e)),
    };
    words::absent(&why::absent(&q, &indices), &name, language(zh))
}

pub fn why_unexpected(learner: &Run, events: &Events, extra: &[String], zh: bool) -> String {
    let Ok(bound) = learner.plan.bind(&learner.data) else { return String::new() };
    let q = Query { plan: &learner.plan, bound: &bound, data: &learner.data, text: &learner.query };
    let indices: Vec<usize> = extra.iter().filter(|n| *n != MISSING).filter_map(|n| events.event_index(&learner.data, n)).collect();
    let name = |e: usize| events.name(&learner.data, e);
    let lead = match zh {
        true => "你的条件放过了它 —— ",
        false => "your condition lets it through — ",
    };
    format!("{lead}{}", words::present(&why::present(&q, &indices), &name, language(zh)))
}
