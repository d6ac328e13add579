//! Reading one article file: its front matter read by the one schema ([`FrontMatter`]), unknown keys
//! reported with their lines, problems at the line of their key.

use super::front_matter::{self, ContentError, Format};
use super::schema::FrontMatter;
use crate::domain::Article;
use time::OffsetDateTime;

pub use super::schema::parse_date_time;

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
    /// Why the file is not an article at all (a headless bundle, a page never rendered, a theme's
    /// layout page), when it is not.
    pub not_a_page: Option<String>,
    /// The page's old addresses as written (`aliases`, `url`, `path`), to keep as redirects.
    pub old_addresses: Vec<String>,
    /// The front matter's `slug` as written (`My_Post`), which the old address used.
    pub written_slug: Option<String>,
    /// Top-level keys this schema does not know (another tool's, a theme's), with their lines: they
    /// are ignored, and the caller says so (an import once per key, not once per file).
    pub unknown_keys: Vec<(String, usize)>,
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
    parse_page(source, fallback_slug, false, now)
}

/// Parses a page of a Hugo or Zola site when `site_page`: as [`parse_article`], except that, as
/// those tools do, a file without front matter is a page with an empty one, and a page without a
/// `title` takes its first heading or its file name (with a warning).
pub fn parse_page(
    source: &str,
    fallback_slug: Option<&str>,
    site_page: bool,
    now: OffsetDateTime,
) -> Result<ParsedArticle, ContentError> {
    let split = match front_matter::split(source) {
        Ok(s) => s,
        Err(e) if site_page && e.line == 1 && e.message.starts_with("the file must start") => {
            front_matter::Split {
                format: Format::Yaml,
                front_matter: "",
                front_matter_first_line: 1,
                body: source.strip_prefix('\u{feff}').unwrap_or(source),
                body_first_line: 1,
            }
        }
        Err(e) => return Err(e),
    };
    let map = front_matter::parse(&split)?;
    let at = |key: &str| {
        let top = key.split('.').next().unwrap_or(key);
        front_matter::key_line(&split, top)
    };
    let (fm, notices) =
        FrontMatter::from_file_map(map).map_err(|e| ContentError::at(at(&e.key), e.message))?;
    let mut warnings: Vec<ContentError> =
        notices.into_iter().map(|n| ContentError::at(at(&n.key), n.message)).collect();
    let mut unknown_keys = Vec::new();
    for key in fm.unknown_keys() {
        match key.strip_prefix("references.").and_then(|k| k.split_once('.')) {
            Some((i, name)) => {
                let n = i.parse::<usize>().map_or(0, |i| i + 1);
                warnings.push(ContentError::at(
                    at("references"),
                    format!("unknown key `{name}` in reference {n} is ignored"),
                ));
            }
            None if IGNORED_KEYS.contains(&key.as_str()) => {}
            None => {
                let line = at(&key);
                unknown_keys.push((key, line));
            }
        }
    }
    let mut fm = fm;
    if site_page && fm.title.is_none() {
        let title = first_heading(split.body)
            .or_else(|| fallback_slug.map(title_from_name))
            .filter(|t| !t.is_empty());
        if let Some(t) = &title {
            warnings.push(ContentError::at(
                split.front_matter_first_line,
                format!("the page has no `title`; it is imported as {t:?}"),
            ));
        }
        fm.title = title;
    }
    let not_a_page = fm.not_a_page(split.body);
    let old_addresses = fm.old_addresses();
    let written_slug = fm.slug.clone();
    let expiry = fm.expirydate.clone();
    let article = fm.into_article(split.body, fallback_slug, now).map_err(|errors| {
        let first = errors.into_iter().next().expect("an error list is never empty");
        // A key that is missing altogether is reported where the front matter opens.
        let top = first.key.split('.').next().unwrap_or(&first.key);
        let line = front_matter::find_key_line(&split, top).unwrap_or(1);
        ContentError::at(line, first.message)
    })?;
    if let Some(written) = written_slug.as_ref().filter(|w| *w != article.slug.as_str()) {
        warnings.push(ContentError::at(
            at("slug"),
            format!(
                "the slug `{written}` is written `{}` here (lower case letters, digits and -)",
                article.slug
            ),
        ));
    }
    if let Some(e) = expiry
        && article.status == crate::domain::Status::Draft
        && super::schema::parse_date_time(&e.0).is_some_and(|t| t <= now)
    {
        warnings.push(ContentError::at(
            at("expirydate"),
            format!("the page expired on {} (`expiryDate`); it is imported unpublished, as a draft", e.0),
        ));
    }
    warnings.sort_by_key(|w| w.line);
    Ok(ParsedArticle {
        article,
        warnings,
        body_first_line: split.body_first_line,
        format: split.format,
        not_a_page,
        old_addresses,
        written_slug,
        unknown_keys,
    })
}

/// The text of the body's first ATX heading (`# Title`).
fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .map(str::trim)
        .find(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim().trim_end_matches('#').trim().to_owned())
}

/// `my-first_post` → "My first post".
fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
