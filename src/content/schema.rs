//! The article's one front-matter schema: [`FrontMatter`] is what a Markdown file's front matter
//! holds, read by import, written by export, and the shape the editor's form maps to and from.
//!
//! Like Zola's `PageFrontMatter`, one serde struct serves parsing and writing. Our own keys are read
//! and written; the keys other tools use for the same things (Hugo's `date`, `lastmod`, `summary`,
//! `authors`, `categories`, Zola's `taxonomies` and `[extra]`) are read only. Values are taken as
//! written and checked in one place, [`FrontMatter::into_article`], which reports every problem by
//! key, so a file gets its line and a form field its message. [`FrontMatter::from_article`] is the
//! way back. Both destructure [`Article`] without `..`, so a new field cannot be forgotten here.

use crate::domain::{Article, Reference, Slug, Status, Tag, push_unique};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// An article's front matter, as written. Every field is optional here; [`FrontMatter::into_article`]
/// decides what is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    /// The title.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The address; made from the file name or the title when absent.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// For search engines and cards.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Hugo's name for the description (read only).
    #[serde(deserialize_with = "text", skip_serializing)]
    pub summary: Option<String>,
    /// The reader's question.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The short answer.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// An older name for the answer (read only).
    #[serde(deserialize_with = "text", skip_serializing)]
    pub answer_summary: Option<String>,
    /// Tags: a list, or one text of comma-separated tags or run-together `#hashtags`.
    #[serde(deserialize_with = "list")]
    pub tags: Vec<String>,
    /// Hugo's and WordPress's categories, read as more tags.
    #[serde(deserialize_with = "list", skip_serializing)]
    pub categories: Vec<String>,
    /// Zola's taxonomies: its tags and categories are read as tags.
    #[serde(skip_serializing)]
    pub taxonomies: Taxonomies,
    /// Descriptive labels shown before the body.
    #[serde(deserialize_with = "list", skip_serializing_if = "Vec::is_empty")]
    pub content_notes: Vec<String>,
    /// Who wrote it (a list, as some Hugo themes write it, is joined with commas).
    #[serde(deserialize_with = "text_or_list", skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Hugo's list of authors (read only), joined when `author` is absent.
    #[serde(deserialize_with = "list", skip_serializing)]
    pub authors: Vec<String>,
    /// Who reviewed it.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// When it was last reviewed (a date).
    #[serde(deserialize_with = "when", skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<When>,
    /// When it is due for review (a date).
    #[serde(deserialize_with = "when", skip_serializing_if = "Option::is_none")]
    pub next_review: Option<When>,
    /// Funding, conflicts of interest, "no advertising".
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    /// The language, a BCP 47 tag such as `en` or `pt-BR`.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// What its translations share (Hugo's `translationKey`, read under either name).
    #[serde(alias = "translationkey", deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
    /// draft, scheduled, published or trashed; absent: decided by `draft` and the date.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Hugo's and Zola's draft flag (read only).
    #[serde(deserialize_with = "flag", skip_serializing)]
    pub draft: Option<bool>,
    /// When it was (or will be) published.
    #[serde(deserialize_with = "when", skip_serializing_if = "Option::is_none")]
    pub published: Option<When>,
    /// Hugo's and Zola's publication date (read only).
    #[serde(deserialize_with = "when", skip_serializing)]
    pub date: Option<When>,
    /// Hugo's `publishDate` (read only; keys are matched case-insensitively).
    #[serde(deserialize_with = "when", skip_serializing)]
    pub publishdate: Option<When>,
    /// When it was first written.
    #[serde(deserialize_with = "when", skip_serializing_if = "Option::is_none")]
    pub created: Option<When>,
    /// When it last changed in substance.
    #[serde(deserialize_with = "when", skip_serializing_if = "Option::is_none")]
    pub updated: Option<When>,
    /// Hugo's `lastmod` (read only).
    #[serde(deserialize_with = "when", skip_serializing)]
    pub lastmod: Option<When>,
    /// Hugo's `expiryDate`: after it the page is no longer published (read only).
    #[serde(deserialize_with = "when", skip_serializing)]
    pub expirydate: Option<When>,
    /// Hugo's headless bundle: resources only, never a page (read only).
    #[serde(deserialize_with = "flag", skip_serializing)]
    pub headless: Option<bool>,
    /// Hugo's build options (`build.render = "never"` or `false`: not a page; read only).
    #[serde(skip_serializing)]
    pub build: Option<Value>,
    /// Hugo's older spelling of `build`.
    #[serde(rename = "_build", skip_serializing)]
    pub underscore_build: Option<Value>,
    /// Zola's `render = false`: not a page (read only).
    #[serde(deserialize_with = "flag", skip_serializing)]
    pub render: Option<bool>,
    /// A theme's layout (`archives`, `search`): with no body such a file is the theme's page, not an article.
    #[serde(deserialize_with = "text_or_list", skip_serializing)]
    pub layout: Option<String>,
    /// Hugo's and Zola's old addresses of the page, kept as redirects (read only).
    #[serde(deserialize_with = "list", skip_serializing)]
    pub aliases: Vec<String>,
    /// Hugo's own address for the page (read only; kept as a redirect).
    #[serde(deserialize_with = "text", skip_serializing)]
    pub url: Option<String>,
    /// Zola's own address for the page (read only; kept as a redirect).
    #[serde(deserialize_with = "text", skip_serializing)]
    pub path: Option<String>,
    /// Works cited. Last, because TOML writes tables after plain keys.
    #[serde(deserialize_with = "references", skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<ReferenceEntry>,
    /// Keys this schema does not know, for the caller to report (never written).
    #[serde(flatten, skip_serializing)]
    pub unknown: BTreeMap<String, Value>,
}

