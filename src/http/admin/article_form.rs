//! The article editor's form: every field as the editor typed it (so nothing is lost when the form is
//! shown again with errors), converted at the edge into an [`Article`] and an [`Action`].

use crate::app::editor::{Action, FieldErrors, rfc3339};
use crate::domain::{Article, Reference, Slug, Status, Tag, push_unique};
use serde::Serialize;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Blank reference rows offered below the filled ones.
const BLANK_REFERENCES: usize = 2;

/// One reference row.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ReferenceFields {
    key: String,
    text: String,
    author: String,
    year: String,
    title: String,
    doi: String,
    url: String,
}

/// The editor's fields, all as text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleFields {
    /// Only editable for a new article.
    pub slug: String,
    title: String,
    description: String,
    question: String,
    answer: String,
    body: String,
    tags: String,
    content_notes: String,
    author: String,
    reviewer: String,
    last_reviewed: String,
    next_review: String,
    disclosure: String,
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

impl ArticleFields {
    /// The fields showing `a`.
    pub fn from_article(a: &Article, base_revision: Option<i64>) -> ArticleFields {
        let mut references: Vec<ReferenceFields> = a
            .references
            .iter()
            .map(|r| ReferenceFields {
                key: r.key.clone().unwrap_or_default(),
                text: r.text.clone(),
                author: r.author.clone().unwrap_or_default(),
                year: r.year.clone().unwrap_or_default(),
                title: r.title.clone().unwrap_or_default(),
                doi: r.doi.clone().unwrap_or_default(),
                url: r.url.clone().unwrap_or_default(),
            })
            .collect();
        references.extend(std::iter::repeat_n(ReferenceFields::default(), BLANK_REFERENCES));
        let list = |v: &[String]| v.join(", ");
        ArticleFields {
            slug: a.slug.to_string(),
            title: a.title.clone(),
            description: a.description.clone(),
            question: a.question.clone().unwrap_or_default(),
            answer: a.answer.clone().unwrap_or_default(),
            body: a.body.clone(),
            tags: a.tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(", "),
            content_notes: list(&a.content_notes),
            author: a.author.clone().unwrap_or_default(),
            reviewer: a.reviewer.clone().unwrap_or_default(),
            last_reviewed: a.last_reviewed.map(|d| d.to_string()).unwrap_or_default(),
            next_review: a.next_review.map(|d| d.to_string()).unwrap_or_default(),
            disclosure: a.disclosure.clone().unwrap_or_default(),
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

    /// Reads the posted pairs. Reference rows are `ref-N-FIELD`.
    pub fn from_pairs(pairs: &[(String, String)]) -> ArticleFields {
        let mut f = ArticleFields::default();
        for (k, v) in pairs {
            let v = v.replace("\r\n", "\n");
            match k.as_str() {
                "slug" => f.slug = v,
                "title" => f.title = v,
                "description" => f.description = v,
                "question" => f.question = v,
                "answer" => f.answer = v,
                "body" => f.body = v,
                "tags" => f.tags = v,
                "content_notes" => f.content_notes = v,
                "author" => f.author = v,
                "reviewer" => f.reviewer = v,
                "last_reviewed" => f.last_reviewed = v,
                "next_review" => f.next_review = v,
                "disclosure" => f.disclosure = v,
                "publish_at" => f.publish_at = v,
                "action" => f.action = v,
                "override" => f.override_ticked = !v.is_empty(),
                "override_reason" => f.override_reason = v,
                "base_revision" => f.base_revision = v,
                other => {
                    if let Some((i, field)) = reference_key(other) {
                        if i >= 200 {
                            continue;
                        }
                        if f.references.len() <= i {
                            f.references.resize(i + 1, ReferenceFields::default());
                        }
                        let r = &mut f.references[i];
                        match field {
                            "key" => r.key = v,
                            "text" => r.text = v,
                            "author" => r.author = v,
                            "year" => r.year = v,
                            "title" => r.title = v,
                            "doi" => r.doi = v,
                            "url" => r.url = v,
                            _ => {}
                        }
                    }
                }
            }
        }
        f.references.retain(|r| *r != ReferenceFields::default());
        f.references.extend(std::iter::repeat_n(ReferenceFields::default(), BLANK_REFERENCES));
        f
    }

    /// The article these fields describe (status and dates are decided by the use case), or what to fix.
    /// `fixed_slug` is the article's slug when editing (the address never changes once made).
    pub fn to_article(&self, fixed_slug: Option<&Slug>) -> Result<Article, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut err = |field: &str, msg: String| {
            errors.entry(field.to_owned()).or_insert(msg);
        };
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            err("title", "Give the article a title.".into());
        }
        let slug = match fixed_slug {
            Some(s) => Some(s.clone()),
            None => {
                let raw = self.slug.trim();
                let made = if raw.is_empty() { Slug::from_text(&title) } else { Slug::parse(raw) };
                match made {
                    Ok(s) if s.as_str() == "new" => {
                        err("slug", "\"new\" is reserved; choose another address.".into());
                        None
                    }
                    Ok(s) => Some(s),
                    Err(e) if !title.is_empty() || !raw.is_empty() => {
                        err("slug", format!("The address cannot be used: {e}. Use a-z, 0-9 and hyphens."));
                        None
                    }
                    Err(_) => None,
                }
            }
        };
        let mut tags = Vec::new();
        let raw_tags = self.tags.trim();
        let parsed = if raw_tags.contains('#') {
            Tag::parse_list(raw_tags)
        } else {
            raw_tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(Tag::parse).collect()
        };
        match parsed {
            Ok(list) => list.into_iter().for_each(|t| push_unique(&mut tags, t)),
            Err(e) => err("tags", format!("{e}. Separate tags with commas, e.g. \"healing, trauma\".")),
        }
        let content_notes: Vec<String> = self
            .content_notes
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        let mut date = |field: &str, v: &str| -> Option<Date> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            let parsed = Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).ok();
            if parsed.is_none() {
                err(field, "Use a date such as 2026-11-23.".into());
            }
            parsed
        };
        let last_reviewed = date("last_reviewed", &self.last_reviewed);
        let next_review = date("next_review", &self.next_review);
        let mut references = Vec::new();
        for (i, r) in self.references.iter().enumerate() {
            if *r == ReferenceFields::default() {
                continue;
            }
            let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            let mut text = r.text.trim().to_owned();
            if text.is_empty() {
                match (opt(&r.author), opt(&r.year), opt(&r.title)) {
                    (Some(a), Some(y), Some(t)) => text = format!("{a} ({y}). {t}."),
                    (Some(a), None, Some(t)) => text = format!("{a}. {t}."),
                    (_, _, Some(t)) => text = format!("{t}."),
                    _ => {
                        errors.insert(
                            format!("ref-{i}-text"),
                            format!("Reference {} needs its full text, or at least a title.", i + 1),
                        );
                        continue;
                    }
                }
            }
            references.push(Reference {
                key: opt(&r.key),
                text,
                author: opt(&r.author),
                year: opt(&r.year),
                title: opt(&r.title),
                doi: opt(&r.doi),
                url: opt(&r.url),
            });
        }
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        match (slug, errors.is_empty()) {
            (Some(slug), true) => Ok(Article {
                slug,
                title,
                description: self.description.trim().to_owned(),
                question: opt(&self.question),
                answer: opt(&self.answer),
                body: self.body.clone(),
                tags,
                content_notes,
                references,
                author: opt(&self.author),
                reviewer: opt(&self.reviewer),
                last_reviewed,
                next_review,
                disclosure: opt(&self.disclosure),
                status: Status::Draft,
                published: None,
                created: None,
                updated: None,
            }),
            _ => {
                if errors.is_empty() {
                    errors.insert("title".into(), "Give the article a title.".into());
                }
                Err(errors)
            }
        }
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
