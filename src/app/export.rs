//! Static export: every public page, tag page, feed, sitemap and asset written to a folder, with links
//! made relative so it works from any base path, plus a prebuilt offline search index.
//!
//! Feeds, sitemap, robots.txt and assets are the bytes the server sends; HTML pages differ only in
//! their links (relative file links instead of root-relative URLs).

use super::{App, AppError, FeedKind, Route, Site};
use crate::contact::form::{ContactForm, FieldErrors};
use crate::content::{markdown, writer};
use crate::domain::Tag;
use crate::render::{assets, compress, offline_index, relative, views};
use rayon::prelude::*;
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
    /// `.gz` and `.br` copies beside the text files (not counted in `files`).
    pub compressed: u64,
    /// Files of the offline search index.
    pub index_files: u64,
    /// Their bytes.
    pub index_bytes: u64,
    /// Time spent building the offline search index (not writing it).
    pub index_build: std::time::Duration,
}

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
        let public = self.store.recent_public(now, u64::MAX >> 1)?;
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

        let index_files = Mutex::new(Vec::new());
        let index_build = Mutex::new(std::time::Duration::ZERO);
        // The offline index builds on one core while pages render on the others; its files are
        // counted in the progress total once it is done.
        let extra = std::sync::atomic::AtomicU64::new(4);
        let report = Mutex::new(ExportReport::default());
        let write = |file: &str, bytes: &[u8]| -> Result<(), AppError> {
            let path = dir.join(file);
            // A re-export after one edit rewrites only what changed, so a sync to a host is small.
            let same = std::fs::read(&path).is_ok_and(|old| old == bytes);
            if !same && let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(&path, e))?;
            }
            // The copies first: an export stopped between them and the file rewrites both next time.
            let copies = compressed_copies(&path, file, bytes, same)?;
            if !same {
                std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
            }
            let mut r = report.lock().unwrap_or_else(|p| p.into_inner());
            r.compressed += copies;
            r.files += 1;
            r.bytes += bytes.len() as u64;
            r.unchanged += u64::from(same);
            progress(r.files, routes.len() as u64 + extra.load(std::sync::atomic::Ordering::Relaxed));
            Ok(())
        };
        let (_, pages) = rayon::join(
            || {
                let started = std::time::Instant::now();
                let files = Self::offline_index(&public);
                *index_build.lock().unwrap_or_else(|p| p.into_inner()) = started.elapsed();
                extra.fetch_add(files.len() as u64, std::sync::atomic::Ordering::Relaxed);
                *index_files.lock().unwrap_or_else(|p| p.into_inner()) = files;
            },
            // Pages render on every core: each is a few store reads and a template, independent of the others.
            || {
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
                })
            },
        );
        pages?;
        // Search: the tag index (useful without JavaScript) plus the offline script and its index.
        let (t, site) = (&self.templates, &self.site_view);
        let search = views::search_topics(t, site, &tags, true)?;
        write("search/index.html", relative::relativise(&search, "search/index.html").as_bytes())?;
        let index_files = index_files.into_inner().unwrap_or_else(|p| p.into_inner());
        for (file, bytes) in &index_files {
            write(file, bytes.as_bytes())?;
        }
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
        let mut report = report.into_inner().unwrap_or_else(|p| p.into_inner());
        report.index_files = index_files.len() as u64;
        report.index_bytes = index_files.iter().map(|f| f.1.len() as u64).sum();
        report.index_build = index_build.into_inner().unwrap_or_else(|p| p.into_inner());
        Ok(report)
    }

    /// The offline search index's files (see [`offline_index`]).
    fn offline_index(public: &[crate::store::StoredArticle]) -> Vec<offline_index::IndexFile> {
        let docs: Vec<offline_index::OfflineDoc> = public
            .iter()
            .map(|a| {
                let art = &a.article;
                offline_index::OfflineDoc {
                    slug: art.slug.to_string(),
                    title: art.title.clone(),
                    description: art.description.clone(),
                    tags: art.tags.iter().map(Tag::as_str).collect::<Vec<_>>().join(" "),
                    summary: format!(
                        "{} {} {}",
                        art.question.as_deref().unwrap_or(""),
                        art.answer.as_deref().unwrap_or(""),
                        art.description
                    ),
                    body: markdown::to_plain_text(&art.body),
                }
            })
            .collect();
        offline_index::build(&docs, "../", offline_index::SHARD_BYTES)
    }
}

/// Writes the compressed copies of a text file (`PATH.gz`, `PATH.br`: see [`compress::copies_for`])
/// for hosts that serve pre-compressed files, unless the file is `unchanged` and its copies are
/// there; returns how many copies it has.
fn compressed_copies(path: &Path, file: &str, bytes: &[u8], unchanged: bool) -> Result<u64, AppError> {
    if bytes.len() < compress::MIN_COMPRESS {
        return Ok(0);
    }
    let mut n = 0;
    for ext in compress::copies_for(file) {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{ext}"));
        let copy = std::path::PathBuf::from(name);
        if unchanged && copy.is_file() {
            n += 1;
            continue;
        }
        let encoded = if *ext == "gz" { compress::gzip(bytes) } else { compress::brotli(bytes) };
        if let Some(c) = encoded {
            std::fs::write(&copy, c).map_err(|e| io(&copy, e))?;
            n += 1;
        }
    }
    Ok(n)
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::Io(path.to_owned(), e)
}
