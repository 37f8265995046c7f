//! The built-in rule's query is exactly the one on the page that specifies it.

/// The rule query block of the seed page: from `sequence by` to the next blank line.
fn page_query() -> String {
    let page = eqlplay_tests::shared_dir().join("seed/000_415002fd757c5d93.txt");
    let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let lines: Vec<&str> =
        text.lines().skip_while(|l| !l.starts_with("sequence by")).take_while(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "no query found in {}", page.display());
    lines.join("\n")
}

#[test]
#[cfg_attr(eqlplay_no_shared, ignore = "reference data not found: set EQLPLAY_SHARED")]
fn seed_query_is_exactly_the_page_query() {
    let rule = rules::seed_rule().expect("seed rule loads");
    assert_eq!(rule.query.trim_end(), page_query());
}
