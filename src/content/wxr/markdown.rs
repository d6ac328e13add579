//! WordPress post HTML into Markdown: paragraphs, headings, links, emphasis, lists, quotes, images with alt
//! text, code, line breaks. Tables, definition lists and `<details>` are kept as HTML inside the Markdown
//! (our renderer sanitises every piece of raw HTML with ammonia); scripts, styles, embeds and forms are
//! dropped and named in the notes.

use super::html::{self, Element, Node};
use super::syntax::{
    DROPPED, code_block, code_span, destination, escape_label, escape_line_start, looks_like_entity,
    serialize, starts_with_number_marker, title,
};
use std::collections::BTreeSet;

/// A hard line break while inline text is assembled.
const HB: char = '\u{1}';
/// A paragraph break while inline text is assembled (classic-editor blank lines).
const PB: char = '\u{2}';

/// How to read the HTML.
pub struct Options<'a> {
    /// Classic-editor content: blank lines are paragraphs and single newlines line breaks, as WordPress's
    /// `wpautop` shows them. Off for block-editor content, whose whitespace is HTML whitespace.
    pub autop: bool,
    /// Gives a link or image address its new form (an old permalink → `/articles/{slug}`); `None` keeps it.
    pub rewrite: &'a dyn Fn(&str) -> Option<String>,
    /// The block editor's footnotes (id, HTML): a `<sup data-fn="id">` marker becomes `[^n]`, and
    /// the notes are written after the body.
    pub footnotes: &'a [(String, String)],
}

/// The Markdown and what the conversion could not carry over.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Converted {
    /// The Markdown body.
    pub markdown: String,
    /// What was dropped or kept as HTML, once each (`dropped <iframe> …`).
    pub notes: Vec<String>,
    /// Images whose address is absolute (they still load from the old site).
    pub remote_images: usize,
}

/// Converts one post body.
pub fn to_markdown(body: &str, opts: &Options<'_>) -> Converted {
    let nodes = html::parse(body);
    let mut r = Renderer { opts, notes: BTreeSet::new(), remote_images: 0 };
    let mut blocks = r.blocks(&nodes);
    for (n, (_, html)) in opts.footnotes.iter().enumerate() {
        let text = flatten(&r.inline_children(&html::parse(html)));
        blocks.push(format!("[^{}]: {text}", n + 1));
    }
    let mut markdown = blocks.join("\n\n");
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    Converted { markdown, notes: r.notes.into_iter().collect(), remote_images: r.remote_images }
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "hr",
    "figure",
    "figcaption",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "address",
    "center",
    "table",
    "dl",
    "details",
];

/// Kept as (sanitised) HTML: Markdown has no good equivalent we can produce reliably.
const KEEP_AS_HTML: &[&str] = &["table", "dl", "details"];

struct Renderer<'a> {
    opts: &'a Options<'a>,
    notes: BTreeSet<String>,
    remote_images: usize,
}

