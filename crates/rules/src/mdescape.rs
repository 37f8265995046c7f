//! Escaping untrusted text (rule fields, alert values, analyst notes, guide
//! text) for the Markdown report, so that it renders as the same text and can
//! neither inject HTML nor restructure the document.

use crate::checklist::{segments, Segment};

/// One-line text: Markdown punctuation backslash-escaped, line breaks and
/// other control characters turned into spaces.
pub(crate) fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A line that will start a Markdown line (e.g. inside a blockquote): also
/// neutralises list, heading-underline and indented-code starts.
pub(crate) fn line_start(s: &str) -> String {
    let escaped = inline(s.trim_start());
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    match escaped.as_bytes().get(digits) {
        Some(b'-' | b'+' | b'=') if digits == 0 => format!("\\{escaped}"),
        Some(b'.' | b')') if digits > 0 => {
            format!("{}\\{}", &escaped[..digits], &escaped[digits..])
        }
        _ => escaped,
    }
}

/// A code span that stays on one line.
pub(crate) fn code(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    crate::checklist::code_span(flat.trim())
}

/// Step text (our inline language) re-emitted safely on one line.
pub(crate) fn step_text(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|seg| match seg {
            Segment::Text { text } => inline(&text),
            Segment::Code { code: c } => code(&c),
            Segment::Link { text, url } => format!("[{}]({url})", inline(&text)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            inline("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(inline("a*b_c [d](e)\nf"), "a\\*b\\_c \\[d\\](e) f");
        assert_eq!(line_start("  - item"), "\\- item");
        assert_eq!(line_start("12. x"), "12\\. x");
        assert_eq!(line_start("# h"), "\\# h");
        assert_eq!(code("a`b\nc"), "``a`b c``");
    }

    #[test]
    fn step_text_keeps_code_and_web_links() {
        assert_eq!(
            step_text("Run `x` see [d](https://e.com) <b>"),
            "Run `x` see [d](https://e.com) \\<b\\>"
        );
    }
}
