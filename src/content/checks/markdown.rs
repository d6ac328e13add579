//! One pass over the Markdown body with pulldown-cmark's offset iterator.
//!
//! It yields the prose blocks (paragraphs, list items, table cells,
//! headings) as plain text with code replaced by a placeholder and a map back
//! to source offsets, plus the headings, images and links the structural
//! rules need.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::text::PLACEHOLDER;
// The renderer's dialect, so findings are about the text readers see.
use crate::content::markdown::OPTIONS;

/// What kind of block the prose came from; headings get no prose findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    /// Paragraphs, list items, table cells, footnote definitions.
    Prose,
    /// A heading.
    Heading,
}

/// A run of block text that came from one place in the source.
#[derive(Debug, Clone)]
struct Segment {
    text_start: usize,
    source_start: usize,
    len: usize,
    /// The text is the source slice byte for byte, so offsets map 1:1.
    exact: bool,
}

/// The prose of one block, with a map from text offsets to body offsets.
#[derive(Debug, Clone)]
pub(super) struct Block {
    /// The prose, code replaced by `PLACEHOLDER`, line breaks by spaces.
    pub text: String,
    /// Where the block came from.
    pub kind: BlockKind,
    /// Inside a block quote: quoted words are not the article's own voice.
    pub quoted: bool,
    /// Text offsets of footnote marks and external links, which count as
    /// sourcing a claim in the same sentence.
    pub sources: Vec<usize>,
    segments: Vec<Segment>,
}

impl Block {
    fn new(quoted: bool) -> Block {
        Block {
            text: String::new(),
            kind: BlockKind::Prose,
            quoted,
            sources: Vec::new(),
            segments: Vec::new(),
        }
    }

    fn push(&mut self, text: &str, source_start: usize, exact: bool) {
        self.segments.push(Segment { text_start: self.text.len(), source_start, len: text.len(), exact });
        self.text.push_str(text);
    }

    /// The body byte offset of `text_offset` in this block's text.
    pub(super) fn source_offset(&self, text_offset: usize) -> usize {
        let idx = self.segments.partition_point(|s| s.text_start <= text_offset);
        let Some(seg) = idx.checked_sub(1).and_then(|i| self.segments.get(i)) else {
            return self.segments.first().map_or(0, |s| s.source_start);
        };
        if seg.exact {
            seg.source_start + (text_offset - seg.text_start).min(seg.len)
        } else {
            seg.source_start
        }
    }
}

/// A heading and its level (1–6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    /// Body offset of the heading.
    pub offset: usize,
    /// 1 for `#`, 2 for `##`, …
    pub level: usize,
    /// The heading's words.
    pub text: String,
}

/// A Markdown or HTML image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Image {
    /// Body offset of the `![` or `<img`.
    pub offset: usize,
    /// Non-empty alt text (or an explicit `alt` attribute in HTML).
    pub has_alt: bool,
    /// The image address.
    pub dest: String,
}

/// A Markdown or HTML link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    /// Body offset of the `[` or `<a`.
    pub offset: usize,
    /// The link target as written.
    pub dest: String,
}

/// Everything the rules read from the Markdown.
#[derive(Debug, Clone, Default)]
pub(super) struct Document {
    /// Prose blocks in source order.
    pub blocks: Vec<Block>,
    /// Headings in source order.
    pub headings: Vec<Heading>,
    /// Images in source order.
    pub images: Vec<Image>,
    /// Links in source order.
    pub links: Vec<Link>,
}

impl Document {
    /// Parses `body` once.
    pub(super) fn parse(body: &str) -> Document {
        let mut builder = Builder {
            body,
            doc: Document::default(),
            current: Block::new(false),
            quote_depth: 0,
            code_depth: 0,
            image: None,
            heading: None,
        };
        for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
            builder.event(event, range);
        }
        builder.flush();
        builder.doc
    }
}

/// Whether a link target leaves the site, so it can source a claim.
fn is_external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("doi:")
}

