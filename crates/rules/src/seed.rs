//! The built-in rule the playground opens with (web/rules/seed.toml).

use crate::{load_rule, Rule, RuleError};

pub const SEED_RULE_TOML: &str = include_str!("../../../web/rules/seed.toml");

/// The built-in rule, loaded.
pub fn seed_rule() -> Result<Rule, RuleError> {
    load_rule(SEED_RULE_TOML)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_rule_matches_its_spec() {
        let r = seed_rule().unwrap();
        assert_eq!(r.name, "Remote File Download via Script Interpreter");
        assert_eq!(
            r.rule_id.as_deref(),
            Some("1d276579-3380-4095-ad38-e596a01bc64f")
        );
        assert_eq!(
            (r.rule_type.as_deref(), r.language.as_deref()),
            (Some("eql"), Some("eql"))
        );
        assert_eq!(
            (r.severity.as_deref(), r.risk_score),
            (Some("medium"), Some(47))
        );
        assert_eq!((r.max_signals, r.version), (100, Some(110)));
        assert_eq!(r.index.len(), 4);
        assert_eq!(r.tags.len(), 8);
        assert_eq!(
            r.schedule.as_ref().map(|s| s.additional_lookback.as_str()),
            Some("4m")
        );
        assert!(r
            .query
            .starts_with("sequence by host.id, process.entity_id\n  [network where"));
        assert!(r
            .query
            .trim_end()
            .ends_with(r#"file.extension : ("exe", "dll")]"#));
        let tactics: Vec<_> = r.threat.iter().map(|t| t.tactic.id.as_str()).collect();
        assert_eq!(tactics, ["TA0011", "TA0002"]);
        assert_eq!(
            r.technique_ids(),
            ["T1105", "T1059", "T1059.005", "T1059.007"]
        );
        assert_eq!(r.transform.osquery.len(), 4);
    }

    #[test]
    fn seed_guide_in_both_languages() {
        let r = seed_rule().unwrap();
        assert_eq!(r.note_languages().collect::<Vec<_>>(), ["zh-CN"]);
        for lang in [None, Some("en"), Some("zh-CN")] {
            let c = r.checklist(lang).unwrap();
            assert!(
                c.sections.len() >= 4,
                "{lang:?}: {} sections",
                c.sections.len()
            );
            assert!(c.warnings.is_empty(), "{lang:?}: {:?}", c.warnings);
            let labels: Vec<_> = c.osquery().iter().map(|o| o.label.as_str()).collect();
            assert_eq!(labels.len(), 4, "{lang:?}");
            assert_eq!(labels[0], "Osquery - Retrieve DNS Cache");
            // The four titled parts of the guide, in order.
            let with_steps = c.sections.iter().filter(|s| !s.steps.is_empty()).count();
            assert_eq!(with_steps, 3, "{lang:?}");
        }
        let en = r.checklist(None).unwrap();
        let zh = r.checklist(Some("zh-CN")).unwrap();
        assert_eq!(
            en.total_steps(),
            zh.total_steps(),
            "translations have the same steps"
        );
        let ids = |c: &crate::Checklist| c.steps().into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids(&en), ids(&zh), "step ids line up across languages");
        assert!(zh.sections[0].title.contains("分类"));
    }
}
