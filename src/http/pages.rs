//! Reader page handlers: parse the route at the edge, ask the app for the page, send it.

use super::{AppState, Error, respond};
use crate::app::{FeedKind, Route};
use crate::domain::{Slug, Tag};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// `?page=N` on listings.
#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    fn number(&self) -> Result<u64, Error> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(p) => p
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| Error::BadRequest("The page number must be a whole number from 1.".into())),
        }
    }
}

/// Serves `route` from the cache, rendering it on a blocking thread on a miss.
async fn send(app: AppState, route: Route, headers: HeaderMap) -> Result<Response, Error> {
    if let Some(page) = app.cached_page(&route) {
        return Ok(respond::cached(&page, &headers));
    }
    let page = tokio::task::spawn_blocking(move || app.page(&route)).await??;
    Ok(respond::cached(&page, &headers))
}

/// `/`
pub async fn home(
    State(app): State<AppState>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    send(app, Route::Home { page: q.number()? }, headers).await
}

/// `/articles/{slug}`
pub async fn article(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let slug = Slug::parse(&slug).map_err(|_| Error::NotFound)?;
    send(app, Route::Article(slug), headers).await
}

/// `/tags`
pub async fn tags(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, Error> {
    send(app, Route::Tags, headers).await
}

/// `/tags/{tag}`; a tag in another spelling redirects to its canonical page.
pub async fn tag(
    State(app): State<AppState>,
    Path(raw): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let tag = Tag::parse(&raw).map_err(|_| Error::NotFound)?;
    if tag.as_str() != raw {
        return Ok(axum::response::Redirect::permanent(&format!("/tags/{tag}")).into_response());
    }
    send(app, Route::Tag { tag, page: q.number()? }, headers).await
}

/// `/static/{name}`
pub async fn asset(
    State(app): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    if !crate::render::assets::is_safe_name(&name) {
        return Err(Error::NotFound);
    }
    send(app, Route::Static(name), headers).await
}

/// `/healthz`: the process is up and the database answers.
pub async fn healthz(State(app): State<AppState>) -> Result<&'static str, Error> {
    tokio::task::spawn_blocking(move || app.check_health()).await?.map_err(Error::Unavailable)?;
    Ok("ok\n")
}

/// Anything else.
pub async fn not_found() -> Error {
    Error::NotFound
}

/// `/feed.atom`, `/feed.rss`, `/feed.json`
pub async fn feed(
    State(app): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let kind = file.strip_prefix("feed.").and_then(FeedKind::from_ext).ok_or(Error::NotFound)?;
    send(app, Route::Feed { tag: None, kind }, headers).await
}

/// `/tags/{tag}/{feed.atom|feed.rss|feed.json}`
pub async fn tag_feed(
    State(app): State<AppState>,
    Path((raw, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let kind = file.strip_prefix("feed.").and_then(FeedKind::from_ext).ok_or(Error::NotFound)?;
    let tag = Tag::parse(&raw).map_err(|_| Error::NotFound)?;
    send(app, Route::Feed { tag: Some(tag), kind }, headers).await
}

/// `/sitemap.xml`, `/sitemap-N.xml`, `/robots.txt`, `/opensearch.xml` (one route so the names stay in one place).
pub async fn site_file(
    State(app): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let route = match file.as_str() {
        "sitemap.xml" => Route::Sitemap(None),
        "robots.txt" => Route::Robots,
        "opensearch.xml" => Route::OpenSearch,
        f => {
            match f.strip_prefix("sitemap-").and_then(|r| r.strip_suffix(".xml")).and_then(|n| n.parse().ok())
            {
                Some(n) => Route::Sitemap(Some(n)),
                None if f.starts_with("feed.") => return feed(State(app), Path(file), headers).await,
                None => return Err(Error::NotFound),
            }
        }
    };
    send(app, route, headers).await
}
