//! Read models for listings: what a list of articles or tags shows.

use super::{Slug, Tag};
use time::OffsetDateTime;

/// What a listing shows of an article.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArticleSummary {
    /// URL name.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// Description, else the short answer.
    pub description: String,
    /// The reader's question.
    pub question: Option<String>,
    /// Tags in order.
    pub tags: Vec<Tag>,
    /// Publication time shown to readers.
    #[serde(with = "time::serde::rfc3339")]
    pub published: OffsetDateTime,
}

/// A tag with the number of public articles carrying it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TagCount {
    /// The tag.
    pub tag: Tag,
    /// Public articles with it.
    pub count: u64,
}
