//! `eqlplay rule` as text: the rule's metadata, then its investigation checklist.

use rules::{Checklist, Rule, Step};
use std::fmt::Write;

pub fn render(rule: &Rule, checklist: Option<&Checklist>) -> String {
    let mut out = String::new();
    metadata(&mut out, rule);
    mitre(&mut out, rule);
    let _ = writeln!(out, "\nQuery");
    indented(&mut out, rule.query.trim_end(), "  ");
    let _ = writeln!(out, "\nInvestigation checklist");
    match checklist {
        Some(c) if !c.is_empty() => sections(&mut out, c),
        _ => {
            let _ = writeln!(out, "  (the rule has no investigation guide)");
        }
    }
    out
}

fn metadata(out: &mut String, rule: &Rule) {
    let _ = writeln!(out, "{}", rule.name);
    let mut row = |key: &str, value: String| {
        let _ = writeln!(out, "  {:<14}{value}", format!("{key}:"));
    };
    row(
        "rule id",
        rule.rule_id.clone().unwrap_or_else(|| "-".into()),
    );
    let severity = rule.severity.clone().unwrap_or_else(|| "-".into());
    row(
        "severity",
        match rule.risk_score {
            Some(r) => format!("{severity} (risk score {r})"),
            None => severity,
        },
    );
    let kind = match (&rule.rule_type, &rule.language) {
        (Some(t), Some(l)) => format!("{t} (language {l})"),
        (Some(t), None) => t.clone(),
        (None, Some(l)) => format!("language {l}"),
        (None, None) => "-".into(),
    };
    row("type", kind);
    row(
        "schedule",
        match &rule.schedule {
            Some(s) => format!(
                "every {}, from {} (additional look-back {})",
                s.interval, s.from, s.additional_lookback
            ),
            None => format!(
                "every {}, from {} (not understood)",
                rule.interval.as_deref().unwrap_or("-"),
                rule.from.as_deref().unwrap_or("-")
            ),
        },
    );
    row("max signals", rule.max_signals.to_string());
    row("index", list(&rule.index));
    row("tags", list(&rule.tags));
}

fn list(items: &[String]) -> String {
    match items.is_empty() {
        true => "-".into(),
        false => items.join(", "),
    }
}

fn mitre(out: &mut String, rule: &Rule) {
    if rule.threat.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nMITRE ATT&CK");
    for t in &rule.threat {
        let _ = writeln!(out, "  {} {}", t.tactic.id, t.tactic.name);
        for tech in &t.technique {
            let _ = writeln!(out, "    {} {}", tech.id, tech.name);
            for sub in &tech.subtechnique {
                let _ = writeln!(out, "      {} {}", sub.id, sub.name);
            }
        }
    }
}

fn sections(out: &mut String, c: &Checklist) {
    for section in &c.sections {
        if !section.title.is_empty() {
            let hashes = "#".repeat(usize::from(section.level.max(1)));
            let _ = writeln!(out, "\n{hashes} {}", section.title);
        }
        steps(out, &section.steps, "  ");
    }
}

fn steps(out: &mut String, list: &[Step], indent: &str) {
    for (i, step) in list.iter().enumerate() {
        let number = format!("{}. ", i + 1);
        let inner = format!("{indent}{}", " ".repeat(number.chars().count()));
        // The first line carries the number: the step's text, or its first block when it
        // has no text of its own (a list item holding only `$osquery_N`).
        let mut first = Some(format!("{indent}{number}"));
        let mut lead = || first.take().unwrap_or_else(|| inner.clone());
        if !step.text.trim().is_empty() {
            let mut lines = step.text.lines();
            let head = lead();
            let _ = writeln!(out, "{head}{}", lines.next().unwrap_or(""));
            for line in lines {
                let _ = writeln!(out, "{inner}{line}");
            }
        }
        for o in &step.osquery {
            let head = lead();
            let _ = writeln!(out, "{head}[osquery] {}", o.label);
            indented(out, o.query.trim(), &format!("{inner}    "));
        }
        for t in &step.investigate {
            let head = lead();
            let _ = writeln!(out, "{head}[timeline] {}", t.label);
        }
        if first.is_some() {
            let _ = writeln!(out, "{indent}{}", number.trim_end());
        }
        steps(out, &step.steps, &inner);
    }
}

fn indented(out: &mut String, text: &str, indent: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "{indent}{}", line.trim_end());
    }
}
