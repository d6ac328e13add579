//! Turning WXR items into articles: status, dates, author, slug, tags, body, and the old addresses.

use super::markdown::{Options, to_markdown};
use super::{Export, Item, PostType, html, shortcodes, xml};
use crate::content::ContentError;
use crate::content::article_file::parse_date_time;
use crate::content::links::host_of;
use crate::domain::{Article, OldPath, Slug, Status, Tag, push_unique};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// One post or page, ready to import.
#[derive(Debug, Clone)]
pub struct ImportedItem {
    /// Line of its `<item>` in the file.
    pub line: usize,
    /// Post or page.
    pub post_type: PostType,
    /// The article.
    pub article: Article,
    /// Its old addresses (permalink, `/?p=ID`), kept as redirects. Empty unless it was published.
    pub old_paths: Vec<OldPath>,
    /// What the reader should hear about this item, with lines in the file.
    pub warnings: Vec<ContentError>,
    /// Images that still load from an absolute address (the old site's uploads).
    pub remote_images: usize,
}

impl Export {
    /// Every post and page as an article. Slugs are made unique within the file (a later item with a
    /// taken slug gets `-2`, with a warning), and links between the old posts point at the new addresses.
    pub fn articles(&self) -> Vec<ImportedItem> {
        let mut used = HashSet::new();
        let slugs: Vec<(Slug, Option<ContentError>)> =
            self.items.iter().map(|i| unique_slug(i, &mut used)).collect();
        // An explicit `wp:post_id` is the truth about `?p=ID`; a guid that claims another item's id
        // (a post copied from another, an edited export) loses to it.
        let mut by_id: HashMap<OldPath, usize> = HashMap::new();
        for (i, item) in self.items.iter().enumerate() {
            for p in self.id_paths(item) {
                by_id.entry(p).or_insert(i);
            }
        }
        let mut olds: Vec<(Vec<OldPath>, Vec<ContentError>)> = Vec::with_capacity(self.items.len());
        for (i, (item, (slug, _))) in self.items.iter().zip(&slugs).enumerate() {
            olds.push(self.old_paths(i, item, slug, &by_id));
        }
        let mut links: HashMap<OldPath, Slug> = HashMap::new();
        for ((paths, _), (slug, _)) in olds.iter().zip(&slugs) {
            for p in paths {
                links.entry(p.clone()).or_insert_with(|| slug.clone());
            }
        }
        let host = self.site.as_deref().and_then(host_of);
        let rewrite = |url: &str| -> Option<String> {
            let own = url.starts_with('/') && !url.starts_with("//")
                || host.as_deref().is_some_and(|h| host_of(url).is_some_and(|u| u == h));
            if !own {
                return None;
            }
            let path = OldPath::from_link(url)?;
            let (p, q) = match path.as_str().split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (path.as_str(), None),
            };
            OldPath::candidates(p, q).iter().find_map(|c| links.get(c)).map(|s| format!("/articles/{s}"))
        };
        self.items
            .iter()
            .zip(slugs)
            .zip(olds)
            .map(|((item, (slug, slug_warning)), (old_paths, path_warnings))| {
                let mut out = convert(item, slug, &rewrite);
                out.warnings.extend(slug_warning);
                out.warnings.extend(path_warnings);
                out.warnings.sort_by_key(|w| w.line);
                out.old_paths = old_paths;
                out
            })
            .collect()
    }

    /// `?p=ID` (and `?page_id=ID` for a page) under the blog's address, from `wp:post_id`.
    fn id_paths(&self, item: &Item) -> Vec<OldPath> {
        let Some(id) = item.id else { return Vec::new() };
        let base = self.site.as_deref().unwrap_or("").trim_end_matches('/');
        let mut links = vec![format!("{base}/?p={id}")];
        if item.post_type == PostType::Page {
            links.push(format!("{base}/?page_id={id}"));
        }
        links.iter().filter_map(|l| OldPath::from_link(l)).collect()
    }

    /// The addresses a published item was reachable at: its permalink, its guid when that is a
    /// `?p=` address (unless another item's `wp:post_id` claims it, which is reported), and its own
    /// `?p=ID`. A password-protected item keeps none: its old address must not lead to it.
    fn old_paths(
        &self,
        index: usize,
        item: &Item,
        slug: &Slug,
        by_id: &HashMap<OldPath, usize>,
    ) -> (Vec<OldPath>, Vec<ContentError>) {
        if item.status != "publish" || item.password {
            return (Vec::new(), Vec::new());
        }
        let mut warnings = Vec::new();
        let mut candidates: Vec<OldPath> = OldPath::from_link(&item.link).into_iter().collect();
        if (item.guid.contains("?p=") || item.guid.contains("?page_id="))
            && let Some(g) = OldPath::from_link(&item.guid)
        {
            match by_id.get(&g) {
                Some(&other) if other != index => warnings.push(ContentError::at(
                    item.line,
                    format!(
                        "the guid {} is the address of another item (line {}, whose wp:post_id says so); \
                         it redirects there, not here",
                        item.guid, self.items[other].line
                    ),
                )),
                _ => candidates.push(g),
            }
        }
        candidates.extend(self.id_paths(item));
        let ours = format!("/articles/{slug}");
        let mut out: Vec<OldPath> = Vec::new();
        for p in candidates {
            if p.as_str() != ours && !out.contains(&p) {
                out.push(p);
            }
        }
        (out, warnings)
    }
}

