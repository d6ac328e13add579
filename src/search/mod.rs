//! Full-text search over published articles: the only module that touches tantivy.
//!
//! The index is derived data: it lives in its own directory, can be rebuilt from the store at
//! any time ([`SearchIndex::replace_all`]), and is recreated empty when it is missing, written
//! by another schema version or corrupt ([`OpenOutcome`]), so a damaged index never stops the
//! server. Queries are natural language, never a syntax: words are OR'ed and ranked by BM25
//! over boosted fields, quotes make phrases, typos fall back to fuzzy matching with a "Did you
//! mean" suggestion from the index's own vocabulary, and snippets are cut from a stored excerpt
//! by a fast scan instead of re-analysing whole bodies.
//!
//! Layout:
//! - `words`: word and compound splitting, the tantivy tokenizer;
//! - `analyzer`: folding, stop words, stemming; query-text analysis;
//! - `schema`: fields, boosts, schema version, [`SearchDoc`] → tantivy document;
//! - `index`: open / create / rebuild, [`SearchIndex`] writes;
//! - `query`: text → query plan (joins, splits, phrases) → tantivy query;
//! - `suggest`: the index's vocabulary: word splits and typo candidates;
//! - `snippet`: highlighted excerpts;
//! - `execute`: [`SearchIndex::search`];
//! - `tests`: end-to-end query behaviour (lifecycle tests are in `index`), on `fixtures`.

mod analyzer;
mod execute;
#[cfg(test)]
mod fixtures;
mod index;
mod query;
mod schema;
mod snippet;
mod suggest;
#[cfg(test)]
mod tests;
mod words;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use index::SearchIndex;
pub use query::MAX_QUERY_CHARS;
pub use schema::normalize_tag;

/// Result of search operations.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// One article as the search index sees it. The caller strips Markdown from the body, so the
/// index never sees (or highlights) markup, link targets or HTML attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Unique, URL-safe identifier; upserts and deletes are keyed on it.
    pub slug: String,
    /// Article title (the strongest ranking signal).
    pub title: String,
    /// The reader's question, or empty.
    pub question: String,
    /// The short answer summary, or empty.
    pub answer: String,
    /// Description for cards and search engines; the snippet fallback.
    pub description: String,
    /// Tags in page order; normalised with [`normalize_tag`] when indexed.
    pub tags: Vec<String>,
    /// Plain text of the body, Markdown already stripped.
    pub body_text: String,
    /// Publication time, seconds since the Unix epoch (orders tag-only listings).
    pub published_unix: i64,
}

/// What [`SearchIndex::open`] found on disk, so the caller knows whether to re-fill the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// An existing, current index was opened.
    Opened,
    /// No index existed; a new empty one was created (re-fill it from the store).
    Created,
    /// An index existed but was stale or corrupt and was recreated empty (re-fill and log).
    Rebuilt {
        /// Human-readable reason, for the log.
        reason: String,
    },
}

/// A search as the reader typed it. Nothing in it can make the search fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// Free text; quotes make phrases, everything else is a plain word.
    pub text: String,
    /// Only articles carrying this tag (normalised; a leading `#` is fine).
    pub tag: Option<String>,
    /// 1-based page number; 0 is read as 1.
    pub page: usize,
    /// Hits per page; 0 means the default of 10, more than 100 is capped at 100.
    pub per_page: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest { text: String::new(), tag: None, page: 1, per_page: 10 }
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching articles over all pages, or, when `total_exact` is false, a lower
    /// bound: counting stops after 1,000 matches (or the end of the requested page).
    pub total: usize,
    /// Whether `total` is the exact count; false means "more than `total`".
    pub total_exact: bool,
    /// The hits of the requested page, best first.
    pub hits: Vec<Hit>,
    /// "Did you mean": the whole query with misspelled words corrected, when any were found.
    pub suggestion: Option<String>,
    /// Whether fuzzy (typo-tolerant) matching was added because exact matching found too little.
    pub fuzzy: bool,
    /// Time spent in [`SearchIndex::search`].
    pub took: Duration,
    /// Whether the query text was cut (longer than 256 characters, or too many words).
    pub truncated: bool,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Article slug, for the link.
    pub slug: String,
    /// Title as stored (plain text; escape it when rendering).
    pub title: String,
    /// About 200 characters of HTML-escaped text with the matched words in `<mark>…</mark>`;
    /// safe to insert into HTML as is.
    pub snippet_html: String,
    /// Normalised tags in page order.
    pub tags: Vec<String>,
    /// BM25 relevance (higher is better); only comparable within one result list.
    pub score: f32,
}

/// Why a search operation failed. Queries themselves never fail; these are I/O and engine
/// errors (disk full, permissions, a second process holding the writer lock).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A file-system operation on the index directory failed.
    #[error("search index I/O error at {path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Another process (or index handle) holds this index's writer lock; only one may write.
    #[error("the search index is locked by another writer")]
    Locked,
    /// tantivy reported an error.
    #[error("search engine error: {0}")]
    Engine(#[from] tantivy::TantivyError),
    /// The documents to index could not be read (the store failed mid-rebuild); nothing was committed.
    #[error("the articles to index could not be read: {0}")]
    Source(String),
}
