//! Static export: every public page, tag page, feed, sitemap and asset written to a folder, with links
//! made relative so it works from any base path, plus a prebuilt offline search index.
//!
//! Feeds, sitemap, robots.txt and assets are the bytes the server sends; HTML pages differ only in
//! their links (relative file links instead of root-relative URLs).

use super::{App, AppError, FeedKind, Route, Site};
use crate::contact::form::{ContactForm, FieldErrors};
use crate::content::{markdown, writer};
use crate::domain::Tag;
use crate::render::{assets, relative, views};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// What the export wrote.
#[derive(Debug, Default)]
pub struct ExportReport {
    /// Files in the export.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Of the files, those already there with the same bytes, left untouched.
    pub unchanged: u64,
}

/// Words shorter than this are not indexed for offline search.
const MIN_WORD: usize = 2;

impl Site {
    /// Writes every article (every status) as `SLUG.md` with TOML front matter into `dir`, so that
    /// importing the folder gives the same articles back. `progress(done, total)` per file.
    pub fn export_markdown(&self, dir: &Path, progress: &dyn Fn(u64, u64)) -> Result<u64, AppError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let articles = self.store.all_articles()?;
        let total = articles.len() as u64;
        for (i, stored) in articles.iter().enumerate() {
            let path = dir.join(format!("{}.md", stored.article.slug));
            std::fs::write(&path, writer::to_markdown_file(&stored.article)).map_err(|e| io(&path, e))?;
            progress(i as u64 + 1, total);
        }
        Ok(total)
    }
}

impl App {
    /// Writes the static site into `dir`; `contact_endpoint` is where the exported form posts
    /// (the live site's `/contact`). `progress(done, total)` is called per file.
    pub fn export_static(
        &self,
        dir: &Path,
        contact_endpoint: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<ExportReport, AppError> {
        let now = self.now();
        let per = self.config.page_size.get();
        let mut routes = Vec::new();
        let (_, total) = self.store.public_articles(now, 0, 1)?;
        for page in 1..=total.div_ceil(per).max(1) {
            routes.push(Route::Home { page });
        }
        let public = self.store.recent_public(now, None, u64::MAX >> 1)?;
        routes.extend(public.iter().map(|a| Route::Article(a.article.slug.clone())));
        routes.push(Route::Tags);
        let tags = self.store.tag_counts(now)?;
        for t in &tags {
            for page in 1..=t.count.div_ceil(per) {
                routes.push(Route::Tag { tag: t.tag.clone(), page });
            }
            for kind in [FeedKind::Atom, FeedKind::Rss, FeedKind::Json] {
                routes.push(Route::Feed { tag: Some(t.tag.clone()), kind });
            }
        }
        for kind in [FeedKind::Atom, FeedKind::Rss, FeedKind::Json] {
            routes.push(Route::Feed { tag: None, kind });
        }
        routes.extend([Route::Sitemap(None), Route::Robots, Route::OpenSearch]);
        routes.extend(assets::builtin_names().map(|n| Route::Static(n.to_owned())));

        let total_files = routes.len() as u64 + 5;
        let report = Mutex::new(ExportReport::default());
        let write = |file: &str, bytes: &[u8]| -> Result<(), AppError> {
            let path = dir.join(file);
            // A re-export after one edit rewrites only what changed, so a sync to a host is small.
            let same = std::fs::read(&path).is_ok_and(|old| old == bytes);
            if !same {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| io(&path, e))?;
                }
                std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
            }
            let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
            r.files += 1;
            r.bytes += bytes.len() as u64;
            r.unchanged += u64::from(same);
            progress(r.files, total_files);
            Ok(())
        };
        // Pages render on every core: each is a few store reads and a template, independent of the others.
        routes.par_iter().try_for_each(|route| -> Result<(), AppError> {
            let (content_type, body) = self.page_body(route)?;
            let key = route.key();
            let file = relative::file_for(&key).ok_or(AppError::NotFound)?;
            if content_type.starts_with("text/html") {
                let html = String::from_utf8_lossy(&body);
                write(&file, relative::relativise(&html, &file).as_bytes())
            } else {
                write(&file, &body)
            }
        })?;
        // Search: the tag index (useful without JavaScript) plus the offline script and its index.
        let (t, site) = (&self.templates, &self.site_view);
        let search = views::search_topics(t, site, &tags, true)?;
        write("search/index.html", relative::relativise(&search, "search/index.html").as_bytes())?;
        write("search-index.json", self.offline_index(&public)?.as_bytes())?;
        let form = ContactForm { kind: "question".into(), ..ContactForm::default() };
        let max = self.config.contact.max_message_chars;
        let contact = views::contact(t, site, &form, &FieldErrors::new(), "", max, Some(contact_endpoint))?;
        write("contact/index.html", relative::relativise(&contact, "contact/index.html").as_bytes())?;
        let thanks = views::thanks(t, site)?;
        write(
            "contact/thanks/index.html",
            relative::relativise(&thanks, "contact/thanks/index.html").as_bytes(),
        )?;
        let not_found = self.error_page("Page not found", "There is no page at this address.");
        write("404.html", relative::relativise(&not_found, "404.html").as_bytes())?;
        Ok(report.into_inner().unwrap_or_else(|p| p.into_inner()))
    }

    /// `{"root": "../", "docs": [[slug, title, description]], "terms": {word: [doc…]}}`: an inverted index
    /// of normalised words, small enough to fetch once.
    fn offline_index(&self, public: &[crate::store::StoredArticle]) -> Result<String, AppError> {
        let mut docs = Vec::with_capacity(public.len());
        let mut terms: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (i, a) in public.iter().enumerate() {
            let art = &a.article;
            docs.push((art.slug.to_string(), art.title.clone(), art.description.clone()));
            let text = format!(
                "{} {} {} {} {} {}",
                art.title,
                art.question.as_deref().unwrap_or(""),
                art.answer.as_deref().unwrap_or(""),
                art.description,
                art.tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(" "),
                markdown::to_plain_text(&art.body)
            );
            let mut seen = std::collections::HashSet::new();
            for w in words(&text) {
                if seen.insert(w.clone()) {
                    terms.entry(w).or_default().push(i as u32);
                }
            }
        }
        let json = serde_json::json!({ "root": "../", "docs": docs, "terms": terms });
        Ok(json.to_string())
    }
}

/// Lower-cased, accent-folded words, with hyphenated words also joined ("post-traumatic" → "posttraumatic").
fn words(text: &str) -> Vec<String> {
    let folded = crate::domain::fold::ascii_fold(text).to_lowercase();
    let mut out = Vec::new();
    for chunk in folded.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let parts: Vec<&str> = chunk.split('-').filter(|p| p.len() >= MIN_WORD).collect();
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        out.extend(parts.into_iter().map(str::to_owned));
    }
    out
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::Io(path.to_owned(), e)
}
