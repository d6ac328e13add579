//! `/search` (a page in the site's layout) and `/api/search` (JSON). Any query string is acceptable:
//! nothing a reader types can produce an error page.

use super::{AppState, Error};
use crate::app::search::MAX_QUERY_CHARS;
use crate::search::{SearchRequest, SearchResults};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Most pages a search can be paged to (deeper pages are never useful and cost more).
const MAX_PAGE: usize = 100;

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
    let req = params.request(app.config.search.per_page)?;
    if req.text.trim().is_empty() && req.tag.is_none() {
        let a = app.clone();
        let tags = tokio::task::spawn_blocking(move || a.store.tag_counts(OffsetDateTime::now_utc()))
            .await?
            .map_err(crate::app::AppError::from)?;
        let html = render(&app, context! { site => &app.site, query => "", tags })?;
        return Ok(private(Html(html).into_response()));
    }
    let results = app.search(&req, OffsetDateTime::now_utc())?;
    let shown_query: String = req.text.chars().take(MAX_QUERY_CHARS).collect();
    // An inexact total is a lower bound that reaches past this page: there is a next page, but
    // how many follow is not known.
    let pages = results.total.div_ceil(req.per_page.max(1)).max(1);
    let more = !results.total_exact;
    let link = |p: usize| {
        let mut s = format!("/search?q={}", urlencode(&shown_query));
        if let Some(t) = &req.tag {
            s.push_str(&format!("&tag={}", urlencode(t)));
        }
        if p > 1 {
            s.push_str(&format!("&page={p}"));
        }
        s
    };
    let pager = context! {
        number => req.page, count => (!more).then_some(pages),
        prev => (req.page > 1).then(|| link(req.page - 1)),
        next => ((more || req.page < pages) && req.page < MAX_PAGE).then(|| link(req.page + 1)),
    };
    let suggestion_link = results.suggestion.as_ref().map(|s| {
        let mut l = format!("/search?q={}", urlencode(s));
        if let Some(t) = &req.tag {
            l.push_str(&format!("&tag={}", urlencode(t)));
        }
        l
    });
    let html = render(
        &app,
        context! {
            site => &app.site, query => shown_query, tag => req.tag,
            max_chars => MAX_QUERY_CHARS, pager, suggestion_link,
            took_ms => format!("{:.1}", results.took.as_secs_f64() * 1000.0),
            results => crate::render::search_view::results_value(results),
        },
    )?;
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
    let req = params.request(app.config.search.per_page)?;
    let results: SearchResults = app.search(&req, OffsetDateTime::now_utc())?;
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

fn render(app: &AppState, ctx: minijinja::Value) -> Result<String, Error> {
    app.templates.render("search.html", ctx).map_err(|e| Error::Internal(e.to_string()))
}

/// Search results name what a reader looked for: never store them in shared caches.
fn private(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
