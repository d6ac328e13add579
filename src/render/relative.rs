//! Rewriting a page's root-relative links (`/articles/x`) into file links relative to where the page
//! lives in a static export (`../../articles/x/index.html`), so the export works from any base path,
//! a CDN or a plain folder opened from disk.

/// The export file for a site path (`/articles/x` → `articles/x/index.html`), or None for paths
/// the export does not contain (so their links are left to the live site).
pub fn file_for(path_and_query: &str) -> Option<String> {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let page = query.split('&').find_map(|kv| kv.strip_prefix("page=")).and_then(|n| n.parse::<u64>().ok());
    let page_suffix = |base: &str| match page {
        Some(n) if n > 1 => format!("{base}page/{n}/index.html"),
        _ => format!("{base}index.html"),
    };
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        return Some(page_suffix(""));
    }
    let segments: Vec<&str> = trimmed.split('/').collect();
    match segments.as_slice() {
        ["static", name] => Some(format!("static/{name}")),
        [file] if file.contains('.') => Some((*file).to_owned()),
        ["tags", tag, file] if file.contains('.') => Some(format!("tags/{tag}/{file}")),
        ["articles", slug] => Some(format!("articles/{slug}/index.html")),
        ["tags"] => Some("tags/index.html".to_owned()),
        ["tags", tag] => Some(page_suffix(&format!("tags/{tag}/"))),
        ["search"] => Some("search/index.html".to_owned()),
        ["contact"] => Some("contact/index.html".to_owned()),
        ["contact", "thanks"] => Some("contact/thanks/index.html".to_owned()),
        _ => None,
    }
}

/// Rewrites `href`, `src` and `action` attributes of `html` (a page written to `own_file`) whose value
/// starts with one `/`. minijinja escapes `/` as `&#x2f;`, so both spellings are understood.
pub fn relativise(html: &str, own_file: &str) -> String {
    let depth = own_file.matches('/').count();
    let prefix = "../".repeat(depth);
    let mut out = String::with_capacity(html.len() + html.len() / 20);
    let mut rest = html;
    while let Some(pos) = find_attr(rest) {
        let (before, after) = rest.split_at(pos.value_start);
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let raw = &after[..end];
        let value = raw.replace("&#x2f;", "/").replace("&amp;", "&");
        match (value.starts_with('/') && !value.starts_with("//")).then(|| file_for(&value)).flatten() {
            Some(file) => {
                let fragment = value.split_once('#').map(|(_, f)| format!("#{f}")).unwrap_or_default();
                out.push_str(&format!("{prefix}{file}{fragment}").replace('&', "&amp;"));
            }
            None => out.push_str(raw),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

struct AttrPos {
    value_start: usize,
}

fn find_attr(s: &str) -> Option<AttrPos> {
    ["href=\"", "src=\"", "action=\""]
        .iter()
        .filter_map(|a| s.find(a).map(|i| AttrPos { value_start: i + a.len() }))
        .min_by_key(|p| p.value_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_map_to_export_files() {
        assert_eq!(file_for("/").unwrap(), "index.html");
        assert_eq!(file_for("/?page=2").unwrap(), "page/2/index.html");
        assert_eq!(file_for("/articles/a-b").unwrap(), "articles/a-b/index.html");
        assert_eq!(file_for("/tags/healing?page=3").unwrap(), "tags/healing/page/3/index.html");
        assert_eq!(file_for("/tags/healing/feed.atom").unwrap(), "tags/healing/feed.atom");
        assert_eq!(file_for("/static/style.css").unwrap(), "static/style.css");
        assert_eq!(file_for("/feed.json").unwrap(), "feed.json");
        assert!(file_for("/admin/login").is_none());
    }

    #[test]
    fn links_become_relative_to_the_page() {
        let html = r##"<a href="&#x2f;articles&#x2f;x">x</a><img src="/static/logo.svg"><a href="https://e.org/">e</a><a href="#top">t</a>"##;
        let out = relativise(html, "tags/healing/index.html");
        assert_eq!(
            out,
            r##"<a href="../../articles/x/index.html">x</a><img src="../../static/logo.svg"><a href="https://e.org/">e</a><a href="#top">t</a>"##
        );
        assert_eq!(relativise(r#"<a href="/">h</a>"#, "index.html"), r#"<a href="index.html">h</a>"#);
    }
}
