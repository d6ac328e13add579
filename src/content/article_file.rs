//! Reading one article file: front matter keys (ours, Zola's and Hugo's) mapped onto an [`Article`].

use super::front_matter::{self, ContentError, Format, Split};
use crate::domain::{Article, Reference, Slug, Status, Tag, push_unique};
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// An article read from a file, with what the reader should hear about.
#[derive(Debug)]
pub struct ParsedArticle {
    /// The article.
    pub article: Article,
    /// Unknown keys and other things that did not stop the import.
    pub warnings: Vec<ContentError>,
    /// Line where the body starts (editorial checks report body positions from it).
    pub body_first_line: usize,
    /// The syntax the file used.
    pub format: Format,
}

/// Keys that Zola or Hugo use for their own rendering; accepted silently because they mean nothing here.
const IGNORED_KEYS: &[&str] = &[
    "weight",
    "aliases",
    "template",
    "toc",
    "render",
    "in_search_index",
    "sort_by",
    "paginate_by",
    "insert_anchor_links",
    "type",
    "layout",
    "url",
    "keywords",
    "images",
    "series",
    "expirydate",
    "path",
    "sitemap",
    "outputs",
    "markup",
    "headless",
    "cascade",
    "build",
    "menu",
    "lang",
    "linktitle",
];

/// Parses one article file. `fallback_slug` (usually the file name) is used when the front matter has no slug;
/// `now` decides whether an undated non-draft is published or a future one scheduled.
pub fn parse_article(
    source: &str,
    fallback_slug: Option<&str>,
    now: OffsetDateTime,
) -> Result<ParsedArticle, ContentError> {
    let split = front_matter::split(source)?;
    let mut map = front_matter::parse(&split)?;
    // Zola keeps non-standard keys under [extra]; ours may live there too.
    if let Some(Value::Object(extra)) = map.remove("extra") {
        for (k, v) in extra {
            map.entry(k).or_insert(v);
        }
    }
    let mut f = Fields { split: &split, map, warnings: Vec::new() };
    let article = f.article(fallback_slug, now)?;
    let mut warnings = f.warnings;
    for key in f.map.keys() {
        if !IGNORED_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
            warnings.push(ContentError::at(
                front_matter::key_line(&split, key),
                format!("unknown key `{key}` is ignored"),
            ));
        }
    }
    warnings.sort_by_key(|w| w.line);
    Ok(ParsedArticle { article, warnings, body_first_line: split.body_first_line, format: split.format })
}

/// The front-matter map being consumed: each key taken is removed, so what is left is unknown.
struct Fields<'a> {
    split: &'a Split<'a>,
    map: Map<String, Value>,
    warnings: Vec<ContentError>,
}

