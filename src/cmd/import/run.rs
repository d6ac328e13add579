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
    /// Imports Markdown files in batches of [`BATCH`] (parsed, checked and rendered on every
    /// core, written in one transaction with a savepoint per file), printing errors, warnings and
    /// findings in file order.
    pub fn markdown(&mut self, files: &[MdFile]) {
        let bar = progress(files.len());
        for chunk in files.chunks(BATCH) {
            let (mut items, mut read) = (Vec::with_capacity(chunk.len()), Vec::with_capacity(chunk.len()));
            let mut unread = Vec::new();
            for file in chunk {
                match std::fs::read_to_string(&file.path) {
                    Ok(text) => {
                        items.push((source(file), text));
                        read.push(file);
                    }
                    Err(e) => unread.push(format!("{}: error: cannot read: {e}", file.path.display())),
                }
            }
            for msg in unread {
                self.tally.failed += 1;
                bar.suspend(|| eprintln!("{msg}"));
                bar.inc(1);
            }
            let known = |s: &str| self.known.contains(s);
            let results = match self.site.import_sources(&known, &items) {
                Ok(r) => r,
                Err(e) => {
                    // The whole batch's transaction failed (the store went away): every file in it failed.
                    for (source, _) in &items {
                        self.tally.failed += 1;
                        bar.suspend(|| eprintln!("{}: error: {e}", source.name));
                        bar.inc(1);
                    }
                    continue;
                }
            };
            for (file, result) in read.into_iter().zip(results) {
                let shown = file.path.display().to_string();
                match result {
                    Ok(report) => {
                        bar.suspend(|| print_report(&shown, &shown, &report));
                        self.tally.count(report.outcome);
                    }
                    Err(e) => {
                        self.tally.failed += 1;
                        let msg = match e {
                            crate::app::ImportError::Content(c) => {
                                format!("{shown}:{}: error: {}", c.line, c.message)
                            }
                            other => format!("{shown}: error: {other}"),
                        };
                        bar.suspend(|| eprintln!("{msg}"));
                    }
                }
                bar.inc(1);
            }
        }
        bar.finish_and_clear();
    }
}

/// Files written per transaction: large enough that the disk flush per commit stops mattering,
/// small enough that a batch's articles stay a few megabytes in memory.
const BATCH: usize = 256;

/// The file name a source is known by.
fn name(file: &MdFile) -> &str {
    file.path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// What a file's place says about it.
fn source(file: &MdFile) -> Source<'_> {
    Source {
        name: name(file),
        fallback_slug: file.slug.as_deref(),
        fallback_date: file.date,
        extra_tag: file.tag.as_ref(),
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
