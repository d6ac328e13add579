//! The hot path: rendered pages kept in memory with gzip and brotli bodies and a strong ETag.
//!
//! Pages are rendered on first request and kept until content changes; a change drops the pages it
//! can have changed (see `app::watch`).

use super::compress::{MIN_COMPRESS, brotli, compressible, gzip};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// A response body ready to send, in every encoding we offer.
#[derive(Debug)]
pub struct CachedPage {
    /// HTTP status (200 for pages; 404 pages are rendered but not cached).
    pub status: u16,
    /// `Content-Type` value.
    pub content_type: &'static str,
    /// `Cache-Control` value.
    pub cache_control: &'static str,
    /// Uncompressed body.
    pub identity: Bytes,
    /// gzip body, if smaller.
    pub gzip: Option<Bytes>,
    /// brotli body, if smaller.
    pub br: Option<Bytes>,
    /// Strong ETag (quoted), a hash of the uncompressed body.
    pub etag: String,
}

impl CachedPage {
    /// Compresses `body` once, up front, so serving is a memory copy.
    pub fn new(
        status: u16,
        content_type: &'static str,
        cache_control: &'static str,
        body: Vec<u8>,
    ) -> CachedPage {
        let digest = Sha256::digest(&body);
        let etag = format!("\"{}\"", hex(&digest[..12]));
        let (gzip, br) = if body.len() >= MIN_COMPRESS && compressible(content_type) {
            (gzip(&body), brotli(&body))
        } else {
            (None, None)
        };
        CachedPage {
            status,
            content_type,
            cache_control,
            gzip: gzip.filter(|g| g.len() < body.len()).map(Bytes::from),
            br: br.filter(|b| b.len() < body.len()).map(Bytes::from),
            identity: Bytes::from(body),
            etag,
        }
    }

    /// Memory held by this page's bodies.
    pub fn weight(&self) -> usize {
        self.identity.len()
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + self.br.as_ref().map_or(0, Bytes::len)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Rendered pages by request key (path plus normalised query). Bounded by total bytes.
pub struct PageCache {
    inner: RwLock<Inner>,
    max_bytes: usize,
}

#[derive(Default)]
struct Inner {
    pages: HashMap<String, Arc<CachedPage>>,
    bytes: usize,
    /// For an article's slug, the keys of cached pages that show it besides its own and the
    /// listings (the article pages that list it as related).
    shown_on: HashMap<String, Vec<String>>,
}

impl PageCache {
    /// A cache that holds at most `max_bytes` of bodies; past that it starts again empty.
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache { inner: RwLock::new(Inner::default()), max_bytes }
    }

    /// The cached page for `key`.
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).pages.get(key).cloned()
    }

    /// Stores `page` under `key` and returns it shared.
    pub fn insert(&self, key: String, page: CachedPage) -> Arc<CachedPage> {
        self.insert_showing(key, page, &[])
    }

    /// Stores `page` under `key`, noting that it shows the articles `shows` (so a change to one of
    /// them drops it), and returns it shared.
    pub fn insert_showing(&self, key: String, page: CachedPage, shows: &[String]) -> Arc<CachedPage> {
        let page = Arc::new(page);
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        if inner.bytes + page.weight() > self.max_bytes {
            inner.pages.clear();
            inner.shown_on.clear();
            inner.bytes = 0;
        }
        for slug in shows {
            inner.shown_on.entry(slug.clone()).or_default().push(key.clone());
        }
        inner.bytes += page.weight();
        if let Some(old) = inner.pages.insert(key, page.clone()) {
            inner.bytes -= old.weight();
        }
        page
    }

    /// Drops every page (content changed in a way that can touch any page).
    pub fn clear(&self) {
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        inner.pages.clear();
        inner.shown_on.clear();
        inner.bytes = 0;
    }

    /// Drops what a change to the article `slug` can change: its own page, every listing (home
    /// pages, tag pages, the tag index, feeds, sitemaps) and the pages that show it (as related).
    /// Other articles' pages, static assets, robots.txt and the OpenSearch description stay.
    pub fn invalidate_article(&self, slug: &str) {
        let own = format!("/articles/{slug}");
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        let mut drop: Vec<String> = inner.shown_on.remove(slug).unwrap_or_default();
        drop.push(own);
        drop.extend(inner.pages.keys().filter(|k| is_listing(k)).cloned());
        for key in drop {
            if let Some(old) = inner.pages.remove(&key) {
                inner.bytes -= old.weight();
            }
        }
    }

    /// Number of cached pages.
    pub fn len(&self) -> usize {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).pages.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether the page at `key` lists articles (and so changes when any article does).
fn is_listing(key: &str) -> bool {
    !(key.starts_with("/articles/")
        || key.starts_with("/static/")
        || key == "/robots.txt"
        || key == "/opensearch.xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_gets_smaller_compressed_bodies_and_a_stable_etag() {
        let body = "hello world ".repeat(100).into_bytes();
        let a = CachedPage::new(200, "text/html; charset=utf-8", "no-cache", body.clone());
        let b = CachedPage::new(200, "text/html; charset=utf-8", "no-cache", body);
        assert!(a.gzip.as_ref().unwrap().len() < a.identity.len());
        assert!(a.br.as_ref().unwrap().len() < a.identity.len());
        assert_eq!(a.etag, b.etag);
    }

    #[test]
    fn an_article_change_drops_its_page_the_listings_and_the_pages_showing_it_only() {
        let cache = PageCache::new(1 << 20);
        let page =
            |b: &str| CachedPage::new(200, "text/html; charset=utf-8", "no-cache", b.as_bytes().to_vec());
        const KEYS: [&str; 9] = [
            "/articles/a",
            "/articles/b",
            "/articles/c",
            "/?page=1",
            "/tags/x?page=1",
            "/feed.atom",
            "/sitemap.xml",
            "/static/style.css",
            "/robots.txt",
        ];
        for key in KEYS.into_iter().filter(|k| *k != "/articles/b") {
            cache.insert(key.to_owned(), page(key));
        }
        cache.insert_showing("/articles/b".to_owned(), page("b"), &["a".to_owned()]);
        cache.invalidate_article("a");
        let kept: Vec<&str> = KEYS.into_iter().filter(|k| cache.get(k).is_some()).collect();
        assert_eq!(kept, ["/articles/c", "/static/style.css", "/robots.txt"]);
    }

    #[test]
    fn different_bodies_have_different_etags() {
        let a = CachedPage::new(200, "text/plain", "no-cache", b"a".to_vec());
        let b = CachedPage::new(200, "text/plain", "no-cache", b"b".to_vec());
        assert_ne!(a.etag, b.etag);
    }

    #[test]
    fn the_cache_starts_again_when_full() {
        let cache = PageCache::new(1500);
        cache.insert("a".into(), CachedPage::new(200, "text/plain", "", vec![b'x'; 1000]));
        cache.insert("b".into(), CachedPage::new(200, "text/plain", "", vec![b'y'; 1000]));
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_some());
    }
}
