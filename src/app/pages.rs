//! Reader pages: route → cached page, rendering on a miss.

use super::{App, AppError};
use crate::domain::{Slug, Tag};
use crate::render::{CachedPage, assets, feeds, views};
use std::sync::Arc;

const HTML: &str = "text/html; charset=utf-8";
/// Pages may be reused for a minute, then revalidated with the ETag. A CDN in front may keep
/// serving a page for five minutes while it revalidates in the background, and for a day while
/// every instance is down, so spikes and outages reach the instances as a trickle. The ETag is a
/// hash of the body, and the body depends only on the store, so every instance gives the same.
const PAGE_CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400";

/// A freshly rendered response: (content type, cache control, body, the other articles the page
/// shows besides listings: an article page's related articles).
type Fresh = (&'static str, &'static str, Vec<u8>, Vec<String>);

/// A reader page the cache can hold. Built at the HTTP edge from path and query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/?page=N`
    Home {
        /// 1-based page.
        page: u64,
    },
    /// `/articles/{slug}`
    Article(Slug),
    /// `/tags`
    Tags,
    /// `/tags/{tag}?page=N`
    Tag {
        /// The tag.
        tag: Tag,
        /// 1-based page.
        page: u64,
    },
    /// `/static/{name}`
    Static(String),
    /// `/feed.{atom,rss,json}` and `/tags/{tag}/feed.{…}`
    Feed {
        /// Only this tag's articles.
        tag: Option<Tag>,
        /// Which format.
        kind: FeedKind,
    },
    /// `/sitemap.xml` (`None`) or `/sitemap-N.xml`
    Sitemap(Option<usize>),
    /// `/robots.txt`
    Robots,
    /// `/opensearch.xml`
    OpenSearch,
}

/// Feed formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// Atom 1.0.
    Atom,
    /// RSS 2.0.
    Rss,
    /// JSON Feed 1.1.
    Json,
}

impl FeedKind {
    /// From the file extension.
    pub fn from_ext(ext: &str) -> Option<FeedKind> {
        match ext {
            "atom" => Some(FeedKind::Atom),
            "rss" => Some(FeedKind::Rss),
            "json" => Some(FeedKind::Json),
            _ => None,
        }
    }

    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            FeedKind::Atom => "atom",
            FeedKind::Rss => "rss",
            FeedKind::Json => "json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            FeedKind::Atom => "application/atom+xml; charset=utf-8",
            FeedKind::Rss => "application/rss+xml; charset=utf-8",
            FeedKind::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// Entries in the site's feeds.
const FEED_ITEMS: u64 = 50;
/// Entries in a tag's feeds: a reader following one topic needs fewer (WordPress gives every feed
/// 10). Each entry carries the whole article, so at 300 tags this is most of a static export's bytes.
const TAG_FEED_ITEMS: usize = 20;

impl Route {
    /// The cache key: one per distinct page.
    pub fn key(&self) -> String {
        match self {
            Route::Home { page } => format!("/?page={page}"),
            Route::Article(s) => format!("/articles/{s}"),
            Route::Tags => "/tags".to_owned(),
            Route::Tag { tag, page } => format!("/tags/{tag}?page={page}"),
            Route::Static(n) => format!("/static/{n}"),
            Route::Feed { tag: None, kind } => format!("/feed.{}", kind.ext()),
            Route::Feed { tag: Some(t), kind } => format!("/tags/{t}/feed.{}", kind.ext()),
            Route::Sitemap(None) => "/sitemap.xml".to_owned(),
            Route::Sitemap(Some(n)) => format!("/sitemap-{n}.xml"),
            Route::Robots => "/robots.txt".to_owned(),
            Route::OpenSearch => "/opensearch.xml".to_owned(),
        }
    }
}

/// Related articles shown under an article.
const RELATED_SHOWN: usize = 3;

impl App {
    /// The (up to three) public articles sharing the most tags with `article`, ranked in memory and
    /// read from the store.
    pub(super) fn related_to(
        &self,
        article: &crate::domain::Article,
        now: time::OffsetDateTime,
    ) -> Result<Vec<crate::domain::ArticleSummary>, AppError> {
        let slugs = self.tag_lists.related(&article.tags, article.slug.as_str(), now, RELATED_SHOWN);
        Ok(self.store.summaries(&slugs, now)?)
    }

