use super::*;
use crate::model::Transform;

fn md(note: &str) -> Checklist {
    from_markdown(note, &Transform::default())
}

fn texts(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.text.as_str()).collect()
}

#[test]
fn sections_steps_and_nesting() {
    let c = md("## Triage\n\nIntro *text* here.\n\n### Steps\n\n- one\n  - one.a\n    1. deep\n- two\n\n1. first\n2. second\n");
    assert_eq!(c.sections.len(), 2);
    assert_eq!(
        (c.sections[0].title.as_str(), c.sections[0].level),
        ("Triage", 2)
    );
    assert_eq!(c.sections[0].intro.as_deref(), Some("Intro text here."));
    let s = &c.sections[1];
    assert_eq!(texts(&s.steps), ["one", "two", "first", "second"]);
    assert_eq!(texts(&s.steps[0].steps), ["one.a"]);
    assert_eq!(texts(&s.steps[0].steps[0].steps), ["deep"]);
    let ids: Vec<String> = c.steps().into_iter().map(|s| s.id).collect();
    assert_eq!(ids, ["s1.0", "s1.0.0", "s1.0.0.0", "s1.1", "s1.2", "s1.3"]);
    assert_eq!(c.total_steps(), 6);
}

#[test]
fn a_guide_of_paragraphs_only_gives_a_step_per_paragraph() {
    let c = md("## Triage\n\nLook at the parent process.\n\nCheck the `file.path`.\n\n## Response\n\nIsolate the host.\n");
    assert_eq!(c.sections.len(), 2);
    assert_eq!(texts(&c.sections[0].steps), ["Look at the parent process.", "Check the `file.path`."]);
    assert_eq!(texts(&c.sections[1].steps), ["Isolate the host."]);
    assert!(c.sections.iter().all(|s| s.intro.is_none()));
    assert_eq!(c.total_steps(), 3);
    // With a list anywhere, paragraphs stay intros.
    let c = md("## About\n\nWhat the rule finds.\n\n## Steps\n\n- Look.\n");
    assert_eq!(c.sections[0].intro.as_deref(), Some("What the rule finds."));
    assert!(c.sections[0].steps.is_empty());
    assert_eq!(c.total_steps(), 1);
}

#[test]
fn preamble_only_kept_with_steps() {
    let c = md("Just words.\n\n## A\n- x\n");
    assert_eq!(c.sections.len(), 1);
    let c = md("- pre\n\n## A\n- x\n");
    assert_eq!((c.sections[0].title.as_str(), c.sections[0].level), ("", 0));
    assert_eq!(texts(&c.sections[0].steps), ["pre"]);
    // With no headings at all, the preamble is the whole guide (and, with no list, its steps).
    let c = md("Only a paragraph.");
    assert_eq!(texts(&c.sections[0].steps), ["Only a paragraph."]);
}

#[test]
fn inline_code_and_links_kept() {
    let c = md("- Check `process.entity_id` in [the docs](https://www.elastic.co/guide) and <https://example.com>.\n");
    assert_eq!(
        c.sections[0].steps[0].text,
        "Check `process.entity_id` in [the docs](https://www.elastic.co/guide) and [https://example.com](https://example.com)."
    );
}

#[test]
fn javascript_links_become_plain_text() {
    let c = md("- Click [here](javascript:alert(1)) or [there](JAVASCRIPT:x) or [rel](/x) or ![img](data:x)\n");
    let step = &c.sections[0].steps[0];
    assert_eq!(step.text, "Click here or there or rel or img");
    assert!(step
        .segments()
        .iter()
        .all(|s| matches!(s, Segment::Text { .. })));
}

#[test]
fn raw_html_is_literal_text() {
    let payload = "<img src=x onerror=alert(1)>";
    let c = md(&format!("## <script>alert(1)</script>\n\n- look {payload} here\n\n{payload}\n\n<div onclick=\"x()\">\n\nhi\n</div>\n"));
    let s = &c.sections[0];
    assert_eq!(s.title, "<script>alert(1)</script>");
    assert_eq!(s.steps[0].text, format!("look {payload} here"));
    assert_eq!(
        s.steps[0].segments(),
        vec![Segment::Text {
            text: format!("look {payload} here")
        }]
    );
    let intro = s.intro.as_deref().unwrap_or("");
    assert!(intro.contains(payload), "{intro}");
    assert!(intro.contains("<div onclick=\"x()\">"), "{intro}");
}

#[test]
fn code_blocks_and_loose_items_kept() {
    let c =
        md("## S\n\n```sql\nSELECT 1\n```\n\n- a\n\n  second para\n\n  ```\n  ls\n  ```\n- b\n");
    let s = &c.sections[0];
    assert_eq!(s.intro.as_deref(), Some("```\nSELECT 1\n```"));
    assert_eq!(s.steps[0].text, "a\n\nsecond para\n\n```\nls\n```");
    assert_eq!(s.steps[1].text, "b");
}

#[test]
fn osquery_placeholders_attach_to_their_step() {
    let mut t = Transform::default();
    for (l, q) in [
        ("DNS", "SELECT * FROM dns_cache"),
        ("Svc", "SELECT * FROM services"),
    ] {
        t.osquery.push(OsqueryBlock {
            label: l.into(),
            query: q.into(),
            ..Default::default()
        });
    }
    let c = from_markdown("### Steps\n- Look at DNS.\n  - $osquery_0\n- Services: $osquery_1\n- Bad $osquery_2\n\n$osquery_1\n", &t);
    let s = &c.sections[0];
    assert_eq!(s.steps[0].steps[0].text, "");
    assert_eq!(s.steps[0].steps[0].osquery[0].label, "DNS");
    assert_eq!(s.steps[1].text, "Services:");
    assert_eq!(s.steps[1].osquery[0].query, "SELECT * FROM services");
    assert_eq!(s.steps[2].text, "Bad $osquery_2");
    assert_eq!(
        s.steps[3].osquery[0].label, "Svc",
        "a bare paragraph block becomes a step"
    );
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.osquery().len(), 3);
}

#[test]
fn kibana_inline_osquery_is_parsed() {
    let note = "## S\n- Check DNS.\n- !{osquery{\"label\":\"Osquery - DNS\",\"query\":\"SELECT * FROM dns_cache WHERE\\nname LIKE \\\"%x%\\\"\"}}\n";
    let c = md(note);
    let step = &c.sections[0].steps[1];
    assert_eq!(step.text, "");
    assert_eq!(step.osquery[0].label, "Osquery - DNS");
    assert_eq!(
        step.osquery[0].query,
        "SELECT * FROM dns_cache WHERE\nname LIKE \"%x%\""
    );
    assert!(c.warnings.is_empty());
}

#[test]
fn deep_nesting_is_capped() {
    let mut note = String::new();
    for d in 0..40 {
        note.push_str(&"  ".repeat(d));
        note.push_str(&format!("- d{d}\n"));
    }
    let c = md(&note);
    let max = c.steps().iter().map(|s| s.depth).max().unwrap_or(0);
    assert!(max <= MAX_DEPTH, "{max}");
    assert_eq!(c.total_steps(), 40);
}

#[test]
fn no_note_is_an_error() {
    let r = crate::load_rule(r#"{"name":"n","query":"q"}"#).unwrap();
    assert_eq!(build(&r, None), Err(ChecklistError::NoNote));
}

#[test]
fn serialized_shape_omits_empty_lists() {
    let c = md("## S\n- a\n");
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"sections":[{"title":"S","level":2,"steps":[{"text":"a"}]}]})
    );
    let back: Checklist = serde_json::from_value(v).unwrap();
    assert_eq!(back, c);
}