impl Renderer<'_> {
    /// Block children into Markdown blocks; runs of inline nodes become paragraphs.
    fn blocks(&mut self, nodes: &[Node]) -> Vec<String> {
        let mut out = Vec::new();
        let mut run = String::new();
        for n in nodes {
            match n {
                Node::Element(e) if BLOCKS.contains(&e.name.as_str()) => {
                    flush(&mut run, &mut out);
                    let b = self.block(e);
                    out.extend(b.into_iter().filter(|b| !b.trim().is_empty()));
                }
                other => run.push_str(&self.inline(other)),
            }
        }
        flush(&mut run, &mut out);
        out
    }

    fn block(&mut self, e: &Element) -> Vec<String> {
        let name = e.name.as_str();
        if KEEP_AS_HTML.contains(&name) {
            self.notes.insert(format!("kept a <{name}> as HTML"));
            let mut s = String::new();
            serialize(e, &mut s);
            return vec![s];
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = usize::from(name.as_bytes()[1] - b'0');
                let mut text = flatten(&self.inline_children(&e.children));
                if text.is_empty() {
                    return Vec::new();
                }
                if text.ends_with('#') {
                    text.insert(text.len() - 1, '\\');
                }
                vec![format!("{} {}", "#".repeat(level), text)]
            }
            "ul" | "ol" => self.list(e),
            "blockquote" => {
                let inner = self.blocks(&e.children).join("\n\n");
                let quoted: Vec<String> = inner
                    .lines()
                    .map(|l| if l.is_empty() { ">".to_owned() } else { format!("> {l}") })
                    .collect();
                vec![quoted.join("\n")]
            }
            "pre" => vec![code_block(e)],
            "hr" => vec!["* * *".to_owned()],
            "figcaption" => {
                let text = flatten(&self.inline_children(&e.children));
                if text.is_empty() { Vec::new() } else { vec![wrap(&text, "*")] }
            }
            _ => self.blocks(&e.children),
        }
    }

    fn list(&mut self, e: &Element) -> Vec<String> {
        let ordered = e.name == "ol";
        let mut number: u64 = e.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
        let mut items: Vec<Vec<String>> = Vec::new();
        for child in &e.children {
            match child {
                Node::Element(li) if li.name == "li" => items.push(self.blocks(&li.children)),
                Node::Text(t) if t.trim().is_empty() => {}
                // A list written straight inside a list (WordPress does this) belongs to the item before it.
                Node::Element(sub) if matches!(sub.name.as_str(), "ul" | "ol") && !items.is_empty() => {
                    let b = self.list(sub);
                    items.last_mut().expect("checked non-empty").extend(b);
                }
                other => items.push(self.blocks(std::slice::from_ref(other))),
            }
        }
        let is_list = |b: &String| b.starts_with("- ") || b == "-" || starts_with_number_marker(b);
        let tight = items.iter().all(|blocks| blocks.iter().filter(|b| !is_list(b)).count() <= 1);
        let mut rendered = Vec::new();
        for blocks in items {
            let marker = if ordered { format!("{number}. ") } else { "- ".to_owned() };
            number += 1;
            let mut body = String::new();
            for (i, b) in blocks.iter().enumerate() {
                if i > 0 {
                    body.push_str(if tight && is_list(b) { "\n" } else { "\n\n" });
                }
                body.push_str(b);
            }
            let pad = " ".repeat(marker.len());
            let mut item = String::new();
            for (i, line) in body.lines().enumerate() {
                if i > 0 {
                    item.push('\n');
                }
                if i == 0 {
                    item.push_str(&marker);
                } else if !line.is_empty() {
                    item.push_str(&pad);
                }
                item.push_str(line);
            }
            if item.is_empty() {
                item = marker.trim_end().to_owned();
            }
            rendered.push(item);
        }
        if rendered.is_empty() {
            return Vec::new();
        }
        vec![rendered.join(if tight { "\n" } else { "\n\n" })]
    }

    fn inline_children(&mut self, nodes: &[Node]) -> String {
        nodes.iter().map(|n| self.inline(n)).collect()
    }

    fn inline(&mut self, n: &Node) -> String {
        let e = match n {
            Node::Text(t) => return self.text(t),
            Node::Element(e) => e,
        };
        let name = e.name.as_str();
        if DROPPED.contains(&name) {
            let why = match name {
                "iframe" | "object" | "embed" | "video" | "audio" => " (embedded media is not imported)",
                "form" | "input" | "button" | "select" | "textarea" => " (forms are not imported)",
                _ => "",
            };
            self.notes.insert(format!("dropped <{name}>{why}"));
            return String::new();
        }
        match name {
            "br" => HB.to_string(),
            "strong" | "b" => wrap(&self.inline_children(&e.children), "**"),
            "em" | "i" | "cite" => wrap(&self.inline_children(&e.children), "*"),
            "del" | "s" | "strike" => wrap(&self.inline_children(&e.children), "~~"),
            "code" | "kbd" | "samp" | "tt" => code_span(&e.text()),
            "sup" if e.attr("data-fn").is_some() => {
                let id = e.attr("data-fn").unwrap_or("");
                match self.opts.footnotes.iter().position(|(f, _)| f == id) {
                    Some(n) => format!("[^{}]", n + 1),
                    None => {
                        self.notes.insert("dropped a footnote marker whose note is not in the export".into());
                        String::new()
                    }
                }
            }
            "sub" | "sup" => {
                let inner = self.inline_children(&e.children);
                if inner.is_empty() { inner } else { format!("<{name}>{inner}</{name}>") }
            }
            "q" => format!("“{}”", self.inline_children(&e.children)),
            "a" => self.link(e),
            "img" => self.image(e),
            _ if BLOCKS.contains(&name) => {
                let inner = self.blocks(&e.children).join(&PB.to_string());
                format!("{PB}{inner}{PB}")
            }
            _ => self.inline_children(&e.children),
        }
    }

    fn text(&self, t: &str) -> String {
        let mut out = String::with_capacity(t.len());
        let chars: Vec<char> = t.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() && c != '\u{a0}' {
                let start = i;
                while i < chars.len() && chars[i].is_whitespace() && chars[i] != '\u{a0}' {
                    i += 1;
                }
                let newlines = chars[start..i].iter().filter(|c| **c == '\n').count();
                out.push(match (self.opts.autop, newlines) {
                    (true, n) if n >= 2 => PB,
                    (true, 1) => HB,
                    _ => ' ',
                });
                continue;
            }
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            match c {
                '\\' | '*' | '`' | '[' | ']' | '<' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                '_' if !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)) =>
                {
                    out.push_str("\\_");
                }
                '&' if looks_like_entity(&chars[i + 1..]) => out.push_str("\\&"),
                _ => out.push(c),
            }
            i += 1;
        }
        out
    }

    fn link(&mut self, e: &Element) -> String {
        let inner = self.inline_children(&e.children);
        let Some(href) = e.attr("href").map(str::trim).filter(|h| !h.is_empty()) else {
            return inner;
        };
        let href = (self.opts.rewrite)(href).unwrap_or_else(|| href.to_owned());
        let text = if flatten(&inner).is_empty() { escape_label(&href) } else { inner };
        format!("[{}]({}{})", text, destination(&href), title(e))
    }

    fn image(&mut self, e: &Element) -> String {
        let Some(src) = e.attr("src").or_else(|| e.attr("data-src")).map(str::trim).filter(|s| !s.is_empty())
        else {
            return String::new();
        };
        let src = (self.opts.rewrite)(src).unwrap_or_else(|| src.to_owned());
        if src.starts_with("http://") || src.starts_with("https://") || src.starts_with("//") {
            self.remote_images += 1;
        }
        let alt = escape_label(e.attr("alt").unwrap_or("").trim());
        format!("![{alt}]({}{})", destination(&src), title(e))
    }
}

