//! Static assets (CSS, logo, favicon): built in, overridable by the theme's `static/` folder.

use super::CachedPage;
use std::path::Path;

const BUILTIN: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("admin.css", include_bytes!("../../static/admin.css")),
    ("logo.svg", include_bytes!("../../static/logo.svg")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
];

/// Names of the built-in assets (the static export copies them all).
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// Content type by file extension; unknown types are served as bytes.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// True for a plain file name: no folders, no `..`, no hidden files. Anything else is refused
/// before any file system access, so `/static/../zeroopposite.db` cannot escape.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        && !name.contains("..")
}

/// Loads asset `name`: the theme's file if present, else the built-in one.
pub fn load(theme_dir: Option<&Path>, name: &str) -> Option<CachedPage> {
    if !is_safe_name(name) {
        return None;
    }
    let from_theme = theme_dir.and_then(|d| std::fs::read(d.join("static").join(name)).ok());
    let body = from_theme.or_else(|| BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, b)| b.to_vec()))?;
    Some(CachedPage::new(200, content_type(name), "public, max-age=86400", body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_names_are_refused() {
        for bad in ["../zeroopposite.db", "..", ".env", "a/b.css", "%2e%2e", ""] {
            assert!(!is_safe_name(bad), "{bad}");
        }
        assert!(is_safe_name("style.css"));
    }
}
