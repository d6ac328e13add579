//! Importing one Markdown article: parse, render, save in its own transaction.

use crate::content::checks::{Checker, Finding};
use crate::content::{self, ContentError, editorial, markdown};
use crate::store::{SaveOutcome, Store, StoreError};
use std::path::Path;
use time::OffsetDateTime;

/// Result of importing one file.
#[derive(Debug)]
pub struct ImportReport {
    /// The article's slug.
    pub slug: String,
    /// Created, updated or unchanged.
    pub outcome: ImportOutcome,
    /// Non-fatal problems (unknown keys …), with lines.
    pub warnings: Vec<ContentError>,
    /// Editorial findings for the file (it is imported regardless).
    pub findings: Vec<Finding>,
}

/// What importing a file did.
pub type ImportOutcome = SaveOutcome;

/// Why one file could not be imported; the store is unchanged for it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a valid article.
    #[error("{0}")]
    Content(#[from] ContentError),
    /// The store refused it.
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Imports the article in `text`; `name` is the file name (its stem is the slug when the front matter has none).
/// The editorial findings are computed, kept with the article and returned; `known_slugs` says which
/// internal-link targets exist.
pub fn import_text(
    store: &Store,
    checker: &Checker,
    known_slugs: &dyn Fn(&str) -> bool,
    name: &str,
    text: &str,
    now: OffsetDateTime,
) -> Result<ImportReport, ImportError> {
    let stem = Path::new(name).file_stem().and_then(|s| s.to_str());
    let stem = stem.filter(|s| *s != "index" && *s != "_index");
    let parsed = content::parse_article(text, stem, now)?;
    let own = parsed.article.slug.as_str().to_owned();
    let known = |s: &str| s == own || known_slugs(s);
    let findings = editorial::check_source(checker, text, &parsed, &known, now.date());
    let html = markdown::to_html(&parsed.article.body);
    let outcome =
        store.save_article(&parsed.article, &html, markdown::RENDERER_VERSION, "import", name, now)?;
    let json = serde_json::to_string(&findings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store.set_findings(&parsed.article.slug, &json)?;
    Ok(ImportReport { slug: parsed.article.slug.to_string(), outcome, warnings: parsed.warnings, findings })
}
