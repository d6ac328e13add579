//! Importing Markdown articles: parse, check and render (on every core when there are many), then
//! save, one transaction per article or one per batch with a savepoint per article.

use super::{AppError, Site};
use crate::content::checks::Finding;
use crate::content::links::LinkMap;
use crate::content::wxr::ImportedItem;
use crate::content::{self, ContentError, editorial, markdown, writer};
use crate::domain::{OldPath, Slug, Status, Tag, push_unique};
use crate::store::{ArticleWrite, SaveOutcome, StoreError};
use std::path::Path;
use time::OffsetDateTime;

/// Result of importing one file.
#[derive(Debug)]
pub struct ImportReport {
    /// The article's slug.
    pub slug: String,
    /// Created, updated or unchanged.
    pub outcome: ImportOutcome,
    /// Non-fatal problems, with lines.
    pub warnings: Vec<ContentError>,
    /// Front-matter keys that mean nothing here, with their lines (ignored).
    pub unknown_keys: Vec<(String, usize)>,
    /// Editorial findings for the file (it is imported regardless).
    pub findings: Vec<Finding>,
}

/// What importing a file did.
pub type ImportOutcome = SaveOutcome;

/// Why one file could not be imported; the store is unchanged for it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a valid article.
    #[error("{0}")]
    Content(#[from] ContentError),
    /// The store refused it.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The file is not an article at all (a headless bundle, a page never rendered, a theme's
    /// layout page): nothing is imported, and the reason is reported.
    #[error("{0}")]
    NotAPage(String),
}

/// An article ready to be written: parsed, checked and rendered.
struct Prepared {
    article: crate::domain::Article,
    warnings: Vec<ContentError>,
    unknown_keys: Vec<(String, usize)>,
    findings: Vec<Finding>,
    findings_json: String,
    html: String,
    old_paths: Vec<OldPath>,
}

impl Prepared {
    /// What the store writes; `name` (the file) is the revision's note.
    fn write<'a>(&'a self, name: &'a str) -> ArticleWrite<'a> {
        ArticleWrite {
            article: &self.article,
            body_html: &self.html,
            renderer_version: markdown::RENDERER_VERSION,
            who: "import",
            note: name,
            findings_json: Some(&self.findings_json),
            old_paths: &self.old_paths,
        }
    }

    fn report(self, outcome: SaveOutcome) -> ImportReport {
        ImportReport {
            slug: self.article.slug.to_string(),
            outcome,
            warnings: self.warnings,
            unknown_keys: self.unknown_keys,
            findings: self.findings,
        }
    }
}

/// Where an article's text came from, and what its place says about it (a Hugo or Zola content folder).
#[derive(Debug, Clone, Copy, Default)]
pub struct Source<'a> {
    /// The slug the import run gave it (a slug another file of the run took makes this one
    /// section-qualified), which wins over the front matter's.
    pub slug: Option<&'a Slug>,
    /// The language its place gives (`x.fr.md`, `content/fr/`), used when the front matter has none.
    pub language: Option<&'a str>,
    /// Its old addresses, kept as redirects in the same transaction as the article.
    pub old_paths: &'a [OldPath],
    /// Where the other pages of the site went, to rewrite links to their old addresses.
    pub links: Option<&'a LinkMap>,
    /// A page of a Hugo or Zola site: front matter and a title may be missing, as those tools allow.
    pub site_page: bool,
    /// The key it shares with its translations, used when the front matter has none.
    pub translation_key: Option<&'a str>,
    /// The file name (its stem is the slug when neither the front matter nor `fallback_slug` gives one).
    pub name: &'a str,
    /// The slug the path gives (a page bundle's folder), used when the front matter has none.
    pub fallback_slug: Option<&'a str>,
    /// The date the path gives (`2019-05-14-my-post.md`), used when the front matter has none.
    pub fallback_date: Option<OffsetDateTime>,
    /// A tag the path gives (a topical section), added to the article's own.
    pub extra_tag: Option<&'a Tag>,
}

impl Source<'_> {
    /// The slug to use when the front matter has none: the path's (a bundle's folder), else the
    /// file's stem (never `index`).
    pub fn fallback(&self) -> Option<&str> {
        let stem = Path::new(self.name).file_stem().and_then(|s| s.to_str());
        self.fallback_slug.or(stem.filter(|s| *s != "index" && *s != "_index"))
    }
}

impl Site {
    /// Imports the article in `text`; `name` is the file name (its stem is the slug when the front
    /// matter has none). The editorial findings are computed, kept with the article and returned;
    /// `known_slugs` says which internal-link targets exist.
    pub fn import_text(
        &self,
        known_slugs: &dyn Fn(&str) -> bool,
        name: &str,
        text: &str,
    ) -> Result<ImportReport, ImportError> {
        self.import_source(known_slugs, &Source { name, ..Source::default() }, text)
    }

    /// Imports the article in `text` from `source`, in its own transaction (with a revision and a
    /// change-log entry). Shortcodes (Hugo's and Zola's) are reported as warnings with their lines
    /// and left in the text.
    pub fn import_source(
        &self,
        known_slugs: &dyn Fn(&str) -> bool,
        source: &Source<'_>,
        text: &str,
    ) -> Result<ImportReport, ImportError> {
        let now = self.now();
        let p = self.prepare(known_slugs, source, text, now)?;
        let outcome = self.store.save_articles(&[p.write(source.name)], now)?.remove(0)?;
        Ok(p.report(outcome))
    }