    /// The page for `route` if it is cached: the fast path, answered without a thread hop.
    pub fn cached_page(&self, route: &Route) -> Option<Arc<CachedPage>> {
        self.cache.get(&route.key())
    }

    /// The cached page under `key` (a [`Route::key`]), for the server's cache-hit fast path, which
    /// looks pages up before routing.
    pub fn cached_by_key(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.cache.get(key)
    }

    /// An editors' page: template `name` (under `admin/`) with `ctx` and what every page knows of
    /// the site.
    pub fn admin_page(&self, name: &str, ctx: minijinja::Value) -> Result<String, AppError> {
        Ok(views::admin(&self.templates, &self.site_view, name, ctx)?)
    }

    /// The page for `route`, from the cache or freshly rendered. Blocking (store access).
    pub fn page(&self, route: &Route) -> Result<Arc<CachedPage>, AppError> {
        let key = route.key();
        if let Some(p) = self.cache.get(&key) {
            return Ok(p);
        }
        let page = match route {
            Route::Static(name) => {
                assets::load(self.config.theme_dir.as_deref(), name).ok_or(AppError::NotFound)?
            }
            _ => {
                let (content_type, cache_control, body, shows) = self.fresh(route)?;
                let page = CachedPage::new(200, content_type, cache_control, body);
                return Ok(self.cache.insert_showing(key, page, &shows));
            }
        };
        Ok(self.cache.insert(key, page))
    }

    /// A route's body and content type as served, rendered afresh, neither compressed nor cached:
    /// what the static export writes (it has no use for the compressed copies, and would only
    /// push the live pages out of the cache).
    pub fn page_body(&self, route: &Route) -> Result<(&'static str, Vec<u8>), AppError> {
        match route {
            Route::Static(_) => {
                let p = self.page(route)?;
                Ok((p.content_type, p.identity.to_vec()))
            }
            _ => self.fresh(route).map(|(content_type, _, body, _)| (content_type, body)),
        }
    }

    /// Renders any route but a static asset.
    fn fresh(&self, route: &Route) -> Result<Fresh, AppError> {
        if let Route::Article(_) | Route::Home { .. } | Route::Tags | Route::Tag { .. } = route {
            let (html, shows) = self.render(route)?;
            return Ok((HTML, PAGE_CACHE_CONTROL, html.into_bytes(), shows));
        }
        let (content_type, cache_control, body) = match route {
            Route::Feed { tag, kind } => {
                (kind.content_type(), PAGE_CACHE_CONTROL, self.feed(tag.as_ref(), *kind)?.into_bytes())
            }
            Route::Sitemap(part) => {
                ("application/xml; charset=utf-8", PAGE_CACHE_CONTROL, self.sitemap(*part)?.into_bytes())
            }
            Route::Robots => (
                "text/plain; charset=utf-8",
                PAGE_CACHE_CONTROL,
                feeds::robots(&self.config.base_url).into_bytes(),
            ),
            Route::OpenSearch => (
                "application/opensearchdescription+xml; charset=utf-8",
                "public, max-age=86400",
                feeds::opensearch(&self.config.site_name, &self.config.base_url).into_bytes(),
            ),
            _ => return Err(AppError::NotFound),
        };
        Ok((content_type, cache_control, body, Vec::new()))
    }

