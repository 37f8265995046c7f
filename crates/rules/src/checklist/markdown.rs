//! Markdown → sections and steps. Walks pulldown-cmark events with a stack of
//! open list items; inline content goes to the innermost open container.
//! Raw HTML is never interpreted: it is appended as literal text.

use super::inline::{code_block, code_span, safe_url};
use super::markers::{self, Block};
use super::{Section, Step, MAX_DEPTH};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Default)]
struct Item {
    text: String,
    children: Vec<Step>,
}

struct Link {
    url: String,
    text: String,
}

struct Builder<'b> {
    blocks: &'b [Block],
    sections: Vec<Section>,
    cur: Section,
    items: Vec<Item>,
    links: Vec<Link>,
    /// Text of an open code block (fenced when it closes).
    code: Option<String>,
    /// Heading text, while inside a heading that is not in a list item.
    heading: Option<String>,
    /// Text of the current block outside any list item.
    para: String,
    /// The current section's intro, paragraph by paragraph …
    paras: Vec<String>,
    /// … and each kept section's (see [`Builder::finish`]).
    section_paras: Vec<Vec<String>>,
}

pub(crate) fn parse(text: &str, blocks: &[Block]) -> Vec<Section> {
    let mut b = Builder {
        blocks,
        sections: Vec::new(),
        cur: Section::untitled(),
        items: Vec::new(),
        links: Vec::new(),
        code: None,
        heading: None,
        para: String::new(),
        paras: Vec::new(),
        section_paras: Vec::new(),
    };
    // No extensions: tables, footnotes etc. stay literal text.
    for event in Parser::new_ext(text, Options::empty()) {
        b.event(event);
    }
    b.finish()
}

impl Builder<'_> {
    fn sink(&mut self) -> &mut String {
        if let Some(code) = self.code.as_mut() {
            code
        } else if let Some(link) = self.links.last_mut() {
            &mut link.text
        } else if let Some(item) = self.items.last_mut() {
            &mut item.text
        } else if let Some(h) = self.heading.as_mut() {
            h
        } else {
            &mut self.para
        }
    }

    /// Starts a new block inside the current container's text.
    fn block_break(&mut self) {
        let s = self.sink();
        if !s.trim().is_empty() && !s.ends_with("\n\n") {
            s.push_str(if s.ends_with('\n') { "\n" } else { "\n\n" });
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.sink().push_str(&t),
            Event::Code(c) => {
                let span = code_span(&c);
                self.sink().push_str(&span)
            }
            // Literal, never markup: this is what keeps HTML in notes inert.
            Event::Html(h) | Event::InlineHtml(h) => self.sink().push_str(&h),
            Event::InlineMath(m) | Event::DisplayMath(m) => self.sink().push_str(&m),
            Event::FootnoteReference(f) => {
                let r = format!("[^{f}]");
                self.sink().push_str(&r)
            }
            Event::SoftBreak => self.sink().push(' '),
            Event::HardBreak => self.sink().push('\n'),
            Event::Rule => {}
            Event::TaskListMarker(done) => self.sink().push_str(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } if self.items.is_empty() => {
                self.flush_para();
                self.close_section(false);
                self.cur = Section {
                    level: heading_level(level),
                    ..Section::untitled()
                };
                self.heading = Some(String::new());
            }
            Tag::Item => self.items.push(Item::default()),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => self.links.push(Link {
                url: dest_url.into_string(),
                text: String::new(),
            }),
            Tag::Paragraph | Tag::Heading { .. } | Tag::HtmlBlock => self.block_break(),
            Tag::CodeBlock(_) => {
                self.block_break();
                self.code = Some(String::new());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) if self.heading.is_some() && self.items.is_empty() => {
                let title = self.heading.take().unwrap_or_default();
                self.cur.title = markers::labels_only(&title, self.blocks);
            }
            TagEnd::Item => self.close_item(),
            TagEnd::Link | TagEnd::Image => {
                if let Some(link) = self.links.pop() {
                    let rendered = render_link(&link);
                    self.sink().push_str(&rendered);
                }
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    let fenced = code_block(&code);
                    self.sink().push_str(&fenced);
                }
                if self.items.is_empty() {
                    self.flush_para();
                }
            }
            TagEnd::Paragraph | TagEnd::HtmlBlock if self.items.is_empty() => self.flush_para(),
            _ => {}
        }
    }

    fn close_item(&mut self) {
        let Some(item) = self.items.pop() else { return };
        let (text, blocks) = markers::extract(&item.text, self.blocks);
        let mut step = Step::with_blocks(text, item.children, blocks);
        // Children deeper than MAX_DEPTH become siblings that follow it.
        let lifted = match self.items.len() >= MAX_DEPTH {
            true => std::mem::take(&mut step.steps),
            false => Vec::new(),
        };
        let siblings = match self.items.last_mut() {
            Some(parent) => &mut parent.children,
            None => &mut self.cur.steps,
        };
        siblings.push(step);
        siblings.extend(lifted);
    }

    /// A paragraph outside lists is intro text, unless it holds an Osquery or
    /// Timeline block: then it is something to do, so it becomes a step.
    fn flush_para(&mut self) {
        let para = std::mem::take(&mut self.para);
        if markers::has_marker(&para) {
            let (text, blocks) = markers::extract(&para, self.blocks);
            self.cur
                .steps
                .push(Step::with_blocks(text, Vec::new(), blocks));
            return;
        }
        let para = para.trim();
        if para.is_empty() {
            return;
        }
        self.paras.push(para.to_owned());
        match self.cur.intro.as_mut() {
            Some(intro) => {
                intro.push_str("\n\n");
                intro.push_str(para);
            }
            None => self.cur.intro = Some(para.to_owned()),
        }
    }

    fn close_section(&mut self, keep_preamble: bool) {
        let cur = std::mem::replace(&mut self.cur, Section::untitled());
        // Text before the first heading only counts when it has steps.
        let has_content = !cur.steps.is_empty() || (keep_preamble && cur.intro.is_some());
        let paras = std::mem::take(&mut self.paras);
        if cur.level > 0 || has_content {
            self.sections.push(cur);
            self.section_paras.push(paras);
        }
    }

    fn finish(mut self) -> Vec<Section> {
        while !self.items.is_empty() {
            self.close_item();
        }
        self.flush_para();
        // A guide without headings is all preamble: keep it rather than
        // return nothing.
        let only_preamble = self.sections.is_empty();
        self.close_section(only_preamble);
        // A guide written only in paragraphs still has to be stepped through: each paragraph
        // becomes a step. (In a guide with lists, paragraphs stay the sections' intros.)
        if self.sections.iter().all(|s| s.steps.is_empty()) {
            for (section, paras) in self.sections.iter_mut().zip(self.section_paras) {
                if !paras.is_empty() {
                    section.intro = None;
                    section.steps = paras.into_iter().map(|p| Step::with_blocks(p, Vec::new(), Vec::new())).collect();
                }
            }
        }
        self.sections
    }
}

fn render_link(link: &Link) -> String {
    let label = link.text.trim().replace('[', "(").replace(']', ")");
    match safe_url(&link.url) {
        Some(url) if label.is_empty() => format!("[{url}]({url})"),
        Some(url) => format!("[{label}]({url})"),
        // Dropped to plain text: `javascript:`, relative links, ...
        None => label,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