struct Builder<'a> {
    body: &'a str,
    doc: Document,
    current: Block,
    quote_depth: usize,
    code_depth: usize,
    image: Option<Image>,
    heading: Option<Heading>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text, range),
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                if let Some(image) = &mut self.image {
                    image.has_alt = true;
                } else if self.code_depth == 0 {
                    self.current.push(&PLACEHOLDER.to_string(), range.start, false);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html, range),
            Event::FootnoteReference(_) => {
                let at = self.current.text.len();
                self.current.sources.push(at);
                self.current.push(&PLACEHOLDER.to_string(), range.start, false);
            }
            Event::SoftBreak | Event::HardBreak => self.current.push(" ", range.start, false),
            // Task lists are not in the dialect (`OPTIONS`); the arm keeps the match exhaustive.
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.current.kind = BlockKind::Heading;
                self.heading =
                    Some(Heading { offset: range.start, level: level as usize, text: String::new() });
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
                self.current.quoted = true;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code_depth += 1;
            }
            Tag::Image { dest_url, .. } => {
                if self.image.is_none() {
                    self.image =
                        Some(Image { offset: range.start, has_alt: false, dest: dest_url.to_string() });
                }
            }
            Tag::Link { dest_url, .. } => {
                if is_external(&dest_url) {
                    let at = self.current.text.len();
                    self.current.sources.push(at);
                }
                self.doc.links.push(Link { offset: range.start, dest: dest_url.to_string() });
            }
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {}
            _ => self.flush(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(heading) = self.heading.take() {
                    self.doc.headings.push(heading);
                }
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                self.current.quoted = self.quote_depth > 0;
            }
            TagEnd::CodeBlock => self.code_depth = self.code_depth.saturating_sub(1),
            TagEnd::Image => {
                if let Some(image) = self.image.take() {
                    self.doc.images.push(image);
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => {}
            _ => self.flush(),
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        if self.code_depth > 0 {
            return;
        }
        if let Some(image) = &mut self.image {
            image.has_alt |= !text.trim().is_empty();
            return;
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
        let exact = self.body.get(range.clone()) == Some(text);
        self.current.push(text, range.start, exact);
    }

    /// Finds `<img>` and `<a href>` in raw HTML.
    fn html(&mut self, html: &str, range: Range<usize>) {
        let base = (self.body.get(range.clone()) == Some(html)).then_some(range.start);
        let lower = html.to_ascii_lowercase();
        let mut from = 0;
        while let Some(found) = lower[from..].find('<') {
            let at = from + found;
            let rest = &lower[at + 1..];
            let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
            let tag_end = rest.find('>').map_or(lower.len(), |e| at + 1 + e);
            let tag = &html[at..tag_end];
            let offset = base.map_or(range.start, |b| b + at);
            match &rest[..name_len] {
                "img" => self.doc.images.push(Image {
                    offset,
                    has_alt: html_attr(tag, "alt").is_some(),
                    dest: html_attr(tag, "src").unwrap_or_default(),
                }),
                "a" => {
                    if let Some(dest) = html_attr(tag, "href") {
                        self.doc.links.push(Link { offset, dest });
                    }
                }
                _ => {}
            }
            from = at + 1;
        }
    }

    fn flush(&mut self) {
        let quoted = self.quote_depth > 0;
        let block = std::mem::replace(&mut self.current, Block::new(quoted));
        if !block.text.trim().is_empty() {
            self.doc.blocks.push(block);
        }
    }
}

/// The value of attribute `name` in one HTML tag (`Some("")` when present
/// without a value).
fn html_attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = lower[..at].chars().last().is_some_and(char::is_whitespace);
        let after = &tag[from..];
        let after_ok =
            after.chars().next().is_none_or(|c| c.is_whitespace() || c == '=' || c == '>' || c == '/');
        if !before_ok || !after_ok {
            continue;
        }
        let trimmed = after.trim_start();
        let Some(value) = trimmed.strip_prefix('=') else {
            return Some(String::new());
        };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let found = match quote {
            Some(q) => value[1..].split(q).next().unwrap_or_default(),
            None => value.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or_default(),
        };
        return Some(found.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_and_blocks_leave_no_prose() {
        let doc = Document::parse("Say `studies show` here.\n\n```\nyou must\n```\n");
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.blocks[0].text, format!("Say {PLACEHOLDER} here."));
    }

    #[test]
    fn block_text_maps_back_to_source_offsets() {
        let body = "- **Consent** matters\n  and more\n";
        let doc = Document::parse(body);
        let block = &doc.blocks[0];
        let at = block.text.find("more").unwrap();
        assert_eq!(&body[block.source_offset(at)..][..4], "more");
    }

    #[test]
    fn image_alt_text_is_not_prose_and_is_recorded() {
        let doc = Document::parse("![](a.png) and ![A hug](b.png) <img src=\"c.png\">\n");
        let alts: Vec<bool> = doc.images.iter().map(|i| i.has_alt).collect();
        assert_eq!(alts, [false, true, false]);
        assert!(!doc.blocks[0].text.contains("hug"));
    }

    #[test]
    fn headings_links_and_quotes_are_collected() {
        let doc = Document::parse(
            "## A\n\n> quoted [x](/articles/y)\n\n[^1] and [s](https://e.org)\n\n[^1]: note\n",
        );
        assert_eq!(doc.headings[0].level, 2);
        assert_eq!(doc.links.len(), 2);
        assert!(doc.blocks[1].quoted);
        assert_eq!(doc.blocks[2].sources.len(), 2);
    }

    #[test]
    fn heading_attributes_are_not_heading_text_as_in_the_renderer() {
        let doc = Document::parse("## Consent {#consent}\n\n- [ ] a task\n");
        assert_eq!(doc.headings[0].text.trim(), "Consent");
        assert_eq!(doc.blocks[1].text, "[ ] a task", "no task lists: the page prints the brackets");
    }

    #[test]
    fn html_attributes_are_read_with_or_without_quotes() {
        assert_eq!(html_attr("<img alt=\"A\" src=x.png>", "src").as_deref(), Some("x.png"));
        assert_eq!(html_attr("<img alt src=x>", "alt").as_deref(), Some(""));
        assert_eq!(html_attr("<img data-alt=\"x\">", "alt"), None);
    }
}
