//! The cache-hit fast path: a `GET` for a page the cache holds is answered before routing and the
//! middleware stack, with the same headers the stack would add.
//!
//! Only exact cache keys are answered here (a path with no query, or `?page=N` on a listing), so
//! anything else (an old address to redirect, a tag in another spelling, an unknown page) misses
//! and takes the ordinary way. With request logging on, every request takes the ordinary way, so
//! each is logged once.

use super::{AppState, layers, respond};
use axum::body::Body;
use axum::http::{Method, Request, Response};

/// The cached response for `req`, if it is a `GET` of a cached page.
pub fn answer<B>(app: &AppState, req: &Request<B>) -> Option<Response<Body>> {
    if req.method() != Method::GET || tracing::enabled!(target: "zeroopposite::request", tracing::Level::INFO)
    {
        return None;
    }
    let page = app.cached_by_key(&cache_key(req.uri().path(), req.uri().query())?)?;
    let mut res = respond::cached(&page, req.headers());
    layers::add_security_headers(res.headers_mut(), app.config().is_https());
    Some(res)
}

/// The page-cache key a request for `path?query` would be cached under, when it can be one.
fn cache_key(path: &str, query: Option<&str>) -> Option<String> {
    let listing = path == "/" || (path.starts_with("/tags/") && path[6..].find('/').is_none());
    match (query, listing) {
        (None, true) => Some(format!("{path}?page=1")),
        (None, false) => Some(path.to_owned()),
        (Some(q), true) => {
            let n = q.strip_prefix("page=")?;
            // The handler's own parsing, so `?page=01` and `?page=0` take the ordinary way.
            (!n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()) && n.len() <= 7)
                .then(|| format!("{path}?page={n}"))
        }
        (Some(_), false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_page_keys_are_looked_up() {
        assert_eq!(cache_key("/", None).as_deref(), Some("/?page=1"));
        assert_eq!(cache_key("/", Some("page=3")).as_deref(), Some("/?page=3"));
        assert_eq!(cache_key("/", Some("p=101")), None, "an old WordPress address goes to the redirects");
        assert_eq!(cache_key("/", Some("page=03")), None);
        assert_eq!(cache_key("/articles/a", None).as_deref(), Some("/articles/a"));
        assert_eq!(cache_key("/articles/a", Some("utm=x")), None);
        assert_eq!(cache_key("/tags/healing", None).as_deref(), Some("/tags/healing?page=1"));
        assert_eq!(cache_key("/tags/healing/feed.atom", None).as_deref(), Some("/tags/healing/feed.atom"));
        assert_eq!(cache_key("/tags", None).as_deref(), Some("/tags"));
    }
}
