//! Markdown to safe HTML: pulldown-cmark (CommonMark, tables, footnotes, strikethrough) then ammonia.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// Bump when the HTML this module produces changes, so stored HTML is rebuilt at start.
pub const RENDERER_VERSION: i64 = 1;

/// The platform's Markdown dialect: CommonMark with tables, footnotes, strikethrough and heading
/// attributes (`## Title {#id}`). The renderer and the editorial checks (`content::checks`) both parse
/// with exactly this set, so the checker reads the text the reader is shown: a heading's `{#id}` is not
/// heading text, and `- [ ] item` (no task lists) is the literal text the page prints.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders Markdown to sanitised HTML: headings get ids, external links `rel="noopener"`,
/// raw HTML is cleaned by ammonia (no scripts, no event handlers, no `javascript:` URLs).
pub fn to_html(markdown: &str) -> String {
    let events = with_heading_ids(Parser::new_ext(markdown, OPTIONS).collect());
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Link { dest_url, title, .. }) => Event::Html(open_link(&dest_url, &title).into()),
        Event::End(TagEnd::Link) => Event::Html("</a>".into()),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    sanitizer().clean(&raw).to_string()
}

/// The body as plain text (Markdown and HTML stripped), for search and descriptions.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for e in Parser::new_ext(markdown, OPTIONS) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                out.push('\n')
            }
            _ => {}
        }
    }
    out
}

fn open_link(dest: &str, title: &str) -> String {
    let mut href = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut href, dest);
    let mut attr = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut attr, &href);
    let mut s = format!("<a href=\"{attr}\"");
    if !title.is_empty() {
        let mut t = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut t, title);
        s.push_str(&format!(" title=\"{t}\""));
    }
    if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//") {
        s.push_str(" rel=\"noopener\"");
    }
    s.push('>');
    s
}

/// Gives every heading without an explicit id one made from its text, unique within the document.
fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = crate::domain::Slug::from_text(&text)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_else(|_| "section".to_owned());
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    events
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.link_rel(None)
        .add_tag_attributes("a", ["rel"])
        .add_tag_attributes("div", ["id", "class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
}

/// Heading levels in document order (for templates and checks).
pub fn heading_levels(markdown: &str) -> Vec<u8> {
    Parser::new_ext(markdown, OPTIONS)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(match level {
                HeadingLevel::H1 => 1,
                HeadingLevel::H2 => 2,
                HeadingLevel::H3 => 3,
                HeadingLevel::H4 => 4,
                HeadingLevel::H5 => 5,
                HeadingLevel::H6 => 6,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ text[^1]\n\n[^1]: note\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = to_html("## What helps\n\n## What helps\n");
        assert!(html.contains("<h2 id=\"what-helps\">"), "{html}");
        assert!(html.contains("<h2 id=\"what-helps-2\">"), "{html}");
    }

    #[test]
    fn raw_scripts_and_handlers_are_removed() {
        let html =
            to_html("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn external_links_get_noopener_and_internal_ones_do_not() {
        let html = to_html("[out](https://example.org) [in](/articles/a)");
        assert!(html.contains("<a href=\"https://example.org\" rel=\"noopener\">out</a>"), "{html}");
        assert!(html.contains("<a href=\"/articles/a\">in</a>"), "{html}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(to_plain_text("## Hi\n\nA **bold** [link](/x)").trim(), "Hi\nA bold link");
    }
}