    /// Imports many articles at once: each is parsed, checked and rendered on every core, then all
    /// are saved in one write transaction with one durable commit, each in a savepoint of its own
    /// (see [`crate::store::Store::save_articles`]). One result per input, in order; a file that
    /// fails leaves the store as it was for that file only.
    pub fn import_sources(
        &self,
        known_slugs: &(dyn Fn(&str) -> bool + Sync),
        items: &[(Source<'_>, String)],
    ) -> Result<Vec<Result<ImportReport, ImportError>>, AppError> {
        use rayon::prelude::*;
        let now = self.now();
        let prepared: Vec<Result<Prepared, ImportError>> =
            items.par_iter().map(|(source, text)| self.prepare(known_slugs, source, text, now)).collect();
        let ready: Vec<(usize, &Prepared)> =
            prepared.iter().enumerate().filter_map(|(i, p)| p.as_ref().ok().map(|p| (i, p))).collect();
        let writes: Vec<_> = ready.iter().map(|(i, p)| p.write(items[*i].0.name)).collect();
        let mut saved = self.store.save_articles(&writes, now)?.into_iter();
        Ok(prepared
            .into_iter()
            .map(|p| {
                let p = p?;
                let outcome = saved.next().expect("one save result per prepared article")?;
                Ok(p.report(outcome))
            })
            .collect())
    }

    /// Parses, checks and renders one article: everything an import does but the write.
    fn prepare(
        &self,
        known_slugs: &(dyn Fn(&str) -> bool + '_),
        source: &Source<'_>,
        text: &str,
        now: OffsetDateTime,
    ) -> Result<Prepared, ImportError> {
        let mut parsed = content::parse_page(text, source.fallback(), source.site_page, now)?;
        if let Some(reason) = parsed.not_a_page.take() {
            return Err(ImportError::NotAPage(reason));
        }
        let a = &mut parsed.article;
        if let Some(slug) = source.slug {
            a.slug = slug.clone();
        }
        if a.language.is_none() {
            a.language = source.language.map(str::to_owned);
        }
        if a.translation_key.is_none() {
            a.translation_key = source.translation_key.map(str::to_owned);
        }
        if let (None, Some(date)) = (a.published, source.fallback_date) {
            a.published = Some(date);
            if a.status == Status::Published && date > now {
                a.status = Status::Scheduled;
            }
        }
        if let Some(tag) = source.extra_tag {
            push_unique(&mut a.tags, tag.clone());
        }
        for sc in content::shortcodes::find(&a.body) {
            parsed.warnings.push(ContentError::at(
                parsed.body_first_line + sc.line - 1,
                format!("shortcode `{}` has no equivalent here; it is left as text to rewrite", sc.shown),
            ));
        }
        let own = parsed.article.slug.as_str().to_owned();
        let known = |s: &str| s == own || known_slugs(s);
        for (line, image) in content::links::local_images(&parsed.article.body) {
            parsed.warnings.push(ContentError::at(
                parsed.body_first_line + line - 1,
                format!(
                    "the image {image} is a file of the old site, which is not copied here; it will not show"
                ),
            ));
        }
        // Findings are at the file's lines, so they are found before the body is rewritten.
        let findings = editorial::check_source(&self.checker, text, &parsed, &known, now.date());
        let a = &mut parsed.article;
        if let Some(links) = source.links {
            let (body, unresolved) = links.rewrite(&a.body);
            if let std::borrow::Cow::Owned(b) = body {
                a.body = b;
            }
            for link in unresolved {
                parsed.warnings.push(ContentError::at(
                    parsed.body_first_line,
                    format!("the link {link} points at a file that was not imported; it is left as written"),
                ));
            }
        }
        if let std::borrow::Cow::Owned(b) = content::shortcodes::unescape(&a.body) {
            a.body = b;
        }
        let html = markdown::to_html(&parsed.article.body);
        let findings_json =
            serde_json::to_string(&findings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let own = format!("/articles/{}", parsed.article.slug);
        let old_paths = source.old_paths.iter().filter(|p| p.as_str() != own).cloned().collect();
        Ok(Prepared {
            article: parsed.article,
            warnings: parsed.warnings,
            unknown_keys: parsed.unknown_keys,
            findings,
            findings_json,
            html,
            old_paths,
        })
    }

    /// Imports one post or page of a WordPress export: the article (written as Markdown with front
    /// matter and imported like a file, so the same checks run), then its old addresses as
    /// redirects. `file` names the export, for revisions and redirects. Returns the report and the
    /// number of redirects kept.
    pub fn import_wxr_item(
        &self,
        known_slugs: &dyn Fn(&str) -> bool,
        file: &str,
        item: &ImportedItem,
    ) -> Result<(ImportReport, usize), ImportError> {
        let text = writer::to_markdown_file(&item.article);
        let name = format!("{}.md", item.article.slug);
        let mut report =
            self.import_source(known_slugs, &Source { name: &name, ..Source::default() }, &text)?;
        // The article was written from the item, so its front matter has nothing to warn about; what
        // matters is what the conversion said, at the item's lines in the export.
        report.warnings = item.warnings.clone();
        let redirects = self.store.save_redirects(&item.article.slug, &item.old_paths, file, self.now())?;
        Ok((report, redirects))
    }

    /// Every slug in the store, whatever the status (for internal-link checks).
    pub fn slugs(&self) -> Result<std::collections::HashSet<String>, AppError> {
        Ok(self.store.slugs()?)
    }
}
