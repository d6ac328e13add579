//! The article editor's form: every field as the editor typed it (so nothing is lost when the form is
//! shown again with errors), converted at the edge into an [`Article`] and an [`Action`].
//!
//! The article's fields are not listed here: the form maps to and from [`FrontMatter`], the schema
//! import and export use, by key. A posted `tags` is read exactly as `tags = "…"` in a file, and a new
//! field needs only its input in the template.

use crate::app::editor::{Action, FieldErrors, rfc3339};
use crate::content::schema::FrontMatter;
use crate::domain::{Article, Slug, Status};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Blank reference rows offered below the filled ones.
const BLANK_REFERENCES: usize = 2;
/// Most reference rows read from one post.
const MAX_REFERENCES: usize = 200;
/// Most article fields read from one post (the schema has about twenty).
const MAX_FIELDS: usize = 64;
/// Front-matter keys the form never sets: status and dates are decided by the action.
const LIFECYCLE_KEYS: &[&str] =
    &["status", "draft", "published", "date", "publishdate", "created", "updated", "lastmod", "slug"];

/// One reference row: its fields as text, by key (`text`, `author`, `doi` …).
pub type ReferenceFields = BTreeMap<String, String>;

/// The editor's fields, all as text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleFields {
    /// Only editable for a new article.
    pub slug: String,
    /// The article's fields by front-matter key (`title`, `tags` …) and `body`; lists as comma-separated text.
    #[serde(flatten)]
    values: BTreeMap<String, String>,
    /// `YYYY-MM-DDTHH:MM`, UTC (what `<input type="datetime-local">` sends).
    publish_at: String,
    references: Vec<ReferenceFields>,
    /// Which button was pressed.
    pub action: String,
    /// "Publish despite the errors" ticked.
    pub override_ticked: bool,
    /// Why.
    pub override_reason: String,
    /// The newest revision when the editor was opened.
    pub base_revision: String,
}

/// A front-matter value as the text of a form field: lists joined with commas, dates as written.
fn as_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The text fields of a serialised table, by key.
fn text_fields(table: &toml::Table) -> BTreeMap<String, String> {
    table
        .iter()
        .filter(|(_, v)| {
            !v.is_table() && !matches!(v, toml::Value::Array(a) if a.iter().any(toml::Value::is_table))
        })
        .map(|(k, v)| (k.clone(), as_text(v)))
        .collect()
}

impl ArticleFields {
    /// The fields showing `a`.
    pub fn from_article(a: &Article, base_revision: Option<i64>) -> ArticleFields {
        let table = toml::Table::try_from(FrontMatter::from_article(a))
            .expect("front matter of text, lists and dates always serialises");
        let mut values = text_fields(&table);
        values.insert("body".into(), a.body.clone());
        let mut references: Vec<ReferenceFields> = match table.get("references") {
            Some(toml::Value::Array(rows)) => {
                rows.iter().filter_map(toml::Value::as_table).map(text_fields).collect()
            }
            _ => Vec::new(),
        };
        references.extend(std::iter::repeat_n(ReferenceFields::default(), BLANK_REFERENCES));
        ArticleFields {
            slug: a.slug.to_string(),
            values,
            publish_at: a
                .published
                .filter(|_| a.status == Status::Scheduled)
                .map(local_input)
                .unwrap_or_default(),
            references,
            base_revision: base_revision.map(|r| r.to_string()).unwrap_or_default(),
            ..ArticleFields::default()
        }
    }

    /// Empty fields for a new article.
    pub fn blank() -> ArticleFields {
        ArticleFields {
            references: vec![ReferenceFields::default(); BLANK_REFERENCES + 1],
            ..ArticleFields::default()
        }
    }

