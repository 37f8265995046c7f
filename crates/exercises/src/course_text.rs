//! The Markdown that course texts use, read into blocks the page draws as text nodes (never as
//! HTML): paragraphs, fenced code, bulleted and numbered lists, and `**strong**` spans. Inline
//! code and links are left to the page's inline reader.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Code(String),
    List { ordered: bool, items: Vec<String> },
}

/// The blocks of `text`. A list item's following indented lines continue it.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para = String::new();
    let mut code: Option<String> = None;
    let mut list: Option<(bool, Vec<String>)> = None;
    let flush = |para: &mut String, list: &mut Option<(bool, Vec<String>)>, out: &mut Vec<Block>| {
        if !para.trim().is_empty() {
            out.push(Block::Paragraph(para.trim().to_string()));
        }
        para.clear();
        if let Some((ordered, items)) = list.take() {
            out.push(Block::List { ordered, items });
        }
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match code.take() {
                Some(c) => out.push(Block::Code(c)),
                None => {
                    flush(&mut para, &mut list, &mut out);
                    code = Some(String::new());
                }
            }
            continue;
        }
        if let Some(c) = code.as_mut() {
            c.push_str(line);
            c.push('\n');
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut para, &mut list, &mut out);
            continue;
        }
        if let Some((ordered, item)) = list_item(line) {
            if list.as_ref().is_some_and(|(o, _)| *o != ordered) || !para.trim().is_empty() {
                flush(&mut para, &mut list, &mut out);
            }
            list.get_or_insert_with(|| (ordered, Vec::new())).1.push(item.trim().to_string());
            continue;
        }
        match list.as_mut().and_then(|(_, items)| items.last_mut()) {
            Some(item) if line.starts_with([' ', '\t']) => {
                item.push(' ');
                item.push_str(line.trim());
            }
            _ => {
                if list.is_some() {
                    flush(&mut para, &mut list, &mut out);
                }
                para.push_str(line.trim());
                para.push(' ');
            }
        }
    }
    if let Some(c) = code {
        out.push(Block::Code(c));
    }
    flush(&mut para, &mut list, &mut out);
    out
}

/// `- x`, `* x` (bulleted) or `1. x` (numbered): the kind and the item's text.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match (digits, line[digits..].strip_prefix(". ")) {
        (1..=3, Some(rest)) => Some((true, rest)),
        _ => None,
    }
}

/// `text` cut at `**` pairs: (strong, part). An unpaired `**` stays as written.
pub fn strong_spans(text: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = text.split("**").collect();
    if parts.len() % 2 == 0 {
        return vec![(false, text)];
    }
    parts.into_iter().enumerate().filter(|(_, p)| !p.is_empty()).map(|(i, p)| (i % 2 == 1, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_code_come_apart() {
        let text = "Look at\nthe events.\n\n- one `a`\n- two\n  continued\n1. first\n2. second\n\n```\nprocess where true\n```\nAfter.";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("Look at the events.".into()),
                Block::List { ordered: false, items: vec!["one `a`".into(), "two continued".into()] },
                Block::List { ordered: true, items: vec!["first".into(), "second".into()] },
                Block::Code("process where true\n".into()),
                Block::Paragraph("After.".into()),
            ]
        );
    }

    #[test]
    fn a_list_after_a_paragraph_line_starts_its_own_block() {
        assert_eq!(
            blocks("Check:\n* the parent\n* the file\nThen decide."),
            vec![
                Block::Paragraph("Check:".into()),
                Block::List { ordered: false, items: vec!["the parent".into(), "the file".into()] },
                Block::Paragraph("Then decide.".into()),
            ]
        );
    }

    #[test]
    fn an_unclosed_fence_keeps_its_code() {
        assert_eq!(blocks("```\nx"), vec![Block::Code("x\n".into())]);
    }

    #[test]
    fn strong_spans_pair_up_or_stay_as_written() {
        assert_eq!(strong_spans("a **b** c"), vec![(false, "a "), (true, "b"), (false, " c")]);
        assert_eq!(strong_spans("2 ** 3"), vec![(false, "2 ** 3")]);
        assert_eq!(strong_spans("**一分钟内**"), vec![(true, "一分钟内")]);
    }
}
