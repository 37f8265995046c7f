//! Where `eqlplay match` gets its query: `--query`, `--query-file` or `--rule`.

use crate::input::{self, display_name};
use crate::rule_file;

/// The query option as given.
pub enum QuerySource {
    Text(String),
    File(String),
    Rule(String),
}

/// The query text, the label for its messages, and the rule's settings if it came from one.
pub struct Query {
    pub label: String,
    pub text: String,
    pub rule: Option<rules::Rule>,
}

impl Query {
    /// The tiebreaker and event-category fields: the options' when given, else the rule's own
    /// (Kibana passes them to `_eql/search`), else none and `event.category`.
    pub fn fields(&self, tiebreaker: Option<String>, category: Option<String>) -> (Option<String>, String) {
        let rule = self.rule.as_ref();
        let tiebreaker = tiebreaker.or_else(|| rule.and_then(|r| nonblank(&r.tiebreaker_field)));
        let category = category.or_else(|| rule.and_then(|r| nonblank(&r.event_category_override))).unwrap_or_else(|| "event.category".into());
        (tiebreaker, category)
    }
}

fn nonblank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

pub fn load(source: QuerySource) -> Result<Query, String> {
    match source {
        QuerySource::Text(text) => Ok(Query {
            label: "--query".into(),
            text,
            rule: None,
        }),
        QuerySource::File(path) => {
            let text = input::read_reporting(&path)?;
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            Ok(Query {
                label: display_name(&path).to_string(),
                text,
                rule: None,
            })
        }
        QuerySource::Rule(path) => {
            let name = display_name(&path).to_string();
            let text = input::read_reporting(&path)?;
            let (mut rules, errors) = rule_file::load(&path, &text);
            if rules.is_empty() {
                let message = errors
                    .first()
                    .map_or_else(|| "no rule found".to_string(), ToString::to_string);
                return Err(format!("{name}: error: {message}"));
            }
            let total = rules.len();
            let Some(index) = rules
                .iter()
                .position(|r| rule_file::eql_problem(r).is_none())
            else {
                let problem = rules
                    .first()
                    .and_then(rule_file::eql_problem)
                    .unwrap_or_default();
                return Err(match total {
                    1 => format!("{name}: error: {problem}"),
                    n => {
                        format!("{name}: error: none of its {n} rules is an EQL rule with a query")
                    }
                });
            };
            let rule = rules.swap_remove(index);
            if total > 1 {
                report!(
                    "{name}: note: the file holds {total} rules; running the first EQL one, {}",
                    rule_file::label(&rule)
                );
            }
            Ok(Query {
                label: format!("{name} ({} query)", rule_file::label(&rule)),
                text: rule.query.clone(),
                rule: Some(rule),
            })
        }
    }
}
