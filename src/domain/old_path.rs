//! `OldPath`: an address from a site we moved in from (`/2019/05/my-post`, `/?p=123`), kept so that old
//! links answer `301` to the article's new address.

use std::fmt;

/// Longest old address we keep; WordPress permalinks are far shorter.
pub const MAX_LEN: usize = 2000;

/// Most query parameters tried one by one when matching a request (`/?p=1&utm_source=x` matches `/?p=1`).
const MAX_PARAMS: usize = 8;

/// A normalised old address: path (no trailing slash, except `/` itself) plus the query, if any.
///
/// The same normalisation is applied when an export is imported and when a request arrives, so
/// `/2019/05/my-post/` and `/2019/05/my-post` are one address. `/` without a query is never an old
/// address: it is our home page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OldPath(String);

impl OldPath {
    /// The old address of a link as the export wrote it: an absolute URL (`https://example.org/a/?p=1`),
    /// or a path. The scheme, host and fragment are dropped.
    pub fn from_link(link: &str) -> Option<OldPath> {
        let link = link.trim();
        let rest = match link.find("://") {
            Some(i) if link[..i].chars().all(|c| c.is_ascii_alphanumeric() || c == '+') => &link[i + 3..],
            _ if link.starts_with("//") => &link[2..],
            _ if link.starts_with('/') => return Self::from_parts_of(link),
            _ => return None,
        };
        let path_start = rest.find(['/', '?']).unwrap_or(rest.len());
        let after_host = &rest[path_start..];
        if after_host.starts_with('?') {
            return Self::from_parts_of(&format!("/{after_host}"));
        }
        Self::from_parts_of(after_host)
    }

    /// Splits `path?query#fragment` and normalises it.
    fn from_parts_of(s: &str) -> Option<OldPath> {
        let s = s.split('#').next().unwrap_or("");
        let (path, query) = match s.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (s, None),
        };
        Self::new(path, query)
    }

    /// Builds the address from a path and an optional query (without `?`).
    pub fn new(path: &str, query: Option<&str>) -> Option<OldPath> {
        if !path.starts_with('/') {
            return None;
        }
        let trimmed = path.trim_end_matches('/');
        let path = if trimmed.is_empty() { "/" } else { trimmed };
        let query = query.filter(|q| !q.is_empty());
        let s = match query {
            Some(q) => format!("{path}?{q}"),
            None if path == "/" => return None,
            None => path.to_owned(),
        };
        let bad = s.len() > MAX_LEN || s.chars().any(|c| c.is_whitespace() || c.is_control());
        (!bad).then(|| OldPath(escape(&s)))
    }

    /// The addresses a request for `path?query` may have been stored under, most specific first:
    /// the whole address, then the path with each single query parameter, then the bare path.
    pub fn candidates(path: &str, query: Option<&str>) -> Vec<OldPath> {
        let mut out: Vec<OldPath> = Vec::new();
        let mut push = |p: Option<OldPath>| {
            if let Some(p) = p.filter(|p| !out.contains(p)) {
                out.push(p);
            }
        };
        push(Self::new(path, query));
        if let Some(q) = query {
            for pair in q.split('&').filter(|p| !p.is_empty()).take(MAX_PARAMS) {
                push(Self::new(path, Some(pair)));
            }
            push(Self::new(path, None));
        }
        out
    }

    /// The address as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads back a stored address (already normalised); `None` if it is not one.
    pub fn from_stored(s: &str) -> Option<OldPath> {
        Self::from_parts_of(s).filter(|p| p.0 == s)
    }
}

/// One spelling per address: non-ASCII characters percent-encoded as UTF-8 (as a browser sends them) and
/// the hex digits of escapes in upper case (`%c3%a9` and `é` are both `%C3%A9`).
fn escape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' && i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() {
            out.push('%');
            out.push(char::from(b[i + 1].to_ascii_uppercase()));
            out.push(char::from(b[i + 2].to_ascii_uppercase()));
            i += 3;
            continue;
        }
        if c.is_ascii() {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
        i += 1;
    }
    out
}

impl AsRef<str> for OldPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(s: &str) -> Option<String> {
        OldPath::from_link(s).map(|p| p.0)
    }

    #[test]
    fn a_permalink_keeps_its_path_without_the_trailing_slash() {
        assert_eq!(link("https://example.org/2019/05/my-post/").as_deref(), Some("/2019/05/my-post"));
        assert_eq!(link("/2019/05/my-post").as_deref(), Some("/2019/05/my-post"));
        assert_eq!(link("http://example.org:8080/blog/a/#comments").as_deref(), Some("/blog/a"));
    }

    #[test]
    fn a_query_permalink_keeps_its_query() {
        assert_eq!(link("https://example.org/?p=123").as_deref(), Some("/?p=123"));
        assert_eq!(link("https://example.org?page_id=7").as_deref(), Some("/?page_id=7"));
    }

    #[test]
    fn the_home_page_and_junk_are_not_old_addresses() {
        for bad in ["https://example.org/", "https://example.org", "/", "", "mailto:a@b.c", "a b", "/a b"] {
            assert_eq!(link(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_request_matches_by_whole_query_then_by_one_parameter_then_by_path() {
        let c: Vec<String> =
            OldPath::candidates("/", Some("p=12&utm_source=x")).into_iter().map(|p| p.0).collect();
        assert_eq!(c, ["/?p=12&utm_source=x", "/?p=12", "/?utm_source=x"]);
        let c: Vec<String> = OldPath::candidates("/2019/a/", None).into_iter().map(|p| p.0).collect();
        assert_eq!(c, ["/2019/a"]);
        let c: Vec<String> = OldPath::candidates("/2019/a/", Some("x=1")).into_iter().map(|p| p.0).collect();
        assert_eq!(c, ["/2019/a?x=1", "/2019/a"]);
    }

    #[test]
    fn escapes_have_one_spelling() {
        assert_eq!(link("https://example.org/2019/caf%c3%a9/").as_deref(), Some("/2019/caf%C3%A9"));
        assert_eq!(link("https://example.org/2019/café/").as_deref(), Some("/2019/caf%C3%A9"));
    }

    #[test]
    fn a_stored_address_reads_back_only_when_normalised() {
        assert!(OldPath::from_stored("/?p=1").is_some());
        assert!(OldPath::from_stored("/a/").is_none());
    }
}