/// Zola's `[taxonomies]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Taxonomies {
    /// Read as tags.
    #[serde(deserialize_with = "list")]
    pub tags: Vec<String>,
    /// Read as tags.
    #[serde(deserialize_with = "list")]
    pub categories: Vec<String>,
    /// Zola's `authors` taxonomy: the author when `author` is absent.
    #[serde(deserialize_with = "list")]
    pub authors: Vec<String>,
    /// Other taxonomies (series …), read as more tags when they are lists of names.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// One entry of `references`: `text`, or the parts it is made from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferenceEntry {
    /// The in-text citation it answers, e.g. "Bonanno, 2004".
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The full reference; made from author, year and title when absent.
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Author(s).
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Year.
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub year: Option<String>,
    /// Title of the work.
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// DOI.
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// A web address.
    #[serde(deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Keys this schema does not know.
    #[serde(flatten, skip_serializing)]
    pub unknown: BTreeMap<String, Value>,
}

/// A date or date-time as written. Written back as a TOML date or date-time, so exported files
/// carry real TOML dates; checked by [`FrontMatter::into_article`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When(pub String);

impl When {
    fn date_time(t: OffsetDateTime) -> When {
        let t = t.to_offset(time::UtcOffset::UTC);
        When(t.format(&Rfc3339).expect("every UTC time formats as RFC 3339"))
    }

    fn date(d: Date) -> When {
        When(d.to_string())
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.parse::<toml::value::Datetime>() {
            Ok(d) => d.serialize(s),
            _ => s.serialize_str(&self.0),
        }
    }
}

/// A problem with one key, for the file's line or the form's field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The key: `title`, `tags`, or `references.N.text` for a reference's field (N from 0).
    pub key: String,
    /// What is wrong, for an editor.
    pub message: String,
}

impl FieldError {
    fn new(key: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { key: key.into(), message: message.into() }
    }
}

