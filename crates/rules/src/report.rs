//! A Markdown triage report: the rule, the alert under triage, and every step
//! of the checklist with its state and the analyst's notes. All text that
//! came from a rule, an alert or an analyst is escaped (see `mdescape`).

use crate::checklist::{Checklist, Step};
use crate::mdescape::{code, inline, line_start, step_text};
use crate::model::Rule;
use crate::state::ChecklistState;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The alert being triaged: a title and its key fields, in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertSummary {
    pub title: String,
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

/// Renders the report. `state` ids must come from the same `checklist`.
pub fn markdown(
    rule: &Rule,
    checklist: &Checklist,
    state: &ChecklistState,
    alert: Option<&AlertSummary>,
) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(out, "# Triage report: {}\n", inline(&rule.name));
    if let Some(id) = &rule.rule_id {
        let _ = writeln!(out, "- **Rule ID:** {}", code(id));
    }
    if let Some(sev) = &rule.severity {
        let _ = writeln!(out, "- **Severity:** {}", inline(sev));
    }
    if let Some(risk) = rule.risk_score {
        let _ = writeln!(out, "- **Risk score:** {risk}");
    }
    let progress = state.progress(checklist);
    let _ = writeln!(out, "- **Progress:** {progress} steps done");

    if let Some(alert) = alert {
        let title = if alert.title.trim().is_empty() {
            "Alert"
        } else {
            alert.title.as_str()
        };
        let _ = writeln!(out, "\n## Alert: {}\n", inline(title));
        for (field, value) in &alert.fields {
            let _ = writeln!(out, "- {}: {}", code(field), code(value));
        }
    }

    for (si, section) in checklist.sections.iter().enumerate() {
        let title = if section.title.trim().is_empty() {
            "Checklist"
        } else {
            section.title.as_str()
        };
        let _ = writeln!(out, "\n## {}\n", inline(title));
        if section.steps.is_empty() {
            let _ = writeln!(out, "_No steps._");
        }
        let mut path = Vec::new();
        steps(&mut out, &section.steps, si, &mut path, state);
    }
    out
}

// Recursion depth is bounded by the checklist builder's MAX_DEPTH.
fn steps(
    out: &mut String,
    list: &[Step],
    section: usize,
    path: &mut Vec<usize>,
    state: &ChecklistState,
) {
    for (i, step) in list.iter().enumerate() {
        path.push(i);
        let id = crate::checklist::step_id(section, path);
        let indent = "  ".repeat(path.len() - 1);
        let mark = if state.is_done(&id) { "x" } else { " " };
        // A step that is only an Osquery block is named after its label.
        let label_only = step.text.trim().is_empty() && !step.osquery.is_empty();
        let text = match label_only {
            true => format!("Osquery: {}", inline(&step.osquery[0].label)),
            false => step_text(&step.text),
        };
        let _ = writeln!(out, "{indent}- [{mark}] {text}");
        for (bi, o) in step.osquery.iter().enumerate() {
            let _ = match label_only && bi == 0 {
                true => writeln!(out, "{indent}  - Query: {}", code(&o.query)),
                false => writeln!(
                    out,
                    "{indent}  - Osquery: {}: {}",
                    inline(&o.label),
                    code(&o.query)
                ),
            };
        }
        for t in &step.investigate {
            let _ = writeln!(out, "{indent}  - Timeline: {}", inline(&t.label));
        }
        let note = state.note(&id);
        if !note.trim().is_empty() {
            let _ = writeln!(out, "{indent}  - Note:");
            for line in note.trim().lines() {
                let _ = writeln!(out, "{indent}    > {}", line_start(line));
            }
        }
        steps(out, &step.steps, section, path, state);
        path.pop();
    }
}

#[cfg(all(test, feature = "read", feature = "guide"))]
mod tests {
    use super::*;
    use crate::load_rule;

    fn rule() -> Rule {
        load_rule(
            r###"{"name":"Evil <b>rule</b>","query":"q","rule_id":"id-1","severity":"high","risk_score":73,
                "note":"## Investigate\n- Check `x` [docs](https://e.com)\n  - nested <img src=x onerror=alert(1)>\n## Respond\n- Isolate\n  - !{osquery{\"label\":\"Procs\",\"query\":\"SELECT *\\nFROM processes\"}}"}"###,
        )
        .unwrap()
    }

    #[test]
    fn renders_rule_alert_steps_and_notes() {
        let r = rule();
        let c = r.checklist(None).unwrap();
        let mut st = ChecklistState::default();
        st.set_done("s0.0", true);
        st.set_note("s0.0.0", "saw `cmd.exe`\n# not a heading\n- not a list");
        let alert = AlertSummary {
            title: "Alert on host-1".into(),
            fields: vec![
                ("host.name".into(), "host-1".into()),
                ("process.name".into(), "wscript`.exe".into()),
            ],
        };
        let md = markdown(&r, &c, &st, Some(&alert));
        let expected = "\
# Triage report: Evil \\<b\\>rule\\</b\\>

- **Rule ID:** `id-1`
- **Severity:** high
- **Risk score:** 73
- **Progress:** 1 of 4 steps done

## Alert: Alert on host-1

- `host.name`: `host-1`
- `process.name`: ``wscript`.exe``

## Investigate

- [x] Check `x` [docs](https://e.com)
  - [ ] nested \\<img src=x onerror=alert(1)\\>
    - Note:
      > saw \\`cmd.exe\\`
      > \\# not a heading
      > \\- not a list

## Respond

- [ ] Isolate
  - [ ] Osquery: Procs
    - Query: `SELECT * FROM processes`
";
        assert_eq!(md, expected);
    }
}