    /// Reads the posted pairs. Reference rows are `ref-N-FIELD`; every other name that is not one of
    /// the form's own controls is an article field.
    pub fn from_pairs(pairs: &[(String, String)]) -> ArticleFields {
        let mut f = ArticleFields::default();
        for (k, v) in pairs {
            let v = v.replace("\r\n", "\n");
            match k.as_str() {
                "slug" => f.slug = v,
                "publish_at" => f.publish_at = v,
                "action" => f.action = v,
                "override" => f.override_ticked = !v.is_empty(),
                "override_reason" => f.override_reason = v,
                "base_revision" => f.base_revision = v,
                "csrf" => {}
                other => {
                    if let Some((i, field)) = reference_key(other) {
                        if i >= MAX_REFERENCES {
                            continue;
                        }
                        if f.references.len() <= i {
                            f.references.resize(i + 1, ReferenceFields::default());
                        }
                        f.references[i].insert(field.to_owned(), v);
                    } else if f.values.len() < MAX_FIELDS && !LIFECYCLE_KEYS.contains(&other) {
                        f.values.insert(other.to_owned(), v);
                    }
                }
            }
        }
        f.references.retain(|r| r.values().any(|v| !v.trim().is_empty()));
        f.references.extend(std::iter::repeat_n(ReferenceFields::default(), BLANK_REFERENCES));
        f
    }

    /// The article these fields describe (status and dates are decided by the use case), or what to fix,
    /// by field. `fixed_slug` is the article's slug when editing (the address never changes once made).
    pub fn to_article(&self, fixed_slug: Option<&Slug>) -> Result<Article, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut map: Map<String, Value> = self
            .values
            .iter()
            .filter(|(k, _)| k.as_str() != "body")
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let rows: Vec<Value> = self
            .references
            .iter()
            .filter(|r| r.values().any(|v| !v.trim().is_empty()))
            .map(|r| Value::Object(r.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()))
            .collect();
        map.insert("references".into(), Value::Array(rows));
        let slug = match fixed_slug {
            Some(s) => Some(s.clone()),
            None => {
                let raw = self.slug.trim();
                let title = self.values.get("title").map_or("", |t| t.trim());
                let made = if raw.is_empty() { Slug::from_text(title) } else { Slug::parse(raw) };
                match made {
                    Ok(s) if s.as_str() == "new" => {
                        errors.insert("slug".into(), "\"new\" is reserved; choose another address.".into());
                        None
                    }
                    Ok(s) => Some(s),
                    Err(e) if !title.is_empty() || !raw.is_empty() => {
                        errors.insert(
                            "slug".into(),
                            format!("The address cannot be used: {e}. Use a-z, 0-9 and hyphens."),
                        );
                        None
                    }
                    Err(_) => None,
                }
            }
        };
        let body = self.values.get("body").map_or("", String::as_str);
        let read = FrontMatter::from_map(map).map_err(|e| vec![e]).and_then(|fm| {
            let fallback = slug.as_ref().map(Slug::as_str).unwrap_or("untitled");
            // Status and times are the action's to decide; the slug is checked above.
            fm.into_article(body, Some(fallback), OffsetDateTime::UNIX_EPOCH)
        });
        match read {
            Ok(article) => {
                if let (Some(slug), true) = (slug, errors.is_empty()) {
                    return Ok(Article {
                        slug,
                        status: Status::Draft,
                        published: None,
                        created: None,
                        updated: None,
                        ..article
                    });
                }
            }
            Err(found) => {
                for e in found {
                    errors.entry(form_key(&e.key)).or_insert_with(|| sentence(&e.message));
                }
            }
        }
        if errors.is_empty() {
            errors.insert("title".into(), "Give the article a title.".into());
        }
        Err(errors)
    }

    /// The action of the button pressed.
    pub fn action(&self) -> Result<Action, FieldErrors> {
        match self.action.as_str() {
            "publish" => Ok(Action::Publish),
            "unpublish" => Ok(Action::Unpublish),
            "schedule" => match parse_local(&self.publish_at) {
                Some(t) => Ok(Action::Schedule(t)),
                None => Err(FieldErrors::from([(
                    "publish_at".to_owned(),
                    "Give the date and time to publish at, e.g. 2026-11-23 09:00 (UTC).".to_owned(),
                )])),
            },
            _ => Ok(Action::Save),
        }
    }

    /// The override reason, when the box was ticked.
    pub fn override_reason(&self) -> Option<String> {
        self.override_ticked.then(|| self.override_reason.trim().to_owned())
    }

    /// The base revision, if the form carried one.
    pub fn base_revision(&self) -> Option<i64> {
        self.base_revision.trim().parse().ok()
    }
}

