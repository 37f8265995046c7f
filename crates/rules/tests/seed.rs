//! The built-in rule against the page that specifies it, and snapshots of its
//! checklists (the JSON shape is a CLI interface).



use eqlplay_tests::shared_dir;

/// The rule query block of the seed page: from `sequence by` to the next
/// blank line.
fn page_query() -> String {
    let page = shared_dir().join("seed/000_415002fd757c5d93.txt");
    let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("sequence by"))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(!lines.is_empty(), "no query found in {}", page.display());
    lines.join("\n")
}

#[test]
fn seed_query_is_exactly_the_page_query() {
    let rule = rules::seed_rule().expect("seed rule loads");
    assert_eq!(rule.query.trim_end(), page_query());
}

#[test]
fn seed_checklist_snapshots() {
    let rule = rules::seed_rule().expect("seed rule loads");
    insta::assert_json_snapshot!(
        "seed_checklist_en",
        rule.checklist(None).expect("English guide")
    );
    insta::assert_json_snapshot!(
        "seed_checklist_zh_cn",
        rule.checklist(Some("zh-CN")).expect("Chinese guide")
    );
}