impl Fields<'_> {
    fn article(&mut self, fallback_slug: Option<&str>, now: OffsetDateTime) -> Result<Article, ContentError> {
        let title = self
            .string("title")?
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| ContentError::at(1, "the front matter has no `title`"))?;
        let slug = match self.string("slug")? {
            Some(s) => Slug::parse(&s).map_err(|e| self.err("slug", e.to_string()))?,
            None => fallback_slug
                .and_then(|s| Slug::from_text(s).ok())
                .or_else(|| Slug::from_text(&title).ok())
                .ok_or_else(|| self.err("title", "no slug can be made from the title; add `slug`"))?,
        };
        let mut tags = Vec::new();
        for key in ["tags", "categories"] {
            self.tags_into(key, &mut tags)?;
        }
        if let Some(Value::Object(mut tax)) = self.map.remove("taxonomies") {
            for key in ["tags", "categories"] {
                if let Some(v) = tax.remove(key) {
                    self.map.insert(format!("taxonomies.{key}"), v);
                    self.tags_into(&format!("taxonomies.{key}"), &mut tags)?;
                }
            }
        }
        let draft = self.bool("draft")?.unwrap_or(false);
        let published = self.date_time_any(&["published", "date", "publishdate"])?;
        let status = match self.string("status")? {
            Some(s) => Status::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
                self.err("status", format!("`status` is {s:?}; use draft, scheduled, published or trashed"))
            })?,
            None if draft => Status::Draft,
            None if published.is_some_and(|p| p > now) => Status::Scheduled,
            None => Status::Published,
        };
        if status == Status::Scheduled && published.is_none() {
            return Err(self.err("status", "a scheduled article needs a `published` date"));
        }
        let author = match self.string("author")? {
            Some(a) => Some(a),
            None => self.string_list("authors")?.map(|a| a.join(", ")).filter(|a| !a.is_empty()),
        };
        Ok(Article {
            description: match self.string("description")? {
                Some(d) => d,
                None => self.string("summary")?.unwrap_or_default(),
            },
            question: self.string("question")?,
            answer: match self.string("answer")? {
                Some(a) => Some(a),
                None => self.string("answer_summary")?,
            },
            content_notes: self.string_list("content_notes")?.unwrap_or_default(),
            references: self.references()?,
            author,
            reviewer: self.string("reviewer")?,
            last_reviewed: self.date("last_reviewed")?,
            next_review: self.date("next_review")?,
            disclosure: self.string("disclosure")?,
            created: self.date_time_any(&["created"])?,
            updated: self.date_time_any(&["updated", "lastmod"])?,
            body: self.split.body.to_owned(),
            slug,
            title,
            tags,
            status,
            published,
        })
    }

    fn err(&self, key: &str, message: impl Into<String>) -> ContentError {
        let top = key.split('.').next().unwrap_or(key);
        ContentError::at(front_matter::key_line(self.split, top), message)
    }

    /// Removes `key`, matching case-insensitively (Hugo's keys are).
    fn take(&mut self, key: &str) -> Option<Value> {
        let found = self.map.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned()?;
        self.map.remove(&found)
    }

    fn string(&mut self, key: &str) -> Result<Option<String>, ContentError> {
        match self.take(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(other) => Err(self.err(key, format!("`{key}` must be text, not {}", kind(&other)))),
        }
    }

    fn bool(&mut self, key: &str) -> Result<Option<bool>, ContentError> {
        match self.take(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.err(key, format!("`{key}` must be true or false, not {}", kind(&other)))),
        }
    }

    fn string_list(&mut self, key: &str) -> Result<Option<Vec<String>>, ContentError> {
        match self.take(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                Ok(Some(s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()))
            }
            Some(Value::Array(items)) => {
                items
                    .into_iter()
                    .map(|v| match v {
                        Value::String(s) => Ok(s.trim().to_owned()),
                        other => Err(self
                            .err(key, format!("`{key}` must be a list of text, but holds {}", kind(&other)))),
                    })
                    .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some)
            }
            Some(other) => {
                Err(self.err(key, format!("`{key}` must be a list of text, not {}", kind(&other))))
            }
        }
    }

    fn tags_into(&mut self, key: &str, tags: &mut Vec<Tag>) -> Result<(), ContentError> {
        for raw in self.string_list(key)?.unwrap_or_default() {
            // One list item is one tag ("post-traumatic growth"), unless written as run-together hashtags.
            let parsed =
                if raw.contains('#') { Tag::parse_list(&raw) } else { Tag::parse(&raw).map(|t| vec![t]) };
            for tag in parsed.map_err(|e| self.err(key, e.to_string()))? {
                push_unique(tags, tag);
            }
        }
        Ok(())
    }

    fn date_time_any(&mut self, keys: &[&str]) -> Result<Option<OffsetDateTime>, ContentError> {
        for key in keys {
            if let Some(s) = self.string(key)? {
                return parse_date_time(&s).map(Some).ok_or_else(|| {
                    self.err(
                        key,
                        format!(
                            "`{key}` is {s:?}, which is not a date such as 2026-11-23 or 2026-11-23T09:00:00Z"
                        ),
                    )
                });
            }
        }
        Ok(None)
    }

    fn date(&mut self, key: &str) -> Result<Option<Date>, ContentError> {
        Ok(self.date_time_any(&[key])?.map(OffsetDateTime::date))
    }

    fn references(&mut self) -> Result<Vec<Reference>, ContentError> {
        let items = match self.take("references") {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.err(
                    "references",
                    format!("`references` must be a list of tables, not {}", kind(&other)),
                ));
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let Value::Object(mut m) = item else {
                return Err(
                    self.err("references", format!("reference {} must be a table with `text`", i + 1))
                );
            };
            let mut field = |name: &str| -> Result<Option<String>, ContentError> {
                match m.remove(name) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
                    Some(Value::Number(n)) => Ok(Some(n.to_string())),
                    Some(other) => Err(ContentError::at(
                        0,
                        format!("`{name}` of reference {} must be text, not {}", i + 1, kind(&other)),
                    )),
                }
            };
            let r = (|| -> Result<Reference, ContentError> {
                let mut r = Reference {
                    key: field("key")?,
                    text: field("text")?.unwrap_or_default(),
                    author: field("author")?,
                    year: field("year")?,
                    title: field("title")?,
                    doi: field("doi")?,
                    url: field("url")?,
                };
                if r.text.is_empty() {
                    let Some(title) = &r.title else {
                        return Err(ContentError::at(
                            0,
                            format!("reference {} needs `text` or `title`", i + 1),
                        ));
                    };
                    r.text = match (&r.author, &r.year) {
                        (Some(a), Some(y)) => format!("{a} ({y}). {title}."),
                        (Some(a), None) => format!("{a}. {title}."),
                        _ => format!("{title}."),
                    };
                }
                Ok(r)
            })()
            .map_err(|e| self.err("references", e.message))?;
            if let Some(unknown) = m.keys().next() {
                self.warnings.push(
                    self.err(
                        "references",
                        format!("unknown key `{unknown}` in reference {} is ignored", i + 1),
                    ),
                );
            }
            out.push(r);
        }
        Ok(out)
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
    let fmt_d = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, fmt_d).ok().map(|d| d.with_time(Time::MIDNIGHT).assume_utc())
}

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
