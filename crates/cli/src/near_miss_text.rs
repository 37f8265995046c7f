//! `eqlplay match --near-misses N`: the sequences that started but never completed, in words,
//! on stderr — so a CI job whose fixture did not match says why.
//!
//! ```text
//! near misses: 5 sequences started and never completed (5 shown)
//!   line 25 (1 of 2 terms), by h1, p1: never completed
//!     line 29 has the same key but does not match term 2
//!     line 28 matches term 2, but with another key: process.entity_id = p2
//! ```

use eql::explain::{EndReason, NearMiss, NearMisses};
use eql::plan::PlanTerm;
use eql::Dataset;
use std::fmt::Write;

pub fn render(report: &NearMisses, terms: &[PlanTerm], data: &Dataset, paths: &[String]) -> String {
    let several = paths.len() > 1;
    let at = |event: usize| {
        let o = data.origin(event);
        match paths.get(o.input as usize) {
            Some(path) if several => format!("{}:{}", crate::input::display_name(path), o.line),
            _ => format!("line {}", o.line),
        }
    };
    // The query's own term numbers (`runs` repeats a term in the plan).
    let term_no = |plan_term: usize| terms.get(plan_term).map_or(plan_term, |t| t.source_term) + 1;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "near misses: {} sequences started and never completed ({} shown)",
        report.total,
        report.near_misses.len()
    );
    for n in &report.near_misses {
        let events: Vec<String> = n.events.iter().map(|&e| at(e)).collect();
        let keys: Vec<String> = n.join_keys.iter().map(|k| k.key_text()).collect();
        let by = if keys.is_empty() { String::new() } else { format!(", by {}", keys.join(", ")) };
        let _ = writeln!(out, "  {} ({} of {} terms){by}: {}", events.join(", "), n.matched, n.stages, ended(n, &at));
        let (Some(w), Some(t)) = (&n.waiting, n.next_term) else { continue };
        let t = term_no(t);
        if let Some(e) = w.earlier_same_key {
            let _ = writeln!(out, "    {} matches term {t} with the same key, but comes earlier", at(e));
        }
        if let Some(e) = w.later_same_key {
            let _ = writeln!(out, "    {} has the same key but does not match term {t}", at(e));
        }
        match &w.later_other_key {
            Some(o) if o.differences.is_empty() => {
                let _ = writeln!(out, "    {} matches term {t}, but has no join key", at(o.event));
            }
            Some(o) => {
                let diffs: Vec<String> = o.differences.iter().map(|(f, v)| format!("{f} = {}", v.key_text())).collect();
                let _ = writeln!(out, "    {} matches term {t}, but with another key: {}", at(o.event), diffs.join(", "));
            }
            None if w.earlier_same_key.is_none() => {
                let _ = writeln!(out, "    no later event matches term {t}");
            }
            None => {}
        }
    }
    out
}

fn ended(n: &NearMiss, at: &dyn Fn(usize) -> String) -> String {
    match n.end {
        EndReason::Pending => "never completed".into(),
        EndReason::Replaced { by } => format!("replaced by a newer partial ({})", at(by)),
        EndReason::Expired { by } => format!("maxspan exceeded ({})", at(by)),
        EndReason::Until { by } => format!("ended by until ({})", at(by)),
        EndReason::RejectedByMissingEvent => "a missing-event term was present".into(),
    }
}
