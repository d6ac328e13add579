//! Reading the WXR file itself with quick-xml: channel, authors, items, their terms and comments.
//!
//! quick-xml never reads a DTD and never expands an entity it was not told about: a `<!DOCTYPE>` is
//! passed over (with a warning) and an entity reference other than the five XML ones and numeric
//! character references stays in the text as written (`&x;`), also with a warning. So an export
//! carrying `<!ENTITY x SYSTEM "file:///etc/passwd">` cannot make the import read that file, and an
//! entity cannot expand into millions of copies of itself.

use super::{Export, Item, PostType, Term, WxrError};
use crate::content::ContentError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;

/// Parses a WXR document. A file that is not well-formed XML fails with the line and column of the fault.
pub fn parse(xml: &str) -> Result<Export, WxrError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut r = State::default();
    let mut lines = Lines::new(xml);
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            WxrError::at(xml, at, format!("this is not well-formed XML: {e}"))
        })?;
        match event {
            Event::Eof => break,
            Event::DocType(_) => r.warnings.push(ContentError::at(
                lines.at(before),
                "the <!DOCTYPE> is ignored: no DTD and no entity declared in it is ever read",
            )),
            Event::Start(e) => {
                let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                let line = lines.at(before);
                r.start(&e, line, lines.at(after));
            }
            Event::Empty(e) => {
                r.start(&e, lines.at(before), lines.at(before));
                r.end();
            }
            Event::End(_) => r.end(),
            Event::Text(t) => r.text.push_str(&t.xml10_content().map_err(|e| not_utf8(xml, before, e))?),
            Event::CData(c) => r.text.push_str(&c.xml10_content().map_err(|e| not_utf8(xml, before, e))?),
            Event::GeneralRef(g) => {
                let char_ref = g.resolve_char_ref().map_err(|e| {
                    WxrError::at(xml, before, format!("this is not a valid character reference: {e}"))
                })?;
                let name = g.xml10_content().map_err(|e| not_utf8(xml, before, e))?;
                match char_ref
                    .map(String::from)
                    .or_else(|| quick_xml::escape::resolve_xml_entity(&name).map(str::to_owned))
                {
                    Some(s) => r.text.push_str(&s),
                    None => {
                        r.warnings.push(ContentError::at(
                            lines.at(before),
                            format!("the entity `&{name};` is not resolved; it is kept as written"),
                        ));
                        r.text.push_str(&format!("&{name};"));
                    }
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = r.path.last() {
        return Err(WxrError::at(xml, xml.len(), format!("the file ends before <{open}> is closed")));
    }
    if !r.saw_channel {
        return Err(WxrError {
            line: 1,
            column: 1,
            message: "this is not a WordPress export: it has no <rss><channel>".into(),
        });
    }
    if !r.saw_version {
        r.warnings.push(ContentError::at(1, "no <wp:wxr_version>: read as a WordPress export anyway"));
    }
    for item in &mut r.export.items {
        if let Some(name) = r.authors.get(&item.creator) {
            item.creator = name.clone();
        }
    }
    r.export.warnings = r.warnings;
    Ok(r.export)
}

fn not_utf8(xml: &str, at: usize, e: quick_xml::encoding::EncodingError) -> WxrError {
    WxrError::at(xml, at, format!("this text is not UTF-8: {e}"))
}

/// 1-based line of byte `offset`.
pub fn line_of(text: &str, offset: usize) -> usize {
    Lines::new(text).at(offset)
}

/// Line numbers for offsets that mostly grow, as a parser's do: each call counts only the newlines
/// since the previous one, so numbering every tag of a file costs one pass over it, not one pass per tag
/// (which made a 5 MB export take minutes).
pub struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    /// A counter at the start of `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines { text: text.as_bytes(), offset: 0, line: 1 }
    }

    /// 1-based line of byte `offset` (past the end: the last line).
    pub fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = Lines { text: self.text, offset: 0, line: 1 };
        }
        self.line += count_newlines(&self.text[self.offset..offset]);
        self.offset = offset;
        self.line
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

#[derive(Default)]
struct State {
    export: Export,
    warnings: Vec<ContentError>,
    /// Open elements, outermost first.
    path: Vec<String>,
    text: String,
    item: Option<Item>,
    item_type: String,
    term: Option<(String, String)>,
    /// The `wp:postmeta` being read: key and value.
    meta: (String, String),
    author: (String, String),
    authors: HashMap<String, String>,
    saw_channel: bool,
    saw_version: bool,
}

