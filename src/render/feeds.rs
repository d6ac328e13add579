//! Feeds (Atom 1.0, RSS 2.0, JSON Feed 1.1), the sitemap, robots.txt and the OpenSearch description.
//! Pure functions of the articles given, so the server and the static export send the same bytes.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// One article as a feed entry.
pub struct FeedItem<'a> {
    /// Article slug.
    pub slug: &'a str,
    /// Title.
    pub title: &'a str,
    /// Description or short answer.
    pub summary: &'a str,
    /// Full rendered body.
    pub content_html: &'a str,
    /// Publication time.
    pub published: OffsetDateTime,
    /// Last substantive change (or publication).
    pub updated: OffsetDateTime,
    /// Author name.
    pub author: Option<&'a str>,
    /// Tags, as categories.
    pub tags: Vec<&'a str>,
}

/// What a feed is about: the whole site or one tag.
pub struct FeedMeta<'a> {
    /// Feed title.
    pub title: String,
    /// Site base URL without a trailing slash.
    pub base_url: &'a str,
    /// The HTML page this feed follows (`/` or `/tags/x`), absolute.
    pub page_url: String,
    /// URL prefix of the feed files (`{base}/feed` or `{base}/tags/x/feed`), absolute.
    pub feed_url: String,
    /// The site's language.
    pub language: &'a str,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

fn newest(items: &[FeedItem<'_>]) -> OffsetDateTime {
    items.iter().map(|i| i.updated).max().unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn article_url(base: &str, slug: &str) -> String {
    format!("{base}/articles/{slug}")
}

/// Atom 1.0 (RFC 4287).
pub fn atom(meta: &FeedMeta<'_>, items: &[FeedItem<'_>]) -> String {
    use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
    let date = |t: OffsetDateTime| {
        FixedDateTime::parse_from_rfc3339(&rfc3339(t)).unwrap_or_else(|_| FixedDateTime::default())
    };
    let link = |href: String, rel: &str, mime: Option<&str>| Link {
        href,
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Link::default()
    };
    let entries = items
        .iter()
        .map(|i| {
            let url = article_url(meta.base_url, i.slug);
            Entry {
                id: url.clone(),
                title: Text::plain(i.title),
                updated: date(i.updated),
                published: Some(date(i.published)),
                authors: vec![Person {
                    name: i.author.unwrap_or("ZeroOpposite editors").to_owned(),
                    ..Person::default()
                }],
                links: vec![link(url, "alternate", Some("text/html"))],
                categories: i
                    .tags
                    .iter()
                    .map(|t| Category { term: (*t).to_owned(), ..Category::default() })
                    .collect(),
                summary: (!i.summary.is_empty()).then(|| Text::plain(i.summary)),
                content: Some(Content {
                    value: Some(i.content_html.to_owned()),
                    content_type: Some("html".to_owned()),
                    ..Content::default()
                }),
                ..Entry::default()
            }
        })
        .collect();
    let feed = Feed {
        id: meta.page_url.clone(),
        title: Text::plain(meta.title.as_str()),
        updated: date(newest(items)),
        links: vec![
            link(format!("{}.atom", meta.feed_url), "self", Some("application/atom+xml")),
            link(meta.page_url.clone(), "alternate", Some("text/html")),
        ],
        entries,
        ..Feed::default()
    };
    feed.to_string()
}

/// RSS 2.0.
pub fn rss(meta: &FeedMeta<'_>, items: &[FeedItem<'_>]) -> String {
    use rss::{Category, Channel, Guid, Item};
    let rfc2822 = |t: OffsetDateTime| t.to_offset(time::UtcOffset::UTC).format(&Rfc2822).unwrap_or_default();
    let items: Vec<Item> = items
        .iter()
        .map(|i| {
            let url = article_url(meta.base_url, i.slug);
            Item {
                title: Some(i.title.to_owned()),
                link: Some(url.clone()),
                description: Some(i.content_html.to_owned()),
                guid: Some(Guid { value: url, permalink: true }),
                pub_date: Some(rfc2822(i.published)),
                categories: i.tags.iter().map(|t| Category { name: (*t).to_owned(), domain: None }).collect(),
                ..Item::default()
            }
        })
        .collect();
    let channel = Channel {
        title: meta.title.clone(),
        link: meta.page_url.clone(),
        description: format!("{}: careful answers to readers' questions.", meta.title),
        language: Some(meta.language.to_owned()),
        items,
        ..Channel::default()
    };
    channel.to_string()
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    date_published: String,
    date_modified: String,
    authors: Vec<JsonAuthor<'a>>,
    tags: &'a [&'a str],
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

