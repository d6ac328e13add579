//! `301` for the old addresses of an imported site. Runs inside the error-page layer: a request that
//! our routes answer with 404 is looked up among the kept addresses, and WordPress's query permalinks
//! (`/?p=123`), which our home page would otherwise answer, are looked up before routing.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The layer function.
pub async fn old_addresses(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let query_permalink =
        path == "/" && query.as_deref().is_some_and(|q| q.split('&').any(|p| !p.starts_with("page=")));
    if query_permalink && let Some(r) = lookup(&app, &path, query.as_deref()).await {
        return r;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::NOT_FOUND || query_permalink {
        return res;
    }
    lookup(&app, &path, query.as_deref()).await.unwrap_or(res)
}

/// The `301` for `path?query`, if an address is kept for it. A failed lookup is logged and answered as
/// if there were none: the reader still gets the page (or the 404) they would have had.
async fn lookup(app: &AppState, path: &str, query: Option<&str>) -> Option<Response> {
    let (app, p, q) = (app.clone(), path.to_owned(), query.map(str::to_owned));
    let found = tokio::task::spawn_blocking(move || app.moved_to(&p, q.as_deref())).await;
    let slug = match found {
        Ok(Ok(slug)) => slug?,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "old address lookup failed");
            return None;
        }
        Err(e) => {
            tracing::warn!(error = %e, "old address lookup panicked");
            return None;
        }
    };
    let location = HeaderValue::from_str(&format!("/articles/{slug}")).expect("a slug is URL-safe");
    let mut res = StatusCode::MOVED_PERMANENTLY.into_response();
    res.headers_mut().insert(header::LOCATION, location);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Some(res)
}