impl FrontMatter {
    /// Reads a front-matter tree (TOML dates as RFC 3339 text). Keys are matched
    /// case-insensitively (Hugo's are), and Zola's `[extra]` keys are read as top-level ones
    /// unless already given. A value of the wrong type is an error at its key.
    pub fn from_map(map: Map<String, Value>) -> Result<FrontMatter, FieldError> {
        let mut flat = Map::new();
        let mut extra = None;
        for (k, v) in map {
            let k = k.to_ascii_lowercase();
            if k == "extra" && v.is_object() {
                extra = Some(v);
            } else if !flat.contains_key(&k) {
                flat.insert(k, v);
            }
        }
        if let Some(Value::Object(extra)) = extra {
            for (k, v) in extra {
                flat.entry(k.to_ascii_lowercase()).or_insert(v);
            }
        }
        serde_path_to_error::deserialize(Value::Object(flat)).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.inner().to_string();
            // A reference's own error already names its key and the reference.
            let message = if inner.starts_with('`') { inner } else { format!("`{path}` {inner}") };
            FieldError::new(path, message)
        })
    }

    /// Reads a file's front-matter tree like [`FrontMatter::from_map`], except that a key under
    /// `[extra]` (Zola's free-form table, whatever shape a theme gives it) never fails the file: one that
    /// does not read as ours is left out and returned as a notice.
    pub fn from_file_map(mut map: Map<String, Value>) -> Result<(FrontMatter, Vec<FieldError>), FieldError> {
        let mut notices = Vec::new();
        loop {
            match FrontMatter::from_map(map.clone()) {
                Ok(fm) => return Ok((fm, notices)),
                Err(e) => {
                    let top = e.key.split('.').next().unwrap_or(&e.key).to_owned();
                    let own = map.keys().any(|k| k.eq_ignore_ascii_case(&top));
                    let extra = map.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case("extra")).map(|(_, v)| v);
                    let Some(Value::Object(extra)) = extra else { return Err(e) };
                    let key = extra.keys().find(|k| k.eq_ignore_ascii_case(&top)).cloned();
                    match key {
                        Some(k) if !own => {
                            extra.remove(&k);
                            notices.push(FieldError::new(
                                "extra",
                                format!(
                                    "`extra.{k}` is kept out: {}",
                                    e.message.trim_start_matches(&format!("`{}` ", e.key))
                                ),
                            ));
                        }
                        _ => return Err(e),
                    }
                }
            }
        }
    }

    /// What the file says about whether it is a page at all: `Some(reason)` for a Hugo headless
    /// bundle, a page with `build.render = "never"` (or Zola's `render = false`), or a theme's layout
    /// page with no body of its own.
    pub fn not_a_page(&self, body: &str) -> Option<String> {
        if self.headless == Some(true) {
            return Some("a headless bundle (`headless: true`), which Hugo never builds as a page".into());
        }
        let never = |v: &Option<Value>| v.as_ref().is_some_and(renders_never);
        if never(&self.build) || never(&self.underscore_build) {
            return Some("`build.render` is never: Hugo builds no page from it".into());
        }
        if self.render == Some(false) {
            return Some("`render = false`: Zola builds no page from it".into());
        }
        if let Some(layout) = &self.layout
            && body.trim().is_empty()
        {
            return Some(format!(
                "the theme's `{layout}` page (a layout with no text of its own), not an article"
            ));
        }
        None
    }

    /// The page's own old addresses: `aliases`, then `url` (Hugo) and `path` (Zola).
    pub fn old_addresses(&self) -> Vec<String> {
        let mut out = self.aliases.clone();
        // A page's own `url` or `path` is from the site's root even without a leading slash.
        out.extend(
            self.url
                .iter()
                .chain(&self.path)
                .map(|p| if p.starts_with('/') || p.contains("://") { p.clone() } else { format!("/{p}") }),
        );
        out
    }

    /// The front matter that describes `a` (everything but the body).
    pub fn from_article(a: &Article) -> FrontMatter {
        let Article {
            slug,
            title,
            description,
            question,
            answer,
            body: _,
            tags,
            content_notes,
            references,
            author,
            reviewer,
            last_reviewed,
            next_review,
            disclosure,
            language,
            translation_key,
            status,
            published,
            created,
            updated,
        } = a;
        FrontMatter {
            title: Some(title.clone()),
            slug: Some(slug.to_string()),
            description: Some(description.clone()).filter(|d| !d.is_empty()),
            question: question.clone(),
            answer: answer.clone(),
            tags: tags.iter().map(Tag::to_string).collect(),
            content_notes: content_notes.clone(),
            author: author.clone(),
            reviewer: reviewer.clone(),
            last_reviewed: last_reviewed.map(When::date),
            next_review: next_review.map(When::date),
            disclosure: disclosure.clone(),
            language: language.clone(),
            translation_key: translation_key.clone(),
            status: Some(status.as_str().to_owned()),
            published: published.map(When::date_time),
            created: created.map(When::date_time),
            updated: updated.map(When::date_time),
            references: references.iter().map(ReferenceEntry::from_reference).collect(),
            ..FrontMatter::default()
        }
    }

    /// The article this front matter and `body` describe, or every problem found, by key.
    /// `fallback_slug` (a file name) is used when there is no `slug`; `now` decides whether an
    /// undated non-draft is published or a future one scheduled.
    pub fn into_article(
        self,
        body: &str,
        fallback_slug: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Article, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.unwrap_or_default();
        if title.is_empty() {
            errors.push(FieldError::new("title", "the article needs a `title`"));
        }
        let slug = match &self.slug {
            // Hugo and Zola take slugs such as `My_Post`; they become the nearest slug of ours.
            Some(s) => Slug::parse(s)
                .or_else(|e| Slug::from_text(s).map_err(|_| e))
                .map_err(|e| errors.push(FieldError::new("slug", format!("`slug` cannot be used: {e}"))))
                .ok(),
            None => {
                fallback_slug.and_then(|s| Slug::from_text(s).ok()).or_else(|| Slug::from_text(&title).ok())
            }
        };
        if slug.is_none() && self.slug.is_none() && !title.is_empty() {
            errors.push(FieldError::new("title", "no slug can be made from the title; add `slug`"));
        }
        let mut tags = Vec::new();
        let other_taxonomies: Vec<(String, Vec<String>)> = self
            .taxonomies
            .other
            .iter()
            .map(|(k, v)| {
                let names = match v {
                    Value::Array(items) => {
                        items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect()
                    }
                    Value::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                };
                (format!("taxonomies.{k}"), names)
            })
            .collect();
        let lists = [
            ("tags".to_owned(), &self.tags),
            ("categories".to_owned(), &self.categories),
            ("taxonomies.tags".to_owned(), &self.taxonomies.tags),
            ("taxonomies.categories".to_owned(), &self.taxonomies.categories),
        ];
        let lists = lists.into_iter().chain(other_taxonomies.iter().map(|(k, v)| (k.clone(), v)));
        for (key, list) in lists {
            for raw in list {
                // One item is one tag ("post-traumatic growth"), unless written as run-together hashtags.
                let parsed =
                    if raw.contains('#') { Tag::parse_list(raw) } else { Tag::parse(raw).map(|t| vec![t]) };
                match parsed {
                    Ok(found) => found.into_iter().for_each(|t| push_unique(&mut tags, t)),
                    Err(e) => errors.push(FieldError::new(key.clone(), e.to_string())),
                }
            }
        }
        let mut moment = |key: &str, w: &Option<When>| -> Option<OffsetDateTime> {
            let w = w.as_ref()?;
            let parsed = parse_date_time(&w.0);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    key,
                    format!(
                        "`{key}` is {:?}, which is not a date such as 2026-11-23 or 2026-11-23T09:00:00Z",
                        w.0
                    ),
                ));
            }
            parsed
        };
        // Hugo's `publishDate` is when the page goes live; `date` is only its date when there is none.
        let published = moment("published", &self.published)
            .or_else(|| moment("publishdate", &self.publishdate))
            .or_else(|| moment("date", &self.date));
        let expiry = moment("expirydate", &self.expirydate);
        let created = moment("created", &self.created);
        let updated = moment("updated", &self.updated).or_else(|| moment("lastmod", &self.lastmod));
        let last_reviewed = moment("last_reviewed", &self.last_reviewed).map(OffsetDateTime::date);
        let next_review = moment("next_review", &self.next_review).map(OffsetDateTime::date);
        let status = match &self.status {
            Some(s) => Status::parse(&s.to_ascii_lowercase()).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "status",
                    format!("`status` is {s:?}; use draft, scheduled, published or trashed"),
                ));
                Status::Draft
            }),
            None if self.draft == Some(true) => Status::Draft,
            None if published.is_some_and(|p| p > now) => Status::Scheduled,
            None => Status::Published,
        };
        if status == Status::Scheduled && published.is_none() && self.published.is_none() {
            errors.push(FieldError::new("status", "a scheduled article needs a `published` date"));
        }
        let mut references = Vec::with_capacity(self.references.len());
        for (i, r) in self.references.into_iter().enumerate() {
            match r.into_reference() {
                Some(r) => references.push(r),
                None => errors.push(FieldError::new(
                    format!("references.{i}.text"),
                    format!("reference {} needs `text` or `title`", i + 1),
                )),
            }
        }
        if let Some(l) = &self.language
            && !is_language_tag(l)
        {
            errors.push(FieldError::new(
                "language",
                format!("`language` is {l:?}, not a language tag such as en or pt-BR"),
            ));
        }
        let author = self
            .author
            .or_else(|| Some(self.authors.join(", ")).filter(|a| !a.is_empty()))
            .or_else(|| Some(self.taxonomies.authors.join(", ")).filter(|a| !a.is_empty()));
        // A page past its expiry date is no longer shown by Hugo; it comes in unpublished.
        let status = match (status, expiry) {
            (Status::Published | Status::Scheduled, Some(e)) if e <= now => Status::Draft,
            (s, _) => s,
        };
        match slug {
            Some(slug) if errors.is_empty() => Ok(Article {
                slug,
                title,
                description: self.description.or(self.summary).unwrap_or_default(),
                question: self.question,
                answer: self.answer.or(self.answer_summary),
                body: body.to_owned(),
                tags,
                content_notes: self.content_notes,
                references,
                author,
                reviewer: self.reviewer,
                last_reviewed,
                next_review,
                disclosure: self.disclosure,
                language: self.language,
                translation_key: self.translation_key,
                status,
                published,
                created,
                updated,
            }),
            _ => Err(errors),
        }
    }

    /// Unknown keys, in key order: `name`, or `references.N.name` inside a reference.
    pub fn unknown_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.unknown.keys().cloned().collect();
        for (i, r) in self.references.iter().enumerate() {
            keys.extend(r.unknown.keys().map(|k| format!("references.{i}.{k}")));
        }
        keys
    }
}

