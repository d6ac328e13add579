//! Reader pages: route → cached page, rendering on a miss.

use super::{App, AppError};
use crate::domain::{Slug, Tag};
use crate::render::{CachedPage, assets, views};
use std::sync::Arc;

const HTML: &str = "text/html; charset=utf-8";
/// Pages may be reused for a minute, then revalidated with the ETag.
const PAGE_CACHE_CONTROL: &str = "public, max-age=60";

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
}

impl Route {
    /// The cache key: one per distinct page.
    pub fn key(&self) -> String {
        match self {
            Route::Home { page } => format!("/?page={page}"),
            Route::Article(s) => format!("/articles/{s}"),
            Route::Tags => "/tags".to_owned(),
            Route::Tag { tag, page } => format!("/tags/{tag}?page={page}"),
            Route::Static(n) => format!("/static/{n}"),
        }
    }
}

impl App {
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
            _ => CachedPage::new(200, HTML, PAGE_CACHE_CONTROL, self.render(route)?.into_bytes()),
        };
        Ok(self.cache.insert(key, page))
    }

    fn render(&self, route: &Route) -> Result<String, AppError> {
        let now = self.now();
        let per = self.config.page_size.max(1);
        let t = &self.templates;
        Ok(match route {
            Route::Home { page } => {
                let (articles, total) = self.store.public_articles(now, (page - 1) * per, per)?;
                if articles.is_empty() && *page > 1 {
                    return Err(AppError::NotFound);
                }
                views::home(t, &self.site, &articles, &views::Pager::new("/", *page, total, per))?
            }
            Route::Article(slug) => {
                let stored = self.store.article(slug)?.ok_or(AppError::NotFound)?;
                if !stored.article.is_public(now) {
                    return Err(AppError::NotFound);
                }
                let related = self.store.related(slug, now, 3)?;
                let page = views::ArticlePage {
                    article: &stored.article,
                    body_html: &stored.body_html,
                    published: stored.sort_at,
                    related: &related,
                };
                let support = views::support_for(&self.config.support, &stored.article);
                views::article(t, &self.site, &page, &support, &self.config.exit_url)?
            }
            Route::Tags => views::tags(t, &self.site, &self.store.tag_counts(now)?)?,
            Route::Tag { tag, page } => {
                let (articles, total) = self.store.tagged_articles(tag, now, (page - 1) * per, per)?;
                if articles.is_empty() {
                    return Err(AppError::NotFound);
                }
                let base = format!("/tags/{tag}");
                views::tag(
                    t,
                    &self.site,
                    tag,
                    &articles,
                    total,
                    &views::Pager::new(&base, *page, total, per),
                )?
            }
            Route::Static(_) => return Err(AppError::NotFound),
        })
    }

    /// A human error page body (not cached).
    pub fn error_page(&self, heading: &str, message: &str) -> String {
        views::error(&self.templates, &self.site, heading, message).unwrap_or_else(|e| {
            tracing::error!(error = %e, "error template failed");
            format!("<!doctype html><title>{heading}</title><h1>{heading}</h1>")
        })
    }
}
