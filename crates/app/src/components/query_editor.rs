//! The query editor: a plain `<textarea>` over a highlighted copy of its text. Colours come
//! from the engine's own lexer; errors are underlined at their span with the message beside,
//! and so are fields no loaded event has. Typing a name opens a completion list (`completion`):
//! Tab accepts the first, arrows choose and Enter accepts the chosen one (an Enter without
//! choosing is a new line, so typing a query through never picks a name), Escape closes,
//! Ctrl+Space opens it anywhere.

use crate::completion::{apply, at_term_start, byte_of, suggest, utf16_of, word_before, Ecs, Kind, Suggestion};
use crate::i18n::Lang;
use crate::protocol::FieldHelp;
use eql::syntax::lexer::tokenize;
use std::rc::Rc;
use eql::syntax::token::TokenKind;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QueryEditorProps {
    pub value: String,
    /// Byte spans of errors, with their messages.
    pub errors: Vec<(usize, usize, String)>,
    /// Byte spans of fields no loaded event has, with a note.
    #[prop_or_default]
    pub warnings: Vec<(usize, usize, String)>,
    pub on_input: Callback<String>,
    /// The loaded events' fields, for completion (asked for when the editor gets the focus).
    #[prop_or_default]
    pub help: Option<Rc<FieldHelp>>,
    #[prop_or_default]
    pub ecs: Option<Rc<Ecs>>,
    #[prop_or_default]
    pub on_focus: Callback<()>,
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

/// How a piece of the query is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    None,
    /// Reads a field no loaded event has.
    Warning,
    Error,
}

/// The text split into spans: (class, text, mark).
fn highlight(text: &str, errors: &[(usize, usize, String)], warnings: &[(usize, usize, String)]) -> Vec<(&'static str, String, Mark)> {
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
    let within = |list: &[(usize, usize, String)], pos: usize| list.iter().any(|(s, e, _)| pos >= *s && pos < (*e).max(s + 1));
    let in_error = |pos: usize| match (within(errors, pos), within(warnings, pos)) {
        (true, _) => Mark::Error,
        (false, true) => Mark::Warning,
        _ => Mark::None,
    };
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
        out.push(("", " ".to_string(), Mark::Error));
    }
    out
}

/// The completion list while it is open: the word it replaces and what it offers.
#[derive(Clone, PartialEq)]
struct Popup {
    start: usize,
    caret: usize,
    items: Vec<Suggestion>,
    selected: usize,
    /// An arrow key moved the selection: Enter then accepts it (else Enter is a new line).
    chosen: bool,
}

