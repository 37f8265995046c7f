//! The rule card: name, severity, risk score, MITRE ATT&CK tactics and techniques (links),
//! tags, index patterns and schedule. (To be completed.)

use crate::i18n::{tr, Lang};
use rules::Rule;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RuleCardProps {
    pub rule: Rc<Rule>,
}

#[function_component(RuleCard)]
pub fn rule_card(props: &RuleCardProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    html! {
        <div class="rule-card" data-testid="rule-card">
            <h2>{ props.rule.name.clone() }</h2>
            <span class="muted">{ tr(lang, "rule") }</span>
        </div>
    }
}