/// The form field of a schema key: `references.N.text` is the row field `ref-N-text`.
fn form_key(key: &str) -> String {
    match key.strip_prefix("references.").and_then(|k| k.split_once('.')) {
        Some((i, field)) => format!("ref-{i}-{field}"),
        None => key.to_owned(),
    }
}

/// A schema message as a sentence for the form: capitalised, with a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut s: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

fn reference_key(k: &str) -> Option<(usize, &str)> {
    let rest = k.strip_prefix("ref-")?;
    let (i, field) = rest.split_once('-')?;
    Some((i.parse().ok()?, field))
}

/// `YYYY-MM-DDTHH:MM` in UTC, for a `datetime-local` input.
fn local_input(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), t.month() as u8, t.day(), t.hour(), t.minute())
}

/// Accepts `YYYY-MM-DDTHH:MM[:SS]` (or with a space), taken as UTC, or full RFC 3339.
fn parse_local(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim().replacen(' ', "T", 1);
    if let Ok(t) = OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    let with_secs = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(&s, with_secs)
        .or_else(|_| PrimitiveDateTime::parse(&s, without))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// For templates: a time as "2026-11-23 09:00 UTC".
pub fn human_time(t: OffsetDateTime) -> String {
    let s = rfc3339(t);
    format!("{} {} UTC", &s[..10], &s[11..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Tag;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn posted_fields_become_an_article_with_references_in_order() {
        let f = ArticleFields::from_pairs(&pairs(&[
            ("title", "Touch after trauma"),
            ("tags", "Trauma, healing"),
            ("content_notes", "trauma, "),
            ("body", "Text\r\nmore"),
            ("ref-1-text", "Second (2020). B."),
            ("ref-0-author", "Bonanno, G. A."),
            ("ref-0-year", "2004"),
            ("ref-0-title", "Loss, trauma, and human resilience"),
            ("ref-0-doi", "10.1037/0003-066X.59.1.20"),
        ]));
        let a = f.to_article(None).unwrap();
        assert_eq!(a.slug.as_str(), "touch-after-trauma");
        assert_eq!(a.tags.iter().map(Tag::as_str).collect::<Vec<_>>(), ["trauma", "healing"]);
        assert_eq!(a.content_notes, ["trauma"]);
        assert_eq!(a.body, "Text\nmore");
        assert_eq!(a.references.len(), 2);
        assert_eq!(a.references[0].text, "Bonanno, G. A. (2004). Loss, trauma, and human resilience.");
        assert_eq!(a.references[1].text, "Second (2020). B.");
    }

    #[test]
    fn any_schema_field_goes_through_the_form_by_its_key() {
        let f = ArticleFields::from_pairs(&pairs(&[
            ("title", "Olá"),
            ("language", "pt-BR"),
            ("status", "published"),
        ]));
        let a = f.to_article(None).unwrap();
        assert_eq!(a.language.as_deref(), Some("pt-BR"));
        assert_eq!(a.status, Status::Draft, "the form never sets the status");
        let shown = ArticleFields::from_article(&a, None);
        assert_eq!(shown.values["language"], "pt-BR");
        let bad = ArticleFields::from_pairs(&pairs(&[("title", "A"), ("language", "not a tag")]));
        assert!(bad.to_article(None).unwrap_err().contains_key("language"));
    }

    #[test]
    fn problems_are_reported_by_field() {
        let f = ArticleFields::from_pairs(&pairs(&[
            ("title", ""),
            ("slug", "Bad Slug"),
            ("last_reviewed", "yesterday"),
            ("ref-0-doi", "10.1/x"),
        ]));
        let e = f.to_article(None).unwrap_err();
        for field in ["title", "slug", "last_reviewed", "ref-0-text"] {
            assert!(e.contains_key(field), "{field}: {e:?}");
        }
    }

    #[test]
    fn scheduling_needs_a_time_read_as_utc() {
        let mut f =
            ArticleFields::from_pairs(&pairs(&[("action", "schedule"), ("publish_at", "2026-11-23T09:30")]));
        assert_eq!(f.action().unwrap(), Action::Schedule(time::macros::datetime!(2026-11-23 09:30 UTC)));
        f.publish_at.clear();
        assert!(f.action().unwrap_err().contains_key("publish_at"));
    }
}
