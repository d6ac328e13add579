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
    if query_permalink {
        if let Some(r) = lookup(&app, &path, query.as_deref()).await {
            return r;
        }
        // `/?p=N` for a post that was never imported is a missing page, not the home page.
        if query.as_deref().is_some_and(is_wordpress_id_query) {
            return super::error::Error::NotFound.into_response();
        }
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::NOT_FOUND || query_permalink {
        return res;
    }
    lookup(&app, &path, query.as_deref()).await.unwrap_or(res)
}

/// Whether the query names a WordPress post, page or attachment by its id (`p=12`, `page_id=12`).
fn is_wordpress_id_query(query: &str) -> bool {
    query.split('&').any(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        matches!(k, "p" | "page_id" | "attachment_id")
            && !v.is_empty()
            && v.bytes().all(|b| b.is_ascii_digit())
    })
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

#[cfg(test)]
mod tests {
    use super::is_wordpress_id_query;

    #[test]
    fn only_numeric_wordpress_ids_are_old_post_addresses() {
        assert!(is_wordpress_id_query("p=568"));
        assert!(is_wordpress_id_query("utm_source=x&page_id=2"));
        assert!(!is_wordpress_id_query("utm_source=newsletter"));
        assert!(!is_wordpress_id_query("p=abc"));
    }
}
