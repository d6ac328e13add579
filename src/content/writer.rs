//! Writing an [`Article`] back to a Markdown file with TOML front matter, so export then import gives it back.

use crate::domain::{Article, Reference, Status};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use toml::value::Datetime;

#[derive(Serialize)]
struct Front<'a> {
    title: &'a str,
    slug: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<&'a str>,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    content_notes: &'a Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_reviewed: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_review: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disclosure: Option<&'a str>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<Datetime>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<Ref<'a>>,
}

#[derive(Serialize)]
struct Ref<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// Renders `article` as a `+++` TOML front-matter Markdown file.
pub fn to_markdown_file(article: &Article) -> String {
    let front = Front {
        title: &article.title,
        slug: article.slug.as_str(),
        description: &article.description,
        question: article.question.as_deref(),
        answer: article.answer.as_deref(),
        tags: article.tags.iter().map(|t| t.as_str()).collect(),
        content_notes: &article.content_notes,
        author: article.author.as_deref(),
        reviewer: article.reviewer.as_deref(),
        last_reviewed: article.last_reviewed.map(date),
        next_review: article.next_review.map(date),
        disclosure: article.disclosure.as_deref(),
        status: match article.status {
            Status::Trashed => "trashed",
            s => s.as_str(),
        },
        published: article.published.map(date_time),
        created: article.created.map(date_time),
        updated: article.updated.map(date_time),
        references: article.references.iter().map(reference).collect(),
    };
    let toml = toml::to_string(&front).expect("a struct of strings and dates always serialises to TOML");
    format!("+++\n{toml}+++\n{}", article.body)
}

fn reference(r: &Reference) -> Ref<'_> {
    Ref {
        key: r.key.as_deref(),
        text: &r.text,
        author: r.author.as_deref(),
        year: r.year.as_deref(),
        title: r.title.as_deref(),
        doi: r.doi.as_deref(),
        url: r.url.as_deref(),
    }
}

fn date_time(t: OffsetDateTime) -> Datetime {
    let s = t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).expect("every UTC time formats as RFC 3339");
    s.parse().expect("RFC 3339 is valid TOML date-time syntax")
}

fn date(d: Date) -> Datetime {
    d.to_string().parse().expect("YYYY-MM-DD is valid TOML date syntax")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_article;

    #[test]
    fn a_written_file_parses_back_to_the_same_article() {
        let src = include_str!("../../content/demo/sexual-intimacy-and-posttraumatic-growth.md");
        let now = OffsetDateTime::now_utc();
        let a = parse_article(src, None, now).unwrap().article;
        let written = to_markdown_file(&a);
        let b = parse_article(&written, None, now).unwrap();
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        assert_eq!(a, b.article);
    }
}
