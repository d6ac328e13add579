//! Sending a cached page: content negotiation (br, gzip), strong ETag and `304 Not Modified`.

use crate::render::CachedPage;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

/// Builds the response for `page` given the request headers.
pub fn cached(page: &CachedPage, req: &HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&page.etag).expect("an ETag is quoted hex");
    let mut b = Response::builder()
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, page.cache_control)
        .header(header::VARY, "accept-encoding");
    if page.status == 200 && etag_matches(req, &page.etag) {
        return b.status(StatusCode::NOT_MODIFIED).body(Body::empty()).expect("static headers are valid");
    }
    let accept = req.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    let body = if let Some(br) = page.br.as_ref().filter(|_| accepts(accept, "br")) {
        b = b.header(header::CONTENT_ENCODING, "br");
        br.clone()
    } else if let Some(gz) = page.gzip.as_ref().filter(|_| accepts(accept, "gzip")) {
        b = b.header(header::CONTENT_ENCODING, "gzip");
        gz.clone()
    } else {
        page.identity.clone()
    };
    b.status(page.status)
        .header(header::CONTENT_TYPE, page.content_type)
        .body(Body::from(body))
        .expect("static headers are valid")
}

/// `If-None-Match` holds our ETag (or `*`).
fn etag_matches(req: &HeaderMap, etag: &str) -> bool {
    req.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').map(str::trim).any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag))
    })
}

/// Whether `Accept-Encoding` allows `coding` (q=0 refuses it).
fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let q_zero = it.any(|p| {
            let p = p.trim();
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        name.eq_ignore_ascii_case(coding) && !q_zero
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_zero_refuses_a_coding() {
        assert!(accepts("gzip, br", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
    }
}