/// JSON Feed 1.1.
pub fn json(meta: &FeedMeta<'_>, items: &[FeedItem<'_>]) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &meta.title,
        home_page_url: &meta.page_url,
        feed_url: format!("{}.json", meta.feed_url),
        language: meta.language,
        items: items
            .iter()
            .map(|i| JsonItem {
                id: article_url(meta.base_url, i.slug),
                url: article_url(meta.base_url, i.slug),
                title: i.title,
                content_html: i.content_html,
                summary: i.summary,
                date_published: rfc3339(i.published),
                date_modified: rfc3339(i.updated),
                authors: vec![JsonAuthor { name: i.author.unwrap_or("ZeroOpposite editors") }],
                tags: &i.tags,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}

/// URLs per sitemap file (the protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// One URL of the sitemap.
pub struct SitemapUrl {
    /// Absolute URL.
    pub loc: String,
    /// Last modification.
    pub lastmod: Option<OffsetDateTime>,
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A `<urlset>` of at most [`SITEMAP_LIMIT`] URLs.
pub fn sitemap(urls: &[SitemapUrl]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&u.loc));
        out.push_str("</loc>");
        if let Some(t) = u.lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", rfc3339(t)));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// A `<sitemapindex>` pointing at `parts` sitemap files `{base}/sitemap-N.xml`.
pub fn sitemap_index(base: &str, parts: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        out.push_str(&format!("  <sitemap><loc>{}/sitemap-{n}.xml</loc></sitemap>\n", xml_escape(base)));
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// The sitemap file `part` (`None`: `/sitemap.xml`) for `urls`: one `<urlset>` when they fit in `limit`,
/// else an index at `/sitemap.xml` and numbered parts. `None` when the part does not exist.
pub fn sitemap_file(base: &str, urls: &[SitemapUrl], part: Option<usize>, limit: usize) -> Option<String> {
    let parts = urls.len().div_ceil(limit.max(1));
    match part {
        None if parts <= 1 => Some(sitemap(urls)),
        None => Some(sitemap_index(base, parts)),
        Some(n) if parts > 1 && (1..=parts).contains(&n) => urls.chunks(limit).nth(n - 1).map(sitemap),
        Some(_) => None,
    }
}

/// robots.txt: everything public may be crawled except search results and the admin.
pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /search\nDisallow: /api/\nDisallow: /admin\n\nSitemap: {base}/sitemap.xml\n"
    )
}

/// The OpenSearch description, so browsers can add the site's search.
pub fn opensearch(site_name: &str, base: &str) -> String {
    let name = xml_escape(site_name);
    let base = xml_escape(base);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n  \
         <ShortName>{name}</ShortName>\n  <Description>Search {name} articles</Description>\n  \
         <InputEncoding>UTF-8</InputEncoding>\n  <Image width=\"16\" height=\"16\" type=\"image/svg+xml\">{base}/static/favicon.svg</Image>\n  \
         <Url type=\"text/html\" method=\"get\" template=\"{base}/search?q={{searchTerms}}\"/>\n  \
         <Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"{base}/opensearch.xml\"/>\n\
         </OpenSearchDescription>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_urls_are_escaped() {
        let s = sitemap(&[SitemapUrl { loc: "https://x.example/?a=1&b=2".into(), lastmod: None }]);
        assert!(s.contains("<loc>https://x.example/?a=1&amp;b=2</loc>"));
    }

    #[test]
    fn beyond_the_limit_the_sitemap_becomes_an_index_of_parts() {
        let urls: Vec<SitemapUrl> =
            (0..5).map(|i| SitemapUrl { loc: format!("https://x.example/{i}"), lastmod: None }).collect();
        assert!(sitemap_file("https://x.example", &urls, None, 10).unwrap().contains("<urlset"));
        let index = sitemap_file("https://x.example", &urls, None, 2).unwrap();
        assert!(index.contains("<sitemapindex") && index.contains("sitemap-3.xml"));
        let last = sitemap_file("https://x.example", &urls, Some(3), 2).unwrap();
        assert_eq!(last.matches("<url>").count(), 1);
        assert!(sitemap_file("https://x.example", &urls, Some(4), 2).is_none());
        assert!(sitemap_file("https://x.example", &urls, Some(1), 10).is_none());
    }

    #[test]
    fn an_index_lists_each_part() {
        let s = sitemap_index("https://x.example", 3);
        assert!(s.contains("sitemap-3.xml") && !s.contains("sitemap-4.xml"));
    }
}
