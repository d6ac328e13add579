//! One import run: what it imports with (the site, the slugs links may point at), its tally, and the
//! import of Markdown files with their report.

use super::super::report::{human, progress};
use crate::app::{ImportOutcome, ImportReport, Site, Source};
use crate::content::checks::Severity;
use crate::content::links::LinkMap;
use crate::domain::{OldPath, Slug, Tag};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Counts for the summary line.
#[derive(Debug, Default)]
pub struct Tally {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// Files that are not articles (headless bundles, layout pages): reported, not imported.
    pub skipped: u64,
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
    /// Its place in a Hugo or Zola site, if it is in one.
    pub site: Option<SitePlace>,
    /// What the run's plan decided (see [`super::plan`]).
    pub plan: Plan,
    /// Why it is not a page at all, when its place says so (a section cascades `build.render = never`).
    pub skip: Option<String>,
}

/// Where a file sits in a Hugo or Zola `content/` folder.
#[derive(Debug, Clone, Default)]
pub struct SitePlace {
    /// The folder its old address began with (`/posts`, `/fr/posts`).
    pub dir: String,
    /// The language its name or folder gives.
    pub language: Option<String>,
    /// Whether that language is not the site's default (a translation claims its slug last).
    pub translation: bool,
    /// Its path below `content/`, `/`-separated (Zola's `@/` links name it).
    pub file: String,
    /// What it shares with its translations (see [`crate::content::site::Place`]).
    pub translation_key: Option<String>,
}

/// Where an undated page's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFrom {
    /// The last commit that changed the file.
    Git,
    /// The file's modification time (not in a git work tree).
    FileTime,
}

/// What the whole run decided about one file before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Its slug, when the run gave it one other than its own (another file took that).
    pub slug: Option<Slug>,
    /// Its old addresses, to keep as redirects.
    pub old_paths: Vec<OldPath>,
    /// Why the file is refused (its slug is taken and cannot be qualified).
    pub refused: Option<String>,
    /// What the plan changed, for the report.
    pub notes: Vec<String>,
    /// Where its date came from when the file has none: its last git commit or its modification time.
    pub date_from: Option<DateFrom>,
    /// The key it shares with its translations, when other files of the run have it too.
    pub translation_key: Option<String>,
}

/// What one run imports and with what.
pub struct Run<'a> {
    /// The site imported into.
    pub site: &'a Site,
    /// Slugs that internal links may point at: the store's and those of the files being imported.
    pub known: HashSet<String>,
    /// What happened so far.
    pub tally: Tally,
    /// Where the moved-in pages went, for rewriting links between them.
    pub links: LinkMap,
    /// Print every editorial finding (`--findings`) instead of a count per rule at the end.
    pub show_findings: bool,
    /// Unknown front-matter keys not printed one by one: how many files, and the first place.
    pub unknown_keys: BTreeMap<String, (usize, String)>,
    /// Findings not printed, by severity and rule.
    pub finding_counts: BTreeMap<(Severity, &'static str), usize>,
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
                if let Some(why) = &file.skip {
                    self.tally.skipped += 1;
                    bar.suspend(|| println!("{}: skipped: {why}", file.path.display()));
                    bar.inc(1);
                    continue;
                }
                if let Some(why) = &file.plan.refused {
                    unread.push(format!("{}: error: {why}", file.path.display()));
                    continue;
                }
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
            let links = &self.links;
            let items: Vec<_> =
                items.into_iter().map(|(s, t)| (Source { links: Some(links), ..s }, t)).collect();
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
                for note in &file.plan.notes {
                    bar.suspend(|| eprintln!("{shown}: warning: {note}"));
                }
                match result {
                    Ok(report) => {
                        bar.suspend(|| self.print_report(&shown, &shown, &report));
                        self.tally.count(report.outcome);
                    }
                    Err(crate::app::ImportError::NotAPage(why)) => {
                        self.tally.skipped += 1;
                        bar.suspend(|| println!("{shown}: skipped: {why}"));
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
pub fn source(file: &MdFile) -> Source<'_> {
    Source {
        name: name(file),
        fallback_slug: file.slug.as_deref(),
        fallback_date: file.date,
        extra_tag: file.tag.as_ref(),
        slug: file.plan.slug.as_ref(),
        language: file.site.as_ref().and_then(|s| s.language.as_deref()),
        old_paths: &file.plan.old_paths,
        links: None,
        site_page: file.site.is_some(),
        translation_key: file.plan.translation_key.as_deref(),
    }
}

impl Run<'_> {
    /// Prints an import's warnings (at lines of `shown`) and, with `--findings`, its editorial
    /// findings (at lines of `article`); without it they are counted for [`Run::print_findings`].
    pub fn print_report(&mut self, shown: &str, article: &str, report: &ImportReport) {
        for w in &report.warnings {
            eprintln!("{shown}:{}: warning: {}", w.line, w.message);
        }
        // A key another tool's theme used means nothing here; one line per key, at the end.
        for (key, line) in &report.unknown_keys {
            let e = self.unknown_keys.entry(key.clone()).or_insert((0, String::new()));
            e.0 += 1;
            if e.1.is_empty() {
                e.1 = format!("{shown}:{line}");
            }
        }
        for f in &report.findings {
            if self.show_findings {
                eprintln!("{}", human(article, f));
            } else {
                *self.finding_counts.entry((f.severity, f.rule.id())).or_insert(0) += 1;
            }
        }
    }

    /// Front-matter keys that mean nothing here, once each with how many files had them.
    pub fn print_unknown_keys(&self) {
        if self.unknown_keys.is_empty() {
            return;
        }
        let list: Vec<String> = self
            .unknown_keys
            .iter()
            .map(|(k, (n, first))| format!("`{k}` ({n}, first at {first})"))
            .collect();
        eprintln!("warning: front-matter keys ignored (they mean nothing here): {}", list.join(", "));
    }

    /// After the import's own problems: how many editorial findings of each rule the imported
    /// articles have (they are kept with them; `--findings` or `zeroopposite check --all` lists each).
    pub fn print_findings(&self) {
        if self.finding_counts.is_empty() {
            return;
        }
        let total: usize = self.finding_counts.values().sum();
        eprintln!(
            "editorial findings: {total}, kept with the articles (`import --findings` prints each, \
             `zeroopposite check --all` lists them):"
        );
        for ((severity, rule), n) in &self.finding_counts {
            eprintln!("  {n:>6}  {}[{rule}]", severity.as_str());
        }
    }
}

/// A file's stem, as a slug candidate.
pub fn stem(path: &Path) -> Option<String> {
    path.file_stem()?.to_str().map(str::to_owned)
}