fn convert(item: &Item, slug: Slug, rewrite: &dyn Fn(&str) -> Option<String>) -> ImportedItem {
    let mut warnings = Vec::new();
    let mut warn = |line: usize, msg: String| warnings.push(ContentError::at(line, msg));
    let kind = if item.post_type == PostType::Page { "page" } else { "post" };
    // Titles may hold markup (`<em>`), which WordPress shows as formatting: keep its text.
    let mut title =
        html::Element { name: String::new(), attrs: Vec::new(), children: html::parse(item.title.trim()) }
            .text()
            .trim()
            .to_owned();
    if title.trim().is_empty() {
        title =
            format!("Untitled {kind} {}", item.id.map_or(String::new(), |i| i.to_string())).trim().to_owned();
        warn(item.line, format!("the {kind} has no title; it is imported as {title:?}"));
    }
    let date = wp_date(&item.date_gmt).or_else(|| wp_date(&item.date));
    let (status, published) = match item.status.as_str() {
        _ if item.password && item.status != "trash" => {
            warn(
                item.line,
                format!(
                    "the {kind} is password-protected on WordPress; it is imported as a draft, never public, \
                     and its old address is not redirected to it"
                ),
            );
            (Status::Draft, date)
        }
        "publish" => (Status::Published, date),
        "future" if date.is_some() => (Status::Scheduled, date),
        "draft" | "pending" | "future" => (Status::Draft, wp_date(&item.date_gmt)),
        "private" => {
            warn(item.line, format!("the private {kind} is imported as a draft"));
            (Status::Draft, date)
        }
        "trash" => (Status::Trashed, date),
        other => {
            warn(item.line, format!("the {kind} has status {other:?}, which is imported as a draft"));
            (Status::Draft, wp_date(&item.date_gmt))
        }
    };
    let updated = wp_date(&item.modified_gmt).filter(|m| published.is_none_or(|p| *m > p));
    let mut tags = Vec::new();
    for term in &item.terms {
        match term.domain.as_str() {
            "category"
                if term.nicename == "uncategorized" || term.name.eq_ignore_ascii_case("uncategorized") => {}
            "category" | "post_tag" => {
                match Tag::parse(&term.name).or_else(|e| Tag::parse(&term.nicename).map_err(|_| e)) {
                    Ok(t) => push_unique(&mut tags, t),
                    Err(e) => warn(
                        item.line,
                        format!("the {} {:?} is not imported: {e}", label(&term.domain), term.name),
                    ),
                }
            }
            "post_format" => {}
            other => warn(item.line, format!("the {other} term {:?} is not imported", term.name)),
        }
    }
    let mut lines = xml::Lines::new(&item.content);
    for sc in shortcodes::find(&item.content) {
        let line = item.content_line.max(item.line) + lines.at(sc.offset) - 1;
        let what = if sc.name.ends_with("caption") { "is turned into a figure" } else { "is left as text" };
        warn(line, format!("WordPress shortcode [{}] {what}", sc.name));
    }
    let body = shortcodes::captions_to_figures(&item.content);
    for (offset, block) in dynamic_blocks(&item.content) {
        let line = item.content_line.max(item.line) + lines.at(offset) - 1;
        warn(
            line,
            format!(
                "the block `{block}` is built by WordPress when the page is shown, so the export has nothing \
                 of it; it is not imported"
            ),
        );
    }
    let converted = to_markdown(
        &body,
        &Options { autop: !body.contains("<!-- wp:"), rewrite, footnotes: &item.footnotes },
    );
    for note in &converted.notes {
        warn(item.line, format!("{note} in the body"));
    }
    let excerpt =
        html::Element { name: String::new(), attrs: Vec::new(), children: html::parse(&item.excerpt) }.text();
    let article = Article {
        description: excerpt.split_whitespace().collect::<Vec<_>>().join(" "),
        body: converted.markdown,
        tags,
        author: Some(item.creator.clone()).filter(|a| !a.is_empty()),
        published,
        updated,
        ..Article::new(slug, title, status)
    };
    ImportedItem {
        line: item.line,
        post_type: item.post_type,
        article,
        old_paths: Vec::new(),
        warnings,
        remote_images: converted.remote_images,
    }
}