impl State {
    fn parent(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    fn start(&mut self, e: &BytesStart<'_>, line: usize, line_after: usize) {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let in_item = self.item.is_some() && self.parent() == "item";
        match name.as_str() {
            "channel" if self.parent() == "rss" => self.saw_channel = true,
            "item" if self.parent() == "channel" => {
                self.item = Some(Item { line, ..Item::default() });
                self.item_type.clear();
            }
            "wp:comment" if in_item => {
                if let Some(item) = &mut self.item {
                    item.comments += 1;
                }
            }
            "category" if in_item => self.term = Some((attr(e, "domain"), attr(e, "nicename"))),
            "content:encoded" if in_item => {
                if let Some(item) = &mut self.item {
                    item.content_line = line_after;
                }
            }
            _ => {}
        }
        self.path.push(name);
        self.text.clear();
    }

    fn end(&mut self) {
        let Some(name) = self.path.pop() else { return };
        let text = std::mem::take(&mut self.text);
        let parent = self.parent().to_owned();
        match (parent.as_str(), name.as_str()) {
            ("channel", "item") => self.finish_item(),
            ("channel", "wp:wxr_version") => self.saw_version = true,
            ("channel", "wp:base_blog_url") => self.export.site = Some(text.trim().to_owned()),
            ("channel", "link") if self.export.site.is_none() => {
                self.export.site = Some(text.trim().to_owned())
            }
            ("wp:postmeta", "wp:meta_key") => self.meta.0 = text.trim().to_owned(),
            ("wp:postmeta", "wp:meta_value") => self.meta.1 = text,
            ("wp:author", "wp:author_login") => self.author.0 = text.trim().to_owned(),
            ("wp:author", "wp:author_display_name") => self.author.1 = text.trim().to_owned(),
            ("channel", "wp:author") => {
                let (login, display) = std::mem::take(&mut self.author);
                if !login.is_empty() && !display.is_empty() {
                    self.authors.insert(login, display);
                }
            }
            ("item", field) => {
                let term = self.term.take();
                let Some(item) = &mut self.item else { return };
                match field {
                    "title" => item.title = text,
                    "link" => item.link = text.trim().to_owned(),
                    "guid" => item.guid = text.trim().to_owned(),
                    "dc:creator" => item.creator = text.trim().to_owned(),
                    "content:encoded" => item.content = text,
                    "excerpt:encoded" => item.excerpt = text,
                    "wp:post_id" => item.id = text.trim().parse().ok(),
                    "wp:post_date" => item.date = text.trim().to_owned(),
                    "wp:post_date_gmt" => item.date_gmt = text.trim().to_owned(),
                    "wp:post_modified_gmt" => item.modified_gmt = text.trim().to_owned(),
                    "wp:post_name" => item.name = text.trim().to_owned(),
                    "wp:status" => item.status = text.trim().to_owned(),
                    "wp:post_password" => item.password = !text.trim().is_empty(),
                    "wp:postmeta" => {
                        let (key, value) = std::mem::take(&mut self.meta);
                        if key == "footnotes" {
                            item.footnotes = footnotes(&value);
                        }
                    }
                    "wp:post_type" => self.item_type = text.trim().to_owned(),
                    "category" => {
                        if let Some((domain, nicename)) = term {
                            // WXR 1.0 wrote tags as `domain="tag"` and categories with no domain.
                            let domain = match domain.as_str() {
                                "" => "category".to_owned(),
                                "tag" => "post_tag".to_owned(),
                                _ => domain,
                            };
                            item.terms.push(Term { domain, nicename, name: text.trim().to_owned() });
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn finish_item(&mut self) {
        let Some(mut item) = self.item.take() else { return };
        let s = &mut self.export.skipped;
        s.comments += item.comments;
        let kind = match self.item_type.as_str() {
            "post" | "" => Some(PostType::Post),
            "page" => Some(PostType::Page),
            "attachment" => {
                s.attachments += 1;
                None
            }
            "nav_menu_item" => {
                s.menu_items += 1;
                None
            }
            other => {
                *s.other.entry(other.to_owned()).or_insert(0) += 1;
                None
            }
        };
        let Some(kind) = kind else { return };
        if item.status == "auto-draft" || item.status == "inherit" {
            *s.other.entry(item.status.clone()).or_insert(0) += 1;
            return;
        }
        item.post_type = kind;
        self.export.items.push(item);
    }
}

/// The block editor's footnotes meta value: `[{"id": "…", "content": "…"}, …]`; anything else is none.
fn footnotes(json: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(json) else { return Vec::new() };
    items
        .iter()
        .filter_map(|f| Some((f.get("id")?.as_str()?.to_owned(), f.get("content")?.as_str()?.to_owned())))
        .collect()
}

/// An attribute's value with the XML entities decoded, or as written when it holds another one.
fn attr(e: &BytesStart<'_>, name: &str) -> String {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        },
        _ => String::new(),
    }
}
