//! WordPress exports (WXR, "WordPress eXtended RSS"): the file's posts and pages as
//! [`Article`](crate::domain::Article)s, with the old permalinks to keep as redirects and counts of what is
//! not imported (comments, attachments, menu items, other post types). Pure: text in, values out.
//!
//! Bodies are turned into Markdown for the common tags (see [`markdown`]); tables, definition lists and
//! `<details>` stay HTML inside the Markdown, which the renderer sanitises. Gutenberg block comments are
//! dropped; shortcodes are reported, `[caption]` becomes a figure and the rest stay as text.

mod article;
mod entities;
pub mod html;
pub mod markdown;
pub mod shortcodes;
mod syntax;
mod xml;

pub use article::ImportedItem;
pub use xml::parse;

use crate::content::ContentError;
use std::collections::BTreeMap;

/// What a WXR file holds, before it becomes articles.
#[derive(Debug, Default)]
pub struct Export {
    /// The blog's address (`wp:base_blog_url`, else the channel's `link`).
    pub site: Option<String>,
    /// Posts and pages, in file order.
    pub items: Vec<Item>,
    /// What is not imported.
    pub skipped: Skipped,
    /// Problems with the file as a whole (a DOCTYPE, an unknown entity), with lines.
    pub warnings: Vec<ContentError>,
}

/// Counts of what an import leaves behind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Comments (`wp:comment`), on any item.
    pub comments: u64,
    /// Media library entries (`attachment`); their files are not downloaded.
    pub attachments: u64,
    /// Navigation menu entries (`nav_menu_item`).
    pub menu_items: u64,
    /// Every other post type or status (revisions, reusable blocks, `auto-draft` …), by name.
    pub other: BTreeMap<String, u64>,
}

impl Skipped {
    /// How many "other" entries in all.
    pub fn other_total(&self) -> u64 {
        self.other.values().sum()
    }
}

/// A post or a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PostType {
    /// `post`.
    #[default]
    Post,
    /// `page`.
    Page,
}

/// One `<item>` of type post or page, as written in the file.
#[derive(Debug, Default, Clone)]
pub struct Item {
    /// Line of its `<item>`.
    pub line: usize,
    /// Post or page.
    pub post_type: PostType,
    /// `wp:post_id`.
    pub id: Option<u64>,
    /// `title` (may hold HTML entities).
    pub title: String,
    /// `wp:post_name`: the slug, percent-encoded.
    pub name: String,
    /// `wp:status`: publish, draft, pending, private, future, trash.
    pub status: String,
    /// Whether `wp:post_password` is set: the post was shown only to those who had the password.
    pub password: bool,
    /// `wp:post_date` (the site's local time).
    pub date: String,
    /// `wp:post_date_gmt`; `0000-00-00 00:00:00` for a draft never scheduled.
    pub date_gmt: String,
    /// `wp:post_modified_gmt`.
    pub modified_gmt: String,
    /// `dc:creator`, replaced by the author's display name when the file lists it.
    pub creator: String,
    /// Categories and tags (`<category domain="category|post_tag" nicename="…">Name</category>`; WXR
    /// 1.0's `domain="tag"` and domain-less categories are read as `post_tag` and `category`).
    pub terms: Vec<Term>,
    /// `content:encoded`: the body HTML.
    pub content: String,
    /// Line where the body starts in the file.
    pub content_line: usize,
    /// `excerpt:encoded`.
    pub excerpt: String,
    /// `link`: the permalink.
    pub link: String,
    /// `guid`, usually `https://site/?p=ID`.
    pub guid: String,
    /// How many comments it had (they are not imported).
    pub comments: u64,
    /// The block editor's footnotes (post meta `footnotes`): each one's id and HTML, in order.
    pub footnotes: Vec<(String, String)>,
}

/// A category or tag on an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    /// `category`, `post_tag`, `post_format` or a custom taxonomy.
    pub domain: String,
    /// The term's slug.
    pub nicename: String,
    /// The term's name as shown.
    pub name: String,
}

/// A WXR file that cannot be read, with the position of the fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct WxrError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl WxrError {
    /// An error at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize, message: impl Into<String>) -> WxrError {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        WxrError {
            line: xml::line_of(text, offset),
            column: text[line_start..offset].chars().count() + 1,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests;
