//! The query's changes since the pinned baseline, line by line, under the rule card.

use crate::i18n::{tr, Lang};
use similar::{ChangeTag, TextDiff};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QueryDiffProps {
    pub baseline: String,
    pub query: String,
}

/// Each line of the two versions with its tag: removed, added or the same.
pub fn diff_lines(baseline: &str, query: &str) -> Vec<(ChangeTag, String)> {
    let (a, b) = (format!("{}\n", baseline.trim_end()), format!("{}\n", query.trim_end()));
    TextDiff::from_lines(&a, &b).iter_all_changes().map(|c| (c.tag(), c.value().trim_end_matches('\n').to_string())).collect()
}

#[function_component(QueryDiff)]
pub fn query_diff(props: &QueryDiffProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let lines = use_memo((props.baseline.clone(), props.query.clone()), |(a, b)| diff_lines(a, b));
    html! {
        <div class="query-diff" data-testid="query-diff">
            <div class="muted">{ tr(lang, "query_diff") }</div>
            <pre>{ for lines.iter().map(|(tag, text)| {
                let (class, mark) = match tag {
                    ChangeTag::Delete => ("diff-del", "- "),
                    ChangeTag::Insert => ("diff-add", "+ "),
                    ChangeTag::Equal => ("diff-same", "  "),
                };
                html! { <div class={class}>{ mark }{ text.clone() }</div> }
            }) }</pre>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_shows_as_removed_then_added() {
        let lines = diff_lines("sequence by host.id\n  [network where true]\n  [file where true]", "sequence by host.id\n  [network where false]\n  [file where true]\n");
        let tags: Vec<ChangeTag> = lines.iter().map(|l| l.0).collect();
        assert_eq!(tags, [ChangeTag::Equal, ChangeTag::Delete, ChangeTag::Insert, ChangeTag::Equal]);
        assert_eq!(lines[2].1, "  [network where false]");
    }
}