/// Ends a run of inline text: one paragraph per classic-editor blank line, with line starts escaped.
fn flush(run: &mut String, out: &mut Vec<String>) {
    for piece in run.split(PB) {
        let piece = piece.trim_matches(|c: char| c == HB || (c.is_whitespace() && c != '\u{a0}'));
        let piece = piece.trim_matches(|c: char| c == HB || c.is_whitespace());
        if piece.is_empty() {
            continue;
        }
        let lines: Vec<String> = piece
            .split(HB)
            .map(|l| escape_line_start(l.trim_matches(' ')))
            .filter(|l| !l.is_empty())
            .collect();
        out.push(lines.join("\\\n"));
    }
    run.clear();
}

/// Inline text as one line (for headings and captions).
fn flatten(s: &str) -> String {
    let s: String = s.chars().map(|c| if c == HB || c == PB { ' ' } else { c }).collect();
    let mut out = String::with_capacity(s.len());
    for w in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim().to_owned()
}

/// `**text**`, with surrounding spaces moved outside the markers (Markdown needs them outside).
fn wrap(inner: &str, marker: &str) -> String {
    let core = inner.trim_matches(|c: char| c == ' ' || c == HB);
    if core.is_empty() {
        return inner.to_owned();
    }
    let start = inner.find(core).unwrap_or(0);
    let (lead, trail) = (&inner[..start], &inner[start + core.len()..]);
    format!("{lead}{marker}{core}{marker}{trail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, &Options { autop: false, rewrite: &|_| None, footnotes: &[] }).markdown
    }

    fn classic(html: &str) -> String {
        to_markdown(html, &Options { autop: true, rewrite: &|_| None, footnotes: &[] }).markdown
    }

    #[test]
    fn common_tags_become_markdown() {
        let out =
            md("<!-- wp:heading --><h2>What helps</h2><!-- /wp:heading -->\n<p>Some <strong>bold</strong> \
             and <em>soft</em> text with <a href=\"https://example.org/x\" title=\"T\">a link</a>.</p>\n\
             <ul><li>one</li><li>two</li></ul><ol start=\"3\"><li>three</li></ol>\
             <blockquote><p>Quoted.</p></blockquote><p>Line<br>break and <code>x_y</code></p>\
             <pre class=\"wp-block-code\"><code class=\"language-rust\">fn main() {}</code></pre>\
             <figure><img src=\"/a.jpg\" alt=\"A calm room\"><figcaption>The room</figcaption></figure>");
        assert_eq!(
            out,
            "## What helps\n\nSome **bold** and *soft* text with [a link](https://example.org/x \"T\").\n\n\
             - one\n- two\n\n3. three\n\n> Quoted.\n\nLine\\\nbreak and `x_y`\n\n```rust\nfn main() {}\n```\n\n\
             ![A calm room](/a.jpg)\n\n*The room*\n"
        );
    }

    #[test]
    fn classic_editor_blank_lines_are_paragraphs_and_newlines_breaks() {
        assert_eq!(
            classic("First para\nsame para\n\nSecond <em>one</em>\n"),
            "First para\\\nsame para\n\nSecond *one*\n"
        );
    }

    #[test]
    fn text_that_looks_like_markdown_is_escaped() {
        assert_eq!(
            md("<p># not a heading, *not* [a link] 1 < 2 snake_case _x_</p>"),
            "\\# not a heading, \\*not\\* \\[a link\\] 1 \\< 2 snake_case \\_x\\_\n"
        );
        assert_eq!(md("<p>1. not a list</p>"), "1\\. not a list\n");
    }

    #[test]
    fn tables_stay_html_and_scripts_and_iframes_are_dropped_with_notes() {
        let c = to_markdown(
            "<table><tr><td>a</td>\n\n<td>b</td></tr></table><script>alert(1)</script><iframe src=x></iframe>",
            &Options { autop: false, rewrite: &|_| None, footnotes: &[] },
        );
        assert_eq!(c.markdown, "<table><tr><td>a</td><td>b</td></tr>\n</table>\n");
        assert_eq!(
            c.notes,
            [
                "dropped <iframe> (embedded media is not imported)",
                "dropped <script>",
                "kept a <table> as HTML"
            ]
        );
    }

    #[test]
    fn nested_lists_indent_under_their_item() {
        assert_eq!(md("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"), "- a\n  - b\n- c\n");
    }

    #[test]
    fn sub_sup_and_block_editor_footnotes_are_kept() {
        let notes = [("f1".to_owned(), "Smith, <em>2020</em>.".to_owned())];
        let c = to_markdown(
            "<p>H<sub>2</sub>O and x<sup>2</sup>, as found<sup data-fn=\"f1\" class=\"fn\"><a href=\"#f1\" id=\"f1-link\">1</a></sup>.</p>",
            &Options { autop: false, rewrite: &|_| None, footnotes: &notes },
        );
        assert_eq!(c.markdown, "H<sub>2</sub>O and x<sup>2</sup>, as found[^1].\n\n[^1]: Smith, *2020*.\n");
    }

    #[test]
    fn links_are_rewritten_and_remote_images_counted() {
        let c = to_markdown(
            "<p><a href=\"https://old.example/2019/05/x/\">x</a> <img src=\"https://old.example/i.jpg\" alt=\"\"></p>",
            &Options {
                autop: false,
                rewrite: &|u| u.contains("/2019/05/x").then(|| "/articles/x".to_owned()),
                footnotes: &[],
            },
        );
        assert_eq!(c.markdown, "[x](/articles/x) ![](https://old.example/i.jpg)\n");
        assert_eq!(c.remote_images, 1);
    }
}