impl ReferenceEntry {
    fn from_reference(r: &Reference) -> ReferenceEntry {
        let Reference { key, text, author, year, title, doi, url } = r;
        ReferenceEntry {
            key: key.clone(),
            text: Some(text.clone()),
            author: author.clone(),
            year: year.clone(),
            title: title.clone(),
            doi: doi.clone(),
            url: url.clone(),
            unknown: BTreeMap::new(),
        }
    }

    /// The reference, with `text` made from the parts when absent; `None` when there is neither
    /// text nor a title.
    fn into_reference(self) -> Option<Reference> {
        let text = match self.text {
            Some(t) => t,
            None => {
                let title = self.title.as_ref()?;
                match (&self.author, &self.year) {
                    (Some(a), Some(y)) => format!("{a} ({y}). {title}."),
                    (Some(a), None) => format!("{a}. {title}."),
                    _ => format!("{title}."),
                }
            }
        };
        Some(Reference {
            key: self.key,
            text,
            author: self.author,
            year: self.year,
            title: self.title,
            doi: self.doi,
            url: self.url,
        })
    }
}

/// Accepts RFC 3339, a local date-time (taken as UTC), or a bare date (midnight UTC).
pub fn parse_date_time(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let s2 = s.replacen(' ', "T", 1);
    if let Ok(t) = OffsetDateTime::parse(&s2, &Rfc3339) {
        return Some(t);
    }
    let fmt_dt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(s2.split('.').next().unwrap_or(&s2), fmt_dt) {
        return Some(t.assume_utc());
    }
    let fmt_dm = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    if let Ok(t) = PrimitiveDateTime::parse(&s2, fmt_dm) {
        return Some(t.assume_utc());
    }
    // Hugo's `2014-03-10 09:30:00 +0100` and `… +01:00`.
    let fmt_off = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
    );
    let fmt_off_colon = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] [offset_hour sign:mandatory]:[offset_minute]"
    );
    for f in [fmt_off, fmt_off_colon] {
        if let Ok(t) = OffsetDateTime::parse(s, f) {
            return Some(t);
        }
    }
    let fmt_d = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, fmt_d).ok().map(|d| d.with_time(Time::MIDNIGHT).assume_utc())
}