    /// An HTML page, with the slugs of the other articles it shows (related ones).
    fn render(&self, route: &Route) -> Result<(String, Vec<String>), AppError> {
        let now = self.now();
        let per = self.config.page_size.get();
        let t = &self.templates;
        let mut shows = Vec::new();
        let html = match route {
            Route::Home { page } => {
                let (articles, total) = self.store.public_articles(now, (page - 1) * per, per)?;
                if articles.is_empty() && *page > 1 {
                    return Err(AppError::NotFound);
                }
                views::home(t, &self.site_view, &articles, &views::Pager::new("/", *page, total, per))?
            }
            Route::Article(slug) => {
                let stored = self.store.article(slug)?.ok_or(AppError::NotFound)?;
                if !stored.article.is_public(now) {
                    return Err(AppError::NotFound);
                }
                let related = self.related_to(&stored.article, now)?;
                shows.extend(related.iter().map(|r| r.slug.to_string()));
                let translations = match &stored.article.translation_key {
                    Some(key) => self.store.translations(key, now)?,
                    None => Vec::new(),
                };
                // A translation's title or publication changes this page's switcher too.
                shows.extend(translations.iter().filter(|t| t.slug != *slug).map(|t| t.slug.to_string()));
                let page = views::ArticlePage {
                    article: &stored.article,
                    body_html: &stored.body_html,
                    published: stored.sort_at,
                    related: &related,
                    translations: &translations,
                };
                let support = views::support_for(&self.config.support, &stored.article);
                views::article(t, &self.site_view, &page, &support, &self.config.exit_url)?
            }
            Route::Tags => views::tags(t, &self.site_view, &self.store.tag_counts(now)?)?,
            Route::Tag { tag, page } => {
                let (slugs, total) =
                    self.tag_lists.tagged(tag, now, ((page - 1) * per) as usize, per as usize);
                let articles = self.store.summaries(&slugs, now)?;
                if articles.is_empty() {
                    return Err(AppError::NotFound);
                }
                let base = format!("/tags/{tag}");
                views::tag(
                    t,
                    &self.site_view,
                    tag,
                    &articles,
                    total,
                    &views::Pager::new(&base, *page, total, per),
                )?
            }
            Route::Static(_) | Route::Feed { .. } | Route::Sitemap(_) | Route::Robots | Route::OpenSearch => {
                return Err(AppError::NotFound);
            }
        };
        Ok((html, shows))
    }

    fn feed(&self, tag: Option<&Tag>, kind: FeedKind) -> Result<String, AppError> {
        let now = self.now();
        let articles = match tag {
            None => self.store.recent_public(now, FEED_ITEMS)?,
            Some(t) => {
                let (slugs, _) = self.tag_lists.tagged(t, now, 0, TAG_FEED_ITEMS);
                self.store.public_articles_among(&slugs, now)?
            }
        };
        if tag.is_some() && articles.is_empty() {
            return Err(AppError::NotFound);
        }
        let base = &self.config.base_url;
        let meta = match tag {
            None => feeds::FeedMeta {
                title: self.config.site_name.clone(),
                base_url: base,
                page_url: format!("{base}/"),
                feed_url: format!("{base}/feed"),
                language: &self.config.language,
            },
            Some(t) => feeds::FeedMeta {
                title: format!("#{t} · {}", self.config.site_name),
                base_url: base,
                page_url: format!("{base}/tags/{t}"),
                feed_url: format!("{base}/tags/{t}/feed"),
                language: &self.config.language,
            },
        };
        let items: Vec<feeds::FeedItem<'_>> = articles
            .iter()
            .map(|a| feeds::FeedItem {
                slug: a.article.slug.as_str(),
                title: &a.article.title,
                summary: a.article.summary(),
                content_html: &a.body_html,
                published: a.sort_at,
                updated: a.article.updated.unwrap_or(a.sort_at).max(a.sort_at),
                author: a.article.author.as_deref(),
                tags: a.article.tags.iter().map(Tag::as_str).collect(),
            })
            .collect();
        Ok(match kind {
            FeedKind::Atom => feeds::atom(&meta, &items),
            FeedKind::Rss => feeds::rss(&meta, &items),
            FeedKind::Json => feeds::json(&meta, &items),
        })
    }

    /// The sitemap: one file up to the protocol limit, else an index of numbered parts.
    fn sitemap(&self, part: Option<usize>) -> Result<String, AppError> {
        let now = self.now();
        let base = &self.config.base_url;
        let mut urls = vec![
            feeds::SitemapUrl { loc: format!("{base}/"), lastmod: None },
            feeds::SitemapUrl { loc: format!("{base}/tags"), lastmod: None },
        ];
        for t in self.store.tag_counts(now)? {
            urls.push(feeds::SitemapUrl { loc: format!("{base}/tags/{}", t.tag), lastmod: None });
        }
        for (slug, updated) in self.store.public_slugs(now)? {
            urls.push(feeds::SitemapUrl { loc: format!("{base}/articles/{slug}"), lastmod: Some(updated) });
        }
        feeds::sitemap_file(base, &urls, part, feeds::SITEMAP_LIMIT).ok_or(AppError::NotFound)
    }

    /// A human error page body (not cached).
    pub fn error_page(&self, heading: &str, message: &str) -> String {
        views::error(&self.templates, &self.site_view, heading, message).unwrap_or_else(|e| {
            tracing::error!(error = %e, "error template failed");
            format!("<!doctype html><title>{heading}</title><h1>{heading}</h1>")
        })
    }
}
