//! The rule card: name, severity, risk score, MITRE ATT&CK tactics and techniques (links),
//! tags, index patterns, schedule and max alerts. Everything from the rule is untrusted and
//! drawn as text; references become links only when they are http(s).

use super::checklist::external_link;
use crate::i18n::{tr, Lang};
use rules::{Rule, RuleBundle, Threat};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RuleCardProps {
    pub rule: Rc<RuleBundle>,
}

#[function_component(RuleCard)]
pub fn rule_card(props: &RuleCardProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    card(lang, &props.rule.rule)
}

/// The card's markup (a plain function, so tests can inspect it).
pub(crate) fn card(lang: Lang, rule: &Rule) -> Html {
    html! {
        <div class="rule-card" data-testid="rule-card">
            <h2 data-testid="rule-name">{ rule.name.clone() }</h2>
            <div class="rule-badges">
                if let Some(severity) = &rule.severity {
                    <span class={classes!("sev", severity_class(severity))} data-testid="rule-severity"
                        title={tr(lang, "severity")}>{ severity.clone() }</span>
                }
                if let Some(risk) = rule.risk_score {
                    <span class="risk" data-testid="rule-risk">
                        <span class="muted">{ tr(lang, "risk_score") }</span>{ " " }<strong>{ risk.to_string() }</strong>
                    </span>
                }
                <span class="max-alerts">
                    <span class="muted">{ tr(lang, "max_alerts") }</span>{ " " }<strong>{ rule.max_signals.to_string() }</strong>
                </span>
            </div>
            <dl class="rule-meta">
                if !rule.threat.is_empty() {
                    <dt>{ tr(lang, "mitre") }</dt>
                    <dd><ul class="mitre" data-testid="rule-mitre">{ for rule.threat.iter().map(threat) }</ul></dd>
                }
                if !rule.tags.is_empty() {
                    <dt>{ tr(lang, "tags") }</dt>
                    <dd class="chips">{ for rule.tags.iter().map(|t| html! { <span class="chip">{ t.clone() }</span> }) }</dd>
                }
                if !rule.index.is_empty() {
                    <dt>{ tr(lang, "indices") }</dt>
                    <dd class="chips">{ for rule.index.iter().map(|i| html! { <code class="chip index">{ i.clone() }</code> }) }</dd>
                }
                <dt>{ tr(lang, "schedule") }</dt>
                <dd data-testid="rule-schedule">{ schedule(lang, rule) }</dd>
            </dl>
        </div>
    }
}

/// A CSS class for the known severities only (the value itself is never used as a class).
fn severity_class(severity: &str) -> &'static str {
    match severity.trim().to_ascii_lowercase().as_str() {
        "low" => "sev-low",
        "medium" => "sev-medium",
        "high" => "sev-high",
        "critical" => "sev-critical",
        _ => "sev-other",
    }
}

/// "TA0011 Command and Control" with the id as a link when the reference is a web address.
fn entry(id: &str, name: &str, reference: &str) -> Html {
    html! {
        <>
            { external_link(reference, id, "attack-id") }
            if !name.is_empty() {
                { " " }<span class="attack-name">{ name.to_string() }</span>
            }
        </>
    }
}

fn threat(t: &Threat) -> Html {
    html! {
        <li class="tactic">
            { entry(&t.tactic.id, &t.tactic.name, &t.tactic.reference) }
            if !t.technique.is_empty() {
                <ul>
                    { for t.technique.iter().map(|tech| html! {
                        <li class="technique">
                            { entry(&tech.id, &tech.name, &tech.reference) }
                            if !tech.subtechnique.is_empty() {
                                <ul>
                                    { for tech.subtechnique.iter().map(|s| html! {
                                        <li class="subtechnique">{ entry(&s.id, &s.name, &s.reference) }</li>
                                    }) }
                                </ul>
                            }
                        </li>
                    }) }
                </ul>
            }
        </li>
    }
}

fn schedule(lang: Lang, rule: &Rule) -> Html {
    match &rule.schedule {
        Some(s) => html! {
            <span class="schedule">
                { format!("{} {} · {} {}", tr(lang, "runs_every"), s.interval, tr(lang, "from"), s.from) }
                if s.additional_lookback_secs > 0 {
                    { format!(" · {} {}", tr(lang, "additional_lookback"), s.additional_lookback) }
                }
            </span>
        },
        // Values we could not read are still shown as written.
        None => html! {
            <span class="schedule">
                { format!("{} {} · {} {}", tr(lang, "runs_every"),
                    rule.interval.as_deref().unwrap_or("?"), tr(lang, "from"), rule.from.as_deref().unwrap_or("?")) }
            </span>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::checklist::tests::{attrs, texts};

    #[test]
    fn links_only_web_references_and_keeps_text_as_text() {
        let rule = rules::load_rule(
            r#"{"name":"<img src=x onerror=\"window.__xss=1\">","query":"q","severity":"<b>high</b>",
                "tags":["<script>x</script>"],
                "threat":[{"framework":"MITRE ATT&CK",
                  "tactic":{"id":"TA0002","name":"Execution","reference":"javascript:alert(1)"},
                  "technique":[{"id":"T1059","name":"x","reference":"https://attack.mitre.org/techniques/T1059/",
                    "subtechnique":[{"id":"T1059.005","name":"y","reference":"data:text/html,<script>1</script>"}]}]}]}"#,
        )
        .expect("rule");
        let html = card(Lang::En, &rule);
        let hrefs: Vec<String> = attrs(&html, "href");
        assert_eq!(hrefs, ["https://attack.mitre.org/techniques/T1059/"]);
        assert_eq!(attrs(&html, "rel"), ["noopener noreferrer"]);
        assert_eq!(attrs(&html, "target"), ["_blank"]);
        let text = texts(&html).concat();
        assert!(text.contains(r#"<img src=x onerror="window.__xss=1">"#), "{text}");
        assert!(text.contains("<script>x</script>") && text.contains("TA0002") && text.contains("T1059.005"));
        let classes = attrs(&html, "class").join(" ");
        assert!(classes.contains("sev-other") && !classes.contains("<b>"), "{classes}");
    }

    #[test]
    fn seed_rule_card() {
        let rule = rules::seed_rule().expect("seed");
        let html = card(Lang::En, &rule);
        let text = texts(&html).concat();
        for want in ["Remote File Download via Script Interpreter", "medium", "47", "T1105", "T1059.007",
            "runs every 5m", "from now-9m", "additional look-back 4m", "winlogbeat-*", "OS: Windows", "100"] {
            assert!(text.contains(want), "{want} in {text}");
        }
        assert!(attrs(&html, "href").iter().all(|h| h.starts_with("https://attack.mitre.org/")));
        assert!(attrs(&html, "class").iter().any(|c| c.contains("sev-medium")));
    }
}