/// Whether `s` has the shape of a BCP 47 language tag: a 2–3 letter language, then subtags of
/// 1–8 letters or digits (`en`, `pt-BR`, `zh-Hant-TW`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// What a value is, in an editor's words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Text, trimmed; empty is absent.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        other => Err(D::Error::custom(format!("must be text, not {}", kind(&other)))),
    }
}

/// Whether a Hugo `build` table says the page is never rendered (`render = "never"`, or `false` as
/// older Hugo wrote it). Read for a page's own `build` and for a section's `cascade`.
pub fn renders_never(build: &Value) -> bool {
    build.get("render").is_some_and(|r| {
        r.as_str().is_some_and(|r| r.eq_ignore_ascii_case("never")) || r.as_bool() == Some(false)
    })
}

/// Text, or a list of text joined with commas (`author: [A, B]`).
fn text_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Array(items) => {
            let mut names = Vec::new();
            for v in items {
                match v {
                    Value::String(s) if !s.trim().is_empty() => names.push(s.trim().to_owned()),
                    Value::String(_) | Value::Null => {}
                    other => {
                        return Err(D::Error::custom(format!(
                            "must be text or a list of text, but holds {}",
                            kind(&other)
                        )));
                    }
                }
            }
            Ok(Some(names.join(", ")).filter(|s| !s.is_empty()))
        }
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        other => Err(D::Error::custom(format!("must be text, not {}", kind(&other)))),
    }
}

