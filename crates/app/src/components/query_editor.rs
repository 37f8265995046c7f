//! The query editor: a plain `<textarea>` over a highlighted copy of its text. Colours come
//! from the engine's own lexer; errors are underlined at their span with the message beside.

use eql::syntax::lexer::tokenize;
use eql::syntax::token::TokenKind;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QueryEditorProps {
    pub value: String,
    /// Byte spans of errors, with their messages.
    pub errors: Vec<(usize, usize, String)>,
    pub on_input: Callback<String>,
}

fn class_of(kind: &TokenKind, next_is_paren: bool) -> &'static str {
    match kind {
        TokenKind::Keyword(_) => "tok-keyword",
        TokenKind::Str(_) | TokenKind::SingleQuoted => "tok-string",
        TokenKind::Int(_) | TokenKind::Float(_) => "tok-number",
        TokenKind::Ident { .. } if next_is_paren => "tok-function",
        TokenKind::Ident { .. } | TokenKind::QuotedIdent(_) => "tok-field",
        TokenKind::Op(_) => "tok-op",
        TokenKind::Eof => "",
    }
}

fn floor(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The text split into spans: (class, text, in_error).
fn highlight(text: &str, errors: &[(usize, usize, String)]) -> Vec<(&'static str, String, bool)> {
    let (tokens, _) = tokenize(text);
    // Class per byte boundary run: token spans, gaps (white space, comments) as plain/comment.
    let mut pieces: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut at = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == TokenKind::Eof {
            break;
        }
        let (start, end) = (floor(text, t.span.start), floor(text, t.span.end));
        if start > at {
            pieces.push((at, start, "gap"));
        }
        let next_is_paren = matches!(tokens.get(i + 1).map(|n| &n.kind), Some(TokenKind::Op(eql::syntax::token::Op::LParen)));
        pieces.push((start.max(at), end.max(at), class_of(&t.kind, next_is_paren)));
        at = end.max(at);
    }
    if at < text.len() {
        pieces.push((at, text.len(), "gap"));
    }
    let in_error = |pos: usize| errors.iter().any(|(s, e, _)| pos >= *s && pos < (*e).max(s + 1));
    let mut out = Vec::new();
    for (start, end, class) in pieces {
        let piece = &text[start..end];
        let class = if class == "gap" { if piece.contains("//") || piece.contains("/*") { "tok-comment" } else { "" } } else { class };
        // Split at error boundaries so only the erroneous part is underlined.
        let mut run_start = start;
        let mut cur = in_error(start);
        for (off, _) in piece.char_indices().skip(1) {
            let pos = start + off;
            let e = in_error(pos);
            if e != cur {
                out.push((class, text[run_start..pos].to_string(), cur));
                run_start = pos;
                cur = e;
            }
        }
        out.push((class, text[run_start..end].to_string(), cur));
    }
    // An error at the very end (e.g. "expected an expression") still shows a mark.
    if errors.iter().any(|(s, _, _)| *s >= text.len()) {
        out.push(("", " ".to_string(), true));
    }
    out
}

#[function_component(QueryEditor)]
pub fn query_editor(props: &QueryEditorProps) -> Html {
    let overlay = use_node_ref();
    let on_input = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_scroll = {
        let overlay = overlay.clone();
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            if let Some(pre) = overlay.cast::<Element>() {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
        })
    };
    let pieces = highlight(&props.value, &props.errors);
    html! {
        <div class="query-editor">
            <pre class="editor highlight" aria-hidden="true" ref={overlay}>
                { for pieces.into_iter().map(|(class, text, err)| html! {
                    <span class={classes!((!class.is_empty()).then_some(class), err.then_some("tok-error"))}>{ text }</span>
                }) }
                { "\n" }
            </pre>
            <textarea id="rule-editor" data-testid="rule-editor" class="editor input" spellcheck="false"
                value={props.value.clone()} oninput={on_input} onscroll={on_scroll}
                aria-invalid={(!props.errors.is_empty()).to_string()} />
            // In a container of its own: Yew reconciles unkeyed siblings from the end, so a list
            // growing beside the textarea would replace it (and take the focus from the typist).
            <div class="inline-errors">
                { for props.errors.iter().take(3).map(|(_, _, message)| html! {
                    <div class="inline-error" data-testid="inline-error">{ message.clone() }</div>
                }) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn colours_follow_the_lexer() {
        let pieces = highlight("process where endsWith(name, \"x\") // c", &[]);
        let find = |t: &str| pieces.iter().find(|(_, text, _)| text == t).map(|(c, _, _)| *c);
        assert_eq!(find("process"), Some("tok-field"));
        assert_eq!(find("where"), Some("tok-keyword"));
        assert_eq!(find("endsWith"), Some("tok-function"));
        assert_eq!(find("\"x\""), Some("tok-string"));
        assert!(pieces.iter().any(|(c, t, _)| *c == "tok-comment" && t.contains("// c")));
        let text: String = pieces.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(text, "process where endsWith(name, \"x\") // c");
    }

    #[test]
    fn errors_are_marked_at_their_span() {
        let pieces = highlight("a == 'x'", &[(5, 8, "quotes".into())]);
        assert!(pieces.iter().any(|(_, t, e)| *e && t == "'x'"));
        assert!(pieces.iter().all(|(_, t, e)| !*e || t == "'x'"));
    }
}
