//! The small inline language of step text: plain text, `code` spans and
//! `[label](https://..)` links. Nothing else is markup, so a UI can render
//! step text safely as text nodes plus code and anchor elements.

use serde::{Deserialize, Serialize};

/// A piece of step or intro text, for rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    Text { text: String },
    Code { code: String },
    Link { text: String, url: String },
}

/// Only web links survive: `javascript:`, `data:`, relative and other URLs
/// could run script or point somewhere unexpected in the UI.
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    if !web || url.len() <= "https://".len() || url.chars().any(char::is_control) {
        return None;
    }
    // Percent-encode what would end or confuse the `(url)` part.
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '`' => out.push_str("%60"),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// `code` with a fence longer than any backtick run inside it.
pub fn code_span(code: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(code) + 1);
    let pad = code.starts_with('`') || code.ends_with('`');
    let sp = if pad { " " } else { "" };
    format!("{fence}{sp}{code}{sp}{fence}")
}

/// A fenced block for multi-line code, kept as a (multi-line) code span.
#[cfg(feature = "guide")]
pub fn code_block(code: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(code) + 1).max(3));
    format!("{fence}\n{}\n{fence}", code.trim_end_matches('\n'))
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Splits step text into segments (the inverse of what the builder writes).
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let parsed = match c {
            '`' => parse_code(rest),
            '[' => parse_link(rest),
            _ => None,
        };
        match parsed {
            Some((seg, used)) => {
                if !plain.is_empty() {
                    out.push(Segment::Text {
                        text: std::mem::take(&mut plain),
                    });
                }
                out.push(seg);
                rest = &rest[used..];
            }
            None => {
                // A run of backticks that does not open a span is literal.
                let n = if c == '`' {
                    rest.len() - rest.trim_start_matches('`').len()
                } else {
                    c.len_utf8()
                };
                plain.push_str(&rest[..n]);
                rest = &rest[n..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Segment::Text { text: plain });
    }
    out
}

fn parse_code(s: &str) -> Option<(Segment, usize)> {
    let n = s.len() - s.trim_start_matches('`').len();
    let body = &s[n..];
    let mut i = 0;
    while let Some(pos) = body[i..].find('`') {
        let at = i + pos;
        let run = body[at..].len() - body[at..].trim_start_matches('`').len();
        if run == n {
            let inner = &body[..at];
            // CommonMark strips one space of padding on each side.
            let strip = inner.len() >= 2
                && inner.starts_with(' ')
                && inner.ends_with(' ')
                && !inner.trim().is_empty();
            let code = if strip {
                &inner[1..inner.len() - 1]
            } else {
                inner
            };
            return Some((
                Segment::Code {
                    code: code.to_owned(),
                },
                n + at + run,
            ));
        }
        i = at + run;
    }
    None
}

fn parse_link(s: &str) -> Option<(Segment, usize)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    if label.contains('[') {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let url = &after[..end];
    if url.contains(char::is_whitespace) || safe_url(url).as_deref() != Some(url) {
        return None;
    }
    let seg = Segment::Link {
        text: label.to_owned(),
        url: url.to_owned(),
    };
    Some((seg, close + 2 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Segment {
        Segment::Text { text: t.into() }
    }

    #[test]
    fn splits_code_and_links() {
        let segs = segments("Run `whoami` then see [docs](https://example.com/a%28b%29) now");
        assert_eq!(
            segs,
            vec![
                text("Run "),
                Segment::Code {
                    code: "whoami".into()
                },
                text(" then see "),
                Segment::Link {
                    text: "docs".into(),
                    url: "https://example.com/a%28b%29".into()
                },
                text(" now"),
            ]
        );
    }

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(
            segments("[x](javascript:alert(1))"),
            vec![text("[x](javascript:alert(1))")]
        );
        assert_eq!(safe_url("JavaScript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url("/relative"), None);
        assert_eq!(
            safe_url("https://a.b/c d").as_deref(),
            Some("https://a.b/c%20d")
        );
    }

    #[test]
    fn code_spans_survive_backticks() {
        for code in ["a`b", "`x`", "plain", "``"] {
            let span = code_span(code);
            assert_eq!(
                segments(&span),
                vec![Segment::Code { code: code.into() }],
                "{span}"
            );
        }
        assert_eq!(segments("a ` b"), vec![text("a ` b")]);
        assert_eq!(
            segments(&code_block("x\ny")),
            vec![Segment::Code {
                code: "\nx\ny\n".into()
            }]
        );
    }

    #[test]
    fn html_is_plain_text() {
        let t = "<img src=x onerror=alert(1)>";
        assert_eq!(segments(t), vec![text(t)]);
    }
}