/// Text or a number (a reference's year), trimmed; empty is absent.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        other => Err(D::Error::custom(format!("must be text, not {}", kind(&other)))),
    }
}

/// A list of text, or one text of comma-separated items; empty items are dropped.
fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let keep = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s.split(',').filter_map(keep).collect()),
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => keep(&s).map(Ok),
                other => {
                    Some(Err(D::Error::custom(format!("must be a list of text, but holds {}", kind(&other)))))
                }
            })
            .collect(),
        other => Err(D::Error::custom(format!("must be a list of text, not {}", kind(&other)))),
    }
}

/// true or false.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        other => Err(D::Error::custom(format!("must be true or false, not {}", kind(&other)))),
    }
}

/// A date as text (TOML dates arrive as RFC 3339 text), checked later.
fn when<'de, D: Deserializer<'de>>(d: D) -> Result<Option<When>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty()).map(When)),
        other => Err(D::Error::custom(format!("must be a date, not {}", kind(&other)))),
    }
}

/// A list of reference tables.
fn references<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ReferenceEntry>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::Object(_) => serde_path_to_error::deserialize(v).map_err(|e| {
                    D::Error::custom(format!("`{}` of reference {} {}", e.path(), i + 1, e.inner()))
                }),
                _ => Err(D::Error::custom(format!("(reference {}) must be a table with `text`", i + 1))),
            })
            .collect(),
        other => Err(D::Error::custom(format!("must be a list of tables, not {}", kind(&other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Article, Vec<FieldError>> {
        let map = pairs.iter().map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned()))).collect();
        FrontMatter::from_map(map).map_err(|e| vec![e])?.into_article(
            "Body",
            None,
            OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn a_language_tag_is_kept_and_written_back() {
        let a = read(&[("title", "Olá"), ("language", "pt-BR")]).unwrap();
        assert_eq!(a.language.as_deref(), Some("pt-BR"));
        assert_eq!(FrontMatter::from_article(&a).language.as_deref(), Some("pt-BR"));
    }

    #[test]
    fn hugo_dates_with_a_spaced_offset_and_bare_dates_are_read() {
        let t = parse_date_time("2014-03-10 09:30:00 +0100").unwrap();
        assert_eq!(t.to_offset(time::UtcOffset::UTC).to_string(), "2014-03-10 8:30:00.0 +00:00:00");
        assert!(parse_date_time("2014-03-10 09:30:00 +01:00").is_some());
        assert_eq!(parse_date_time("2014-03-10").unwrap().date().to_string(), "2014-03-10");
    }

    #[test]
    fn an_author_list_is_joined_and_an_underscore_slug_is_made_ours() {
        let map: Map<String, Value> =
            serde_json::from_str(r#"{"title": "A", "author": ["Sam Lee", "Ana Ruiz"], "slug": "My_Post"}"#)
                .unwrap();
        let a =
            FrontMatter::from_map(map).unwrap().into_article("", None, OffsetDateTime::UNIX_EPOCH).unwrap();
        assert_eq!(a.author.as_deref(), Some("Sam Lee, Ana Ruiz"));
        assert_eq!(a.slug.as_str(), "my-post");
    }

    #[test]
    fn an_extra_table_of_any_shape_is_not_fatal() {
        let map: Map<String, Value> = serde_json::from_str(
            r#"{"title": "A", "extra": {"author": {"name": "x"}, "description": "From extra", "social": [1, 2]}}"#,
        )
        .unwrap();
        let (fm, notices) = FrontMatter::from_file_map(map).unwrap();
        assert_eq!(fm.description.as_deref(), Some("From extra"));
        assert_eq!(fm.author, None);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].message.contains("extra.author"), "{notices:?}");
    }

    #[test]
    fn publication_controls_are_honoured() {
        let now = parse_date_time("2026-01-01").unwrap();
        let read = |json: &str| {
            let map: Map<String, Value> = serde_json::from_str(json).unwrap();
            FrontMatter::from_map(map).unwrap().into_article("Body", None, now).unwrap()
        };
        let expired = read(r#"{"title": "A", "date": "2020-01-01", "expiryDate": "2021-01-01"}"#);
        assert_eq!(expired.status, Status::Draft);
        let later = read(r#"{"title": "A", "date": "2020-01-01", "publishDate": "2027-01-01"}"#);
        assert_eq!(later.status, Status::Scheduled);
        assert_eq!(later.published.unwrap().year(), 2027);
        let fm = |json: &str| FrontMatter::from_map(serde_json::from_str(json).unwrap()).unwrap();
        assert!(fm(r#"{"headless": true}"#).not_a_page("x").is_some());
        assert!(fm(r#"{"build": {"render": "never"}}"#).not_a_page("x").is_some());
        assert!(fm(r#"{"_build": {"render": false}}"#).not_a_page("x").is_some());
        assert!(fm(r#"{"layout": "archives"}"#).not_a_page("\n").is_some());
        assert!(fm(r#"{"layout": "post"}"#).not_a_page("Text").is_none());
    }

    #[test]
    fn other_zola_taxonomies_are_tags_and_authors_the_author() {
        let map: Map<String, Value> = serde_json::from_str(
            r#"{"title": "A", "taxonomies": {"tags": ["sleep"], "series": ["Night notes"], "authors": ["Sam Lee"]}}"#,
        )
        .unwrap();
        let a =
            FrontMatter::from_map(map).unwrap().into_article("", None, OffsetDateTime::UNIX_EPOCH).unwrap();
        let tags: Vec<&str> = a.tags.iter().map(|t| t.as_str()).collect();
        assert_eq!(tags, ["sleep", "nightnotes"]);
        assert_eq!(a.author.as_deref(), Some("Sam Lee"));
    }

    #[test]
    fn a_malformed_language_is_an_error_at_its_key() {
        let e = read(&[("title", "A"), ("language", "english please")]).unwrap_err();
        assert_eq!(e[0].key, "language");
    }
}
