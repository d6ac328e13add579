//! `/search` (a page in the site's layout) and `/api/search` (JSON). Any query string is acceptable:
//! nothing a reader types can produce an error page.

use super::{AppState, Error};
use crate::app::search::{MAX_PAGE, MAX_QUERY_CHARS};
use crate::search::{SearchRequest, SearchResults};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// `?q=…&tag=…&page=…`, all optional, all strings so that no value is a parse error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    q: String,
    tag: String,
    page: String,
}

impl SearchParams {
    fn request(&self, per_page: usize) -> Result<SearchRequest, Error> {
        let page = match self.page.trim() {
            "" => 1,
            p => p.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                Error::BadRequest(format!("The page number must be a whole number from 1 to {MAX_PAGE}."))
            })?,
        };
        let tag = match self.tag.trim() {
            "" => None,
            t => Some(crate::domain::Tag::parse(t).map(|t| t.to_string()).unwrap_or_else(|_| t.to_owned())),
        };
        Ok(SearchRequest { text: self.q.clone(), tag, page, per_page })
    }
}

/// `GET /search`
///
/// The search runs on the async worker itself rather than on the blocking pool: it reads only
/// the memory-mapped index (no waiting on I/O or locks) and takes a fraction of a millisecond,
/// so a hop to another thread and back would cost more than it protects.
pub async fn page(
    State(app): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, Error> {
    let req = params.request(app.config().search.per_page)?;
    let html = if req.text.trim().is_empty() && req.tag.is_none() {
        let a = app.clone();
        tokio::task::spawn_blocking(move || a.search_topics_page()).await??
    } else {
        app.search_results_page(&req)?
    };
    Ok(private(Html(html).into_response()))
}

/// JSON shape of `/api/search`.
#[derive(Serialize)]
struct ApiResults<'a> {
    query: String,
    total: usize,
    /// False when more than `total` matched (counting stops after 1,000).
    total_exact: bool,
    page: usize,
    per_page: usize,
    truncated: bool,
    fuzzy: bool,
    suggestion: Option<&'a str>,
    took_ms: f64,
    hits: Vec<ApiHit<'a>>,
}

#[derive(Serialize)]
struct ApiHit<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    snippet: &'a str,
    tags: &'a [String],
    score: f32,
}

/// `GET /api/search`
pub async fn api(State(app): State<AppState>, Query(params): Query<SearchParams>) -> Result<Response, Error> {
    let req = params.request(app.config().search.per_page)?;
    let results: SearchResults = app.search(&req, app.now())?;
    let body = ApiResults {
        query: req.text.chars().take(MAX_QUERY_CHARS).collect(),
        total: results.total,
        total_exact: results.total_exact,
        page: req.page,
        per_page: req.per_page,
        truncated: results.truncated,
        fuzzy: results.fuzzy,
        suggestion: results.suggestion.as_deref(),
        took_ms: results.took.as_secs_f64() * 1000.0,
        hits: results
            .hits
            .iter()
            .map(|h| ApiHit {
                slug: &h.slug,
                title: &h.title,
                url: format!("/articles/{}", h.slug),
                snippet: &h.snippet_html,
                tags: &h.tags,
                score: h.score,
            })
            .collect(),
    };
    Ok(private(Json(body).into_response()))
}

/// Search results name what a reader looked for: never store them in shared caches.
fn private(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}
