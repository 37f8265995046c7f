//! The query's changes since the pinned baseline, line by line, under the rule card.

use crate::i18n::{tr, Lang};
use yew::prelude::*;

/// What happened to a line between the baseline and the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeTag {
    Equal,
    Delete,
    Insert,
}

/// Lines compared at most (beyond, the rest shows as replaced: a query is a few dozen lines).
const MAX_LINES: usize = 400;

#[derive(Properties, PartialEq)]
pub struct QueryDiffProps {
    pub baseline: String,
    pub query: String,
}

/// Each line of the two versions with its tag: removed, added or the same — a longest common
/// subsequence of lines. (A diff crate cost the page 13 KiB gzipped for texts this small.)
pub fn diff_lines(baseline: &str, query: &str) -> Vec<(ChangeTag, String)> {
    let a: Vec<&str> = baseline.trim_end().lines().take(MAX_LINES).collect();
    let b: Vec<&str> = query.trim_end().lines().take(MAX_LINES).collect();
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len() + b.len()));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((ChangeTag::Equal, a[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            out.push((ChangeTag::Delete, a[i].to_string()));
            i += 1;
        } else {
            out.push((ChangeTag::Insert, b[j].to_string()));
            j += 1;
        }
    }
    out
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
        let tags = |a: &str, b: &str| diff_lines(a, b).into_iter().map(|l| l.0).collect::<Vec<_>>();
        assert_eq!(tags("a\nb", "a\nb\nc"), [ChangeTag::Equal, ChangeTag::Equal, ChangeTag::Insert]);
        assert_eq!(tags("a\nb\nc", "c"), [ChangeTag::Delete, ChangeTag::Delete, ChangeTag::Equal]);
        assert_eq!(tags("", "x"), [ChangeTag::Insert]);
    }
}