#[function_component(QueryEditor)]
pub fn query_editor(props: &QueryEditorProps) -> Html {
    let (overlay, area) = (use_node_ref(), use_node_ref());
    let popup = use_state(|| None::<Popup>);
    let zh = use_context::<Lang>().unwrap_or_default() == Lang::ZhCn;
    // The list for the word before the caret (`force`: even an empty word, as Ctrl+Space asks).
    let open = {
        let (popup, help, ecs) = (popup.clone(), props.help.clone(), props.ecs.clone());
        move |area: &HtmlTextAreaElement, force: bool| {
            let text = area.value();
            let caret = byte_of(&text, area.selection_start().ok().flatten().unwrap_or(0));
            let (start, word) = word_before(&text, caret);
            let items = match force || !word.is_empty() {
                true => suggest(word, at_term_start(&text, start), help.as_deref(), ecs.as_deref(), zh),
                false => Vec::new(),
            };
            popup.set((!items.is_empty()).then_some(Popup { start, caret, items, selected: 0, chosen: false }));
        }
    };
    let on_input = {
        let (cb, open, popup) = (props.on_input.clone(), open.clone(), popup.clone());
        Callback::from(move |e: InputEvent| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            cb.emit(area.value());
            // Typing a name opens the list; deleting keeps it in step only while it is open.
            let typing = e.input_type().starts_with("insert") && e.input_type() != "insertLineBreak" && !e.is_composing();
            if typing || popup.is_some() {
                open(&area, false);
            }
        })
    };
    let accept = {
        let (area, popup, cb) = (area.clone(), popup.clone(), props.on_input.clone());
        move |p: &Popup, i: usize| {
            let (Some(el), Some(item)) = (area.cast::<HtmlTextAreaElement>(), p.items.get(i)) else { return };
            let (text, caret) = apply(&el.value(), p.start, p.caret, &item.insert);
            el.set_value(&text);
            let at = utf16_of(&text, caret);
            let _ = el.set_selection_range(at, at);
            popup.set(None);
            cb.emit(text);
        }
    };
    let on_keydown = {
        let (popup, open, accept) = (popup.clone(), open.clone(), accept.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() && (e.key() == " " || e.code() == "Space") {
                e.prevent_default();
                open(&e.target_unchecked_into::<HtmlTextAreaElement>(), true);
                return;
            }
            let Some(p) = (*popup).clone() else { return };
            let n = p.items.len();
            match e.key().as_str() {
                "ArrowDown" => popup.set(Some(Popup { selected: (p.selected + 1) % n, chosen: true, ..p })),
                "ArrowUp" => popup.set(Some(Popup { selected: (p.selected + n - 1) % n, chosen: true, ..p })),
                "Tab" => accept(&p, p.selected),
                "Enter" if p.chosen => accept(&p, p.selected),
                "Enter" => {
                    // A new line, as typed: the list only closes.
                    popup.set(None);
                    return;
                }
                "Escape" => popup.set(None),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let on_blur = {
        let popup = popup.clone();
        Callback::from(move |_: FocusEvent| popup.set(None))
    };
    let on_focus = props.on_focus.reform(|_: FocusEvent| ());
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
    let pieces = highlight(&props.value, &props.errors, &props.warnings);
    let list = (*popup).clone().map(|p| {
        let items = p.items.iter().enumerate().map(|(i, item)| {
            let (p2, accept) = (p.clone(), accept.clone());
            // Pressed, not clicked: the editor keeps the focus.
            let onmousedown = Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                accept(&p2, i);
            });
            let kind = match item.kind {
                Kind::Field => "field",
                Kind::Function => "function",
                Kind::Category => "category",
                Kind::Ecs => "ecs",
            };
            html! {
                <li id={format!("completion-{i}")} role="option" aria-selected={(i == p.selected).to_string()} data-testid="completion-item"
                    class={classes!("completion-item", kind, (i == p.selected).then_some("selected"))} {onmousedown}>
                    <span class="insert">{ item.insert.trim_end().to_string() }</span>
                    <span class="detail">{ item.detail.clone() }</span>
                </li>
            }
        });
        html! { <ul id="completion-list" class="completion" role="listbox" data-testid="completion">{ for items }</ul> }
    });
    let active = (*popup).as_ref().map(|p| format!("completion-{}", p.selected));
    html! {
        <div class="query-editor">
            <pre class="editor highlight" aria-hidden="true" ref={overlay}>
                { for pieces.into_iter().map(|(class, text, mark)| html! {
                    <span class={classes!((!class.is_empty()).then_some(class), (mark == Mark::Error).then_some("tok-error"),
                        (mark == Mark::Warning).then_some("tok-warning"))}>{ text }</span>
                }) }
                { "\n" }
            </pre>
            <textarea id="rule-editor" data-testid="rule-editor" class="editor input" spellcheck="false" ref={area}
                value={props.value.clone()} oninput={on_input} onscroll={on_scroll} onkeydown={on_keydown}
                onblur={on_blur} onfocus={on_focus}
                role="combobox" aria-autocomplete="list" aria-controls="completion-list" aria-expanded={popup.is_some().to_string()}
                aria-activedescendant={active}
                aria-invalid={(!props.errors.is_empty()).to_string()} />
            // Each in a container of its own: Yew reconciles unkeyed siblings from the end, so a
            // list growing beside the textarea would replace it (and take the focus from the typist).
            <div class="completion-box">{ list.unwrap_or_default() }</div>
            <div class="inline-errors">
                { for props.errors.iter().take(3).map(|(_, _, message)| html! {
                    <div class="inline-error" data-testid="inline-error">{ message.clone() }</div>
                }) }
                { for props.warnings.iter().take(3).map(|(_, _, message)| html! {
                    <div class="inline-warning" data-testid="inline-warning">{ message.clone() }</div>
                }) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{highlight, Mark};

    #[test]
    fn colours_follow_the_lexer() {
        let pieces = highlight("process where endsWith(name, \"x\") // c", &[], &[]);
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
        let pieces = highlight("a == 'x'", &[(5, 8, "quotes".into())], &[(0, 1, "no event has the field [a]".into())]);
        assert!(pieces.iter().any(|(_, t, m)| *m == Mark::Error && t == "'x'"));
        assert!(pieces.iter().any(|(_, t, m)| *m == Mark::Warning && t == "a"));
        assert!(pieces.iter().all(|(_, t, m)| *m == Mark::None || t == "'x'" || t == "a"));
    }
}