/// Self-closing block-editor comments (`<!-- wp:latest-posts {"postsToShow":3} /-->`) for blocks
/// that WordPress renders on the server: their offsets and names. The footnotes block (its notes are
/// in the post's meta), page breaks and "more" markers carry nothing to lose.
fn dynamic_blocks(content: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = content[from..].find("<!-- wp:") {
        let at = from + i;
        let Some(end) = content[at..].find("-->") else { break };
        let comment = &content[at + 8..at + end];
        from = at + end + 3;
        if !comment.trim_end().ends_with('/') {
            continue;
        }
        let name: String = comment
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_'))
            .collect();
        let name = name.trim_end_matches('/');
        if !name.is_empty() && !matches!(name, "footnotes" | "more" | "nextpage" | "separator" | "spacer") {
            out.push((at, format!("wp:{name}")));
        }
    }
    out
}

fn label(domain: &str) -> &str {
    if domain == "post_tag" { "tag" } else { "category" }
}

/// The item's slug: `wp:post_name` (percent-decoded), else one made from the title, else `post-ID`;
/// made unique within the file.
fn unique_slug(item: &Item, used: &mut HashSet<Slug>) -> (Slug, Option<ContentError>) {
    let name = percent_decode(&item.name);
    let kind = if item.post_type == PostType::Page { "page" } else { "post" };
    let title = html::decode_entities(&item.title);
    let base = Slug::parse(&name)
        .or_else(|_| Slug::from_text(&name))
        .or_else(|_| Slug::from_text(&title))
        .or_else(|_| Slug::parse(&format!("{kind}-{}", item.id.unwrap_or(item.line as u64))))
        .unwrap_or_else(|_| Slug::parse("untitled").expect("a fixed valid slug"));
    if used.insert(base.clone()) {
        return (base, None);
    }
    // Slugs are ASCII, so cutting by bytes is safe; the cut leaves room for the number.
    let stem = base.as_str()[..base.as_str().len().min(190)].trim_end_matches('-');
    for n in 2.. {
        let Ok(s) = Slug::parse(&format!("{stem}-{n}")) else { continue };
        if used.insert(s.clone()) {
            let w = ContentError::at(
                item.line,
                format!("the slug `{base}` is taken by an earlier item; this {kind} is imported as `{s}`"),
            );
            return (s, Some(w));
        }
    }
    unreachable!("some numbered slug is free")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A WordPress date (`2019-05-14 09:30:00`, taken as UTC); `None` for the `0000-00-00 00:00:00` of drafts.
fn wp_date(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000") {
        return None;
    }
    parse_date_time(s)
}
