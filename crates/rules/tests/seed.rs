//! Snapshots of the built-in rule's checklists (the JSON shape is a CLI interface). That its
//! query is the seed page's is checked in `tests/corpus` (it reads the reference data).

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
