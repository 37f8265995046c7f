//! A rule as the playground page holds it: the rule, and its guide's checklist in each of the
//! page's languages, built where the rule was read. The page itself then needs neither a TOML
//! reader nor a Markdown parser (they load on demand, in a module of their own).

use crate::checklist::Checklist;
use crate::model::Rule;

/// Travels between modules as [`answer`](RuleBundle::answer) bytes (see `wire`).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleBundle {
    pub rule: Rule,
    /// (language code, its checklist or why there is none), in the order asked for.
    pub checklists: Vec<(String, Result<Checklist, String>)>,
}

impl RuleBundle {
    /// Builds the checklists of `rule` in each of `languages`.
    #[cfg(feature = "guide")]
    pub fn new(rule: Rule, languages: &[&str]) -> RuleBundle {
        let checklists = languages
            .iter()
            .map(|lang| (lang.to_string(), rule.checklist(Some(lang)).map_err(|e| e.to_string())))
            .collect();
        RuleBundle { rule, checklists }
    }

    /// The checklist in `lang` (the first language's when `lang` was not built).
    pub fn checklist(&self, lang: &str) -> Result<&Checklist, &str> {
        let found = self.checklists.iter().find(|(l, _)| l == lang).or(self.checklists.first());
        match found {
            Some((_, Ok(c))) => Ok(c),
            Some((_, Err(e))) => Err(e),
            None => Err("no checklist was built"),
        }
    }

    /// What the rule reader answers for a rule file: the bundle of its first EQL rule with
    /// checklists in `languages`, or why there is none (encoded by `wire`).
    #[cfg(all(feature = "read", feature = "guide"))]
    pub fn answer(text: &str, languages: &[&str]) -> Vec<u8> {
        crate::wire::encode(crate::first_eql_rule(text).map(|rule| RuleBundle::new(rule, languages)))
    }

    /// The answer for one rule of a pack: its bundle with checklists in `languages`.
    #[cfg(all(feature = "read", feature = "guide"))]
    pub fn answer_for(rule: Rule, languages: &[&str]) -> Vec<u8> {
        crate::wire::encode(Ok(RuleBundle::new(rule, languages)))
    }

    /// An answer that says why there is no bundle.
    #[cfg(all(feature = "read", feature = "guide"))]
    pub fn refusal(why: &str) -> Vec<u8> {
        crate::wire::encode(Err(why.to_string()))
    }

    /// Reads an [`answer`](RuleBundle::answer).
    pub fn from_answer(bytes: &[u8]) -> Result<RuleBundle, String> {
        crate::wire::decode(bytes).map_err(|e| format!("the rule reader's answer is unreadable: {e}"))?
    }
}

#[cfg(all(test, feature = "read", feature = "guide"))]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_travels_whole_and_keeps_every_language() {
        let bundle = RuleBundle::new(crate::seed_rule().expect("seed"), &["en", "zh-CN"]);
        let back = RuleBundle::from_answer(&RuleBundle::answer(crate::SEED_RULE_TOML, &["en", "zh-CN"])).expect("reads back");
        assert_eq!(back, bundle);
        assert!(back.rule.schedule.is_some(), "the schedule is derived again");
        let en = back.checklist("en").expect("English");
        let zh = back.checklist("zh-CN").expect("Chinese");
        assert_ne!(en.sections[0].title, zh.sections[0].title);
        assert_eq!(back.checklist("fr").expect("falls back").sections[0].title, en.sections[0].title);
    }

    #[test]
    fn a_file_without_an_eql_rule_answers_why() {
        let answer = RuleBundle::answer("[rule]\nname = \"x\"\ntype = \"query\"\nquery = \"a:b\"\n", &["en"]);
        assert_eq!(RuleBundle::from_answer(&answer), Err("the file holds no EQL rule".to_string()));
        let answer = RuleBundle::answer("[rule\n", &["en"]);
        assert!(RuleBundle::from_answer(&answer).is_err_and(|e| e.starts_with("line 1")), "{:?}", RuleBundle::from_answer(&answer));
    }

    #[test]
    fn a_rule_without_a_guide_says_so() {
        let rule = crate::load_rule(r#"{"name":"x","query":"any where true"}"#).expect("rule");
        let bundle = RuleBundle::new(rule, &["en"]);
        assert!(bundle.checklist("en").is_err());
    }
}
