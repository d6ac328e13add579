//! Cross-cutting layers: the human error page, security headers, one log line per request, limits.

use super::AppState;
use super::error::ErrorPage;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Largest request body accepted anywhere (forms are far smaller).
pub const MAX_BODY: usize = 256 * 1024;

/// Longest request target (path and query) accepted; longer gets `414`.
pub const MAX_URI: usize = 32 * 1024;

/// Most header bytes accepted; more gets `431`.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Wraps `routes` in every layer.
pub fn apply(routes: Router<AppState>, app: AppState) -> Router<AppState> {
    // Innermost first: the body limit's 413 passes through the error-page layer on its way out.
    let body_timeout = std::time::Duration::from_secs(app.config().read_timeout_secs.get());
    routes
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(body_timeout))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(middleware::from_fn_with_state(app.clone(), whole_body_in_time))
        .layer(middleware::from_fn_with_state(app.clone(), super::redirects::old_addresses))
        .layer(middleware::from_fn(limit_uri))
        .layer(middleware::from_fn_with_state(app.clone(), error_pages))
        .layer(middleware::from_fn_with_state(app, security_headers))
        .layer(middleware::from_fn(log_request))
}

/// Reads a request's whole body within `read_timeout_secs` in all before any handler sees it. The
/// body layer's timeout bounds only the gap between chunks, so a client trickling a byte every few
/// seconds (a sign-in, an editor's save) would otherwise hold its connection and task for ever.
async fn whole_body_in_time(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let bodyless = matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    if bodyless {
        return next.run(req).await;
    }
    let deadline = std::time::Duration::from_secs(app.config().read_timeout_secs.get());
    let (parts, body) = req.into_parts();
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Err(e)) => super::contact::body_error(e).into_response(),
        Err(_) => super::error::Error::Timeout.into_response(),
    }
}

/// Replaces the empty body of an error response with the site's error page.
async fn error_pages(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let page = res.extensions_mut().remove::<ErrorPage>().or_else(|| generic_page(&res));
    if let Some(page) = page {
        let app2 = app.clone();
        let html = tokio::task::spawn_blocking(move || app2.error_page(page.heading, &page.message))
            .await
            .unwrap_or_else(|_| String::from("<!doctype html><title>Error</title><h1>Error</h1>"));
        let (mut parts, _) = res.into_parts();
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        parts.headers.remove(header::CONTENT_LENGTH);
        res = Response::from_parts(parts, Body::from(html));
    }
    res
}

/// Refuses over-long request targets and oversized headers before any routing or parsing.
async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI {
        return axum::http::StatusCode::URI_TOO_LONG.into_response();
    }
    let header_bytes: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if header_bytes > MAX_HEADER_BYTES {
        return axum::http::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE.into_response();
    }
    next.run(req).await
}

/// A page for error responses made outside our handlers (body limit, wrong method, extractor rejections).
fn generic_page(res: &Response) -> Option<ErrorPage> {
    let status = res.status();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_html {
        return None;
    }
    let (heading, message) = match status.as_u16() {
        413 => ("That was too much to send at once", "Please send less and try again."),
        414 => ("That address is too long", "Please check the address and try again."),
        431 => ("That request was too large", "Its headers were larger than this site accepts."),
        408 => ("That took too long", "The request arrived too slowly. Please try again."),
        405 => ("That action is not possible here", "This address does not accept that kind of request."),
        404 => ("Page not found", "There is no page at this address."),
        s if s < 500 => ("That request could not be understood", "Please check the address and try again."),
        _ => ("Something went wrong", "The page could not be shown because of a fault on our side."),
    };
    Some(ErrorPage { heading, message: message.to_owned() })
}

/// Headers every response carries: a strict CSP with no inline script or style, no sniffing, no referrer leak.
async fn security_headers(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    add_security_headers(res.headers_mut(), app.config().is_https());
    res
}

/// Adds the headers every response carries (also used by the cache-hit fast path, `http::fast`).
pub fn add_security_headers(h: &mut axum::http::HeaderMap, https: bool) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; \
             base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("interest-cohort=(), camera=(), microphone=(), geolocation=()"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
}

/// One line per request: method, path, status, time. Never the query (it may hold a reader's search),
/// never the client address.
async fn log_request(req: Request, next: Next) -> Response {
    if !tracing::enabled!(target: "zeroopposite::request", tracing::Level::INFO) {
        return next.run(req).await;
    }
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    tracing::info!(
        target: "zeroopposite::request",
        %method,
        path,
        status = res.status().as_u16(),
        micros = start.elapsed().as_micros() as u64,
        "request"
    );
    res
}
