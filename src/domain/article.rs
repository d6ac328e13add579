//! `Article`: one question-and-answer article, as editors write it.

use super::{Slug, Tag};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Where an article is in its life. Only `Published` articles are shown to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; never public.
    Draft,
    /// Published automatically once its publication time has come.
    Scheduled,
    /// Public.
    Published,
    /// Deleted, but restorable until the trash is emptied.
    Trashed,
}

impl Status {
    /// The lower-case name used in front matter, the store and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Trashed => "trashed",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "scheduled" => Some(Status::Scheduled),
            "published" => Some(Status::Published),
            "trashed" => Some(Status::Trashed),
            _ => None,
        }
    }
}

/// One entry of an article's reference list.
///
/// The DOI and URL are kept as written: a malformed one is an editorial finding to fix,
/// not a reason to refuse the whole article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reference {
    /// The in-text citation this entry answers, e.g. "Bonanno, 2004".
    pub key: Option<String>,
    /// The full reference as it is shown (APA style).
    pub text: String,
    /// Author(s) as written, when given apart from `text`.
    pub author: Option<String>,
    /// Year as written, when given apart from `text`.
    pub year: Option<String>,
    /// Title, when given apart from `text`.
    pub title: Option<String>,
    /// Digital Object Identifier, e.g. "10.1037/0003-066X.59.1.20".
    pub doi: Option<String>,
    /// A web address for the work.
    pub url: Option<String>,
}

impl Reference {
    /// The resolvable link for the DOI, when the DOI is syntactically one (`10.NNNN/...`).
    pub fn doi_url(&self) -> Option<String> {
        let doi = self.doi.as_deref()?.trim();
        let doi = doi.strip_prefix("https://doi.org/").or_else(|| doi.strip_prefix("doi:")).unwrap_or(doi);
        let (prefix, suffix) = doi.split_once('/')?;
        let registrant = prefix.strip_prefix("10.")?;
        let valid = registrant.len() >= 4
            && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !suffix.is_empty()
            && !suffix.chars().any(char::is_whitespace);
        valid.then(|| format!("https://doi.org/{doi}"))
    }

    /// The URL, when it is an absolute http(s) address (anything else is not linked).
    pub fn safe_url(&self) -> Option<&str> {
        let url = self.url.as_deref()?.trim();
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && !url.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
        ok.then_some(url)
    }
}

/// An article as written: everything an editor controls. Derived data (rendered HTML) lives in the store.
///
/// Its serde form is also the stored format (the `article_json` column and every revision), so
/// a field added later must read as absent from rows written before it: every field but the
/// slug, title and status has a default (`#[serde(default)]`), and `tests/it/stored_format.rs` reads rows of every earlier
/// version. To add a field: here, `content::schema::FrontMatter`, the editor's form template and
/// the article view template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Unique URL name.
    pub slug: Slug,
    /// Title as written; templates may show it in capitals.
    pub title: String,
    /// One or two sentences for search engines and cards.
    #[serde(default)]
    pub description: String,
    /// The reader's question this article answers.
    #[serde(default)]
    pub question: Option<String>,
    /// The short answer shown with the question.
    #[serde(default)]
    pub answer: Option<String>,
    /// Markdown body.
    #[serde(default)]
    pub body: String,
    /// Ordered, normalised tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Descriptive labels shown before the body, e.g. "trauma".
    #[serde(default)]
    pub content_notes: Vec<String>,
    /// Works cited in the body.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Who wrote it.
    #[serde(default)]
    pub author: Option<String>,
    /// Who reviewed it (e.g. a clinician).
    #[serde(default)]
    pub reviewer: Option<String>,
    /// When it was last reviewed.
    #[serde(default)]
    pub last_reviewed: Option<Date>,
    /// When it is due for review.
    #[serde(default)]
    pub next_review: Option<Date>,
    /// Funding, conflicts of interest, "no advertising".
    #[serde(default)]
    pub disclosure: Option<String>,
    /// The language it is written in, a BCP 47 tag such as `en` or `pt-BR`, when it is given
    /// (imported sites with translations; the page's `lang` follows it).
    #[serde(default)]
    pub language: Option<String>,
    /// What its translations share (Hugo's `translationKey`; an imported page's path without its
    /// language): articles with the same key are one page in several languages.
    #[serde(default)]
    pub translation_key: Option<String>,
    /// Draft, scheduled, published or trashed.
    pub status: Status,
    /// When it was (or will be) published.
    #[serde(with = "time::serde::rfc3339::option")]
    #[serde(default)]
    pub published: Option<OffsetDateTime>,
    /// When it was first written, if the source says.
    #[serde(with = "time::serde::rfc3339::option")]
    #[serde(default)]
    pub created: Option<OffsetDateTime>,
    /// When it last changed in substance, if the source says.
    #[serde(with = "time::serde::rfc3339::option")]
    #[serde(default)]
    pub updated: Option<OffsetDateTime>,
}

/// One language of a page that exists in several (articles sharing a translation key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// Its language; `None` is the site's.
    pub language: Option<String>,
    /// The article.
    pub slug: Slug,
    /// Its title, in its language.
    pub title: String,
}

impl Article {
    /// An article with only a slug, a title and a status; every other field empty. Build others
    /// from it with `Article { question, ..Article::new(slug, title, status) }`, so a field added
    /// to the type needs no change where articles are made.
    pub fn new(slug: Slug, title: String, status: Status) -> Article {
        Article {
            slug,
            title,
            description: String::new(),
            question: None,
            answer: None,
            body: String::new(),
            tags: Vec::new(),
            content_notes: Vec::new(),
            references: Vec::new(),
            author: None,
            reviewer: None,
            last_reviewed: None,
            next_review: None,
            disclosure: None,
            language: None,
            translation_key: None,
            status,
            published: None,
            created: None,
            updated: None,
        }
    }

    /// True when readers may see it at `now`.
    pub fn is_public(&self, now: OffsetDateTime) -> bool {
        match self.status {
            Status::Published => true,
            Status::Scheduled => self.published.is_some_and(|p| p <= now),
            Status::Draft | Status::Trashed => false,
        }
    }

    /// What cards, feeds and search engines show: the description, else the short answer.
    pub fn summary(&self) -> &str {
        if self.description.is_empty() { self.answer.as_deref().unwrap_or("") } else { &self.description }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_doi_becomes_a_doi_link() {
        let r = Reference { doi: Some("10.1037/0003-066X.59.1.20".into()), ..Reference::default() };
        assert_eq!(r.doi_url().unwrap(), "https://doi.org/10.1037/0003-066X.59.1.20");
    }

    #[test]
    fn a_malformed_doi_is_not_linked() {
        for bad in ["11.1234/x", "10.12/x", "10.1234/", "10.1234/a b", "javascript:alert(1)"] {
            let r = Reference { doi: Some(bad.into()), ..Reference::default() };
            assert!(r.doi_url().is_none(), "{bad} was linked");
        }
    }

    #[test]
    fn only_http_urls_are_linked() {
        let r = Reference { url: Some("javascript:alert(1)".into()), ..Reference::default() };
        assert!(r.safe_url().is_none());
    }
}
