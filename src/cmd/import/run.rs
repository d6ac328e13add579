//! One import run: what it imports with (the site, the slugs links may point at), its tally, and the
//! import of Markdown files with their report.

use super::super::report::{human, progress};
use crate::app::{ImportOutcome, ImportReport, Site, Source};
use crate::domain::Tag;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Counts for the summary line.
#[derive(Debug, Default)]
pub struct Tally {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
}

impl Tally {
    pub fn count(&mut self, outcome: ImportOutcome) {
        match outcome {
            ImportOutcome::Created => self.created += 1,
            ImportOutcome::Updated => self.updated += 1,
            ImportOutcome::Unchanged => self.unchanged += 1,
        }
    }

    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.failed
    }
}

/// One Markdown file to import, with what its place in a content folder says about it.
#[derive(Debug, Clone, Default)]
pub struct MdFile {
    /// The file.
    pub path: PathBuf,
    /// The slug its place gives (a page bundle's folder).
    pub slug: Option<String>,
    /// The date its name gives.
    pub date: Option<OffsetDateTime>,
    /// The tag its section gives.
    pub tag: Option<Tag>,
}

/// What one run imports and with what.
pub struct Run<'a> {
    /// The site imported into.
    pub site: &'a Site,
    /// Slugs that internal links may point at: the store's and those of the files being imported.
    pub known: HashSet<String>,
    /// What happened so far.
    pub tally: Tally,
}

impl Run<'_> {
    /// Imports Markdown files, each in its own transaction, printing errors, warnings and findings.
    pub fn markdown(&mut self, files: &[MdFile]) {
        let bar = progress(files.len());
        for file in files {
            let shown = file.path.display();
            bar.set_message(
                file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            );
            let name = file.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let source = Source {
                name,
                fallback_slug: file.slug.as_deref(),
                fallback_date: file.date,
                extra_tag: file.tag.as_ref(),
            };
            let known = |s: &str| self.known.contains(s);
            let result = std::fs::read_to_string(&file.path)
                .map_err(|e| format!("{shown}: error: cannot read: {e}"))
                .and_then(|text| {
                    self.site.import_source(&known, &source, &text).map_err(|e| match e {
                        crate::app::ImportError::Content(c) => {
                            format!("{shown}:{}: error: {}", c.line, c.message)
                        }
                        other => format!("{shown}: error: {other}"),
                    })
                });
            match result {
                Ok(report) => {
                    bar.suspend(|| print_report(&shown.to_string(), &shown.to_string(), &report));
                    self.tally.count(report.outcome);
                }
                Err(msg) => {
                    self.tally.failed += 1;
                    bar.suspend(|| eprintln!("{msg}"));
                }
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
}

/// Prints an import's warnings (at lines of `shown`) and editorial findings (at lines of `article`).
pub fn print_report(shown: &str, article: &str, report: &ImportReport) {
    for w in &report.warnings {
        eprintln!("{shown}:{}: warning: {}", w.line, w.message);
    }
    for f in &report.findings {
        eprintln!("{}", human(article, f));
    }
}

/// A file's stem, as a slug candidate.
pub fn stem(path: &Path) -> Option<String> {
    path.file_stem()?.to_str().map(str::to_owned)
}
