//! Links inside a Markdown body that point at a moved-in site's old addresses (`/posts/x/`, an
//! alias, Zola's `@/posts/x.md`): rewritten to the articles they became, so a reader never takes a
//! redirect (or a dead link) from one of our own pages to another.

use crate::domain::{OldPath, Slug};
use std::borrow::Cow;
use std::collections::HashMap;

/// Where the pages of the site being moved in went.
#[derive(Debug, Clone, Default)]
pub struct LinkMap {
    /// Old address (`/posts/x`, an alias) → the article.
    pub by_path: HashMap<OldPath, Slug>,
    /// File below `content/` (`posts/x.md`, `posts/x/index.md`) → the article, for Zola's `@/` links.
    pub by_file: HashMap<String, Slug>,
    /// The old site's host (from `baseURL` / `base_url`): absolute links to it are its own.
    pub host: Option<String>,
}

impl LinkMap {
    /// The new address for a link destination, if it points at one of the moved pages. The
    /// `#fragment` is kept.
    pub fn target(&self, dest: &str) -> Option<String> {
        let (url, fragment) = match dest.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (dest, None),
        };
        let slug = if let Some(file) = url.strip_prefix("@/") {
            self.by_file.get(file)?
        } else {
            let own = (url.starts_with('/') && !url.starts_with("//"))
                || self.host.as_deref().is_some_and(|h| host_of(url).is_some_and(|u| u == h));
            if !own {
                return None;
            }
            self.by_path.get(&OldPath::from_link(url)?)?
        };
        Some(match fragment {
            Some(f) => format!("/articles/{slug}#{f}"),
            None => format!("/articles/{slug}"),
        })
    }

    /// `body` with every link and image destination that [`LinkMap::target`] knows replaced, and
    /// the `@/` links it does not know listed (they are broken: the file was not imported).
    pub fn rewrite<'a>(&self, body: &'a str) -> (Cow<'a, str>, Vec<String>) {
        let mut unresolved = Vec::new();
        let out = rewrite_destinations(body, |dest| {
            let found = self.target(dest);
            if found.is_none() && dest.starts_with("@/") {
                unresolved.push(dest.to_owned());
            }
            found
        });
        (out, unresolved)
    }
}

/// Replaces the destinations of inline links and images (`](dest)`, `](<dest> "title")`) and of
/// reference definitions (`[x]: dest`) for which `f` gives a new one. Code spans and fenced code are
/// left alone.
pub fn rewrite_destinations<'a>(body: &'a str, mut f: impl FnMut(&str) -> Option<String>) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut in_fence = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut spans: Vec<(usize, usize)> = Vec::new();
        // A reference definition: `[label]: dest`.
        if t.starts_with('[')
            && let Some(close) = t.find("]:")
        {
            let after = &t[close + 2..];
            let lead = after.len() - after.trim_start().len();
            let d = after.trim_start();
            let len = d.find(char::is_whitespace).unwrap_or(d.len());
            let at = start + (line.len() - t.len()) + close + 2 + lead;
            spans.push((at, at + len));
        }
        let mut in_code = false;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'`' => in_code = !in_code,
                b']' if !in_code && bytes.get(i + 1) == Some(&b'(') => {
                    let rest = &line[i + 2..];
                    let (skip, len) = if let Some(r) = rest.strip_prefix('<') {
                        (1, r.find('>').unwrap_or(r.len()))
                    } else {
                        (0, rest.find(|c: char| c.is_whitespace() || c == ')').unwrap_or(rest.len()))
                    };
                    let at = start + i + 2 + skip;
                    spans.push((at, at + len));
                    i += 2 + skip + len;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        for (a, b) in spans {
            if let Some(new) = f(&body[a..b]) {
                out.push_str(&body[copied..a]);
                out.push_str(&new);
                copied = b;
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(body);
    }
    out.push_str(&body[copied..]);
    Cow::Owned(out)
}

/// Images in `body` that point at files of the old site (a page bundle's `cover.jpg`, a static
/// `/images/x.png`) rather than at a web address: their 1-based lines and destinations. Nothing copies
/// them yet, so an import names each one.
pub fn local_images(body: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(body, super::markdown::OPTIONS)
        .into_offset_iter()
        .filter_map(|(e, range)| match e {
            Event::Start(Tag::Image { dest_url, .. }) => {
                let d = dest_url.trim();
                let remote = d.contains("://") || d.starts_with("//") || d.starts_with("data:");
                (!remote && !d.is_empty() && !d.starts_with("/media/"))
                    .then(|| (1 + body[..range.start].matches('\n').count(), d.to_owned()))
            }
            _ => None,
        })
        .collect()
}

/// The lower-case host of an absolute URL.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).or_else(|| url.strip_prefix("//"))?;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> LinkMap {
        let slug = |s: &str| Slug::parse(s).unwrap();
        let mut m = LinkMap { host: Some("old.example.org".into()), ..LinkMap::default() };
        m.by_path.insert(OldPath::from_link("/posts/grounding/").unwrap(), slug("grounding"));
        m.by_path.insert(OldPath::from_link("/old-name").unwrap(), slug("grounding"));
        m.by_file.insert("blog/repair.md".into(), slug("repair"));
        m
    }

    #[test]
    fn old_addresses_aliases_and_zola_file_links_are_rewritten() {
        let body = "See [this](/posts/grounding/#steps), [that](https://old.example.org/old-name/ \"t\"), \
                    [repair](@/blog/repair.md) and [gone](@/blog/gone.md).\n\n[ref]: /posts/grounding\n";
        let (out, unresolved) = map().rewrite(body);
        assert_eq!(
            out,
            "See [this](/articles/grounding#steps), [that](/articles/grounding \"t\"), \
             [repair](/articles/repair) and [gone](@/blog/gone.md).\n\n[ref]: /articles/grounding\n"
        );
        assert_eq!(unresolved, ["@/blog/gone.md"]);
    }

    #[test]
    fn images_of_the_old_site_are_found_with_their_lines() {
        let body =
            "Intro\n\n![Cover](cover.jpg)\n\n![Remote](https://cdn.example/x.png) ![Static](/images/a.png)\n";
        assert_eq!(local_images(body), [(3, "cover.jpg".to_owned()), (5, "/images/a.png".to_owned())]);
    }

    #[test]
    fn code_other_sites_and_unknown_paths_are_left_alone() {
        let body = "`[x](/posts/grounding/)`\n```\n[x](/posts/grounding/)\n```\n[a](https://else.example/posts/grounding/) [b](/posts/other/)\n";
        assert!(matches!(map().rewrite(body).0, Cow::Borrowed(_)));
    }
}
