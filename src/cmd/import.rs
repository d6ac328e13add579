//! `zeroopposite import PATH…`: Markdown files or folders (recursive), Hugo and Zola `content/` folders,
//! and WordPress exports (`.xml`), one transaction per article.

mod site;
mod wxr;

use crate::app::{ImportOutcome, ImportReport, Source, import_source};
use crate::config::Overrides;
use crate::content::checks::Checker;
use crate::domain::Tag;
use crate::store::Store;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Markdown files or folders, a Hugo or Zola site (or its `content/` folder), or a WordPress export
    /// (`.xml`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Counts for the summary line.
#[derive(Debug, Default)]
struct Tally {
    created: u64,
    updated: u64,
    unchanged: u64,
    failed: u64,
}

impl Tally {
    fn count(&mut self, outcome: ImportOutcome) {
        match outcome {
            ImportOutcome::Created => self.created += 1,
            ImportOutcome::Updated => self.updated += 1,
            ImportOutcome::Unchanged => self.unchanged += 1,
        }
    }

    fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.failed
    }
}

/// One Markdown file to import, with what its place in a content folder says about it.
#[derive(Debug, Clone, Default)]
struct MdFile {
    path: PathBuf,
    slug: Option<String>,
    date: Option<OffsetDateTime>,
    tag: Option<Tag>,
}

/// What one run imports and with what.
struct Run<'a> {
    store: &'a Store,
    checker: Checker,
    known: HashSet<String>,
    now: OffsetDateTime,
    tally: Tally,
}

/// Imports everything under `args.paths`; fails (non-zero exit) if any file or article failed.
pub fn execute(global: &crate::cli::Global, args: ImportArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    let store = Store::open(&config.data_dir)?;
    let mut files = Vec::new();
    let mut exports = Vec::new();
    let mut sites = Vec::new();
    for p in &args.paths {
        if p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
            exports.push(p.clone());
        } else if let Some(root) = site::content_root(p) {
            let scan = site::scan(&root)?;
            files.extend(scan.files.iter().cloned());
            sites.push(scan);
        } else {
            let mut plain = Vec::new();
            collect(p, &mut plain)?;
            files.extend(plain.into_iter().map(|path| MdFile { path, ..MdFile::default() }));
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut known = store.slugs()?;
    known.extend(files.iter().filter_map(|f| f.slug.clone().or_else(|| stem(&f.path))));
    let mut run = Run {
        store: &store,
        checker: Checker::new(config.checks.clone()),
        known: known.into_iter().collect(),
        now: OffsetDateTime::now_utc(),
        tally: Tally::default(),
    };
    let parsed: Vec<_> = exports.iter().map(|p| (p, wxr::read(p))).collect();
    for (_, export) in &parsed {
        if let Ok((_, items)) = export {
            run.known.extend(items.iter().map(|i| i.article.slug.to_string()));
        }
    }
    run.markdown(&files);
    for scan in &sites {
        scan.report();
    }
    for (path, export) in parsed {
        run.wxr(path, export);
    }
    let t = &run.tally;
    let noun = if exports.is_empty() { "files" } else { "articles" };
    println!(
        "imported {} {noun}: {} created, {} updated, {} unchanged, {} failed",
        t.total(),
        t.created,
        t.updated,
        t.unchanged,
        t.failed
    );
    if t.failed > 0 {
        anyhow::bail!("{} of {} {noun} failed to import", t.failed, t.total());
    }
    Ok(())
}

impl Run<'_> {
    fn markdown(&mut self, files: &[MdFile]) {
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
                    import_source(self.store, &self.checker, &known, &source, &text, self.now).map_err(|e| {
                        match e {
                            crate::app::ImportError::Content(c) => {
                                format!("{shown}:{}: error: {}", c.line, c.message)
                            }
                            other => format!("{shown}: error: {other}"),
                        }
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
fn print_report(shown: &str, article: &str, report: &ImportReport) {
    for w in &report.warnings {
        eprintln!("{shown}:{}: warning: {}", w.line, w.message);
    }
    for f in &report.findings {
        eprintln!("{}", super::check::human(article, f));
    }
}

/// A progress bar (indicatif hides it by itself when stderr is not a terminal).
fn progress(len: usize) -> ProgressBar {
    ProgressBar::new(len as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)")
            .expect("the template is valid"),
    )
}

/// `1 post`, `2 posts`, `3 old addresses`.
fn plural(n: usize, word: &str) -> String {
    let suffix = if n == 1 {
        ""
    } else if word.ends_with("ss") {
        "es"
    } else {
        "s"
    };
    format!("{n} {word}{suffix}")
}

fn stem(path: &Path) -> Option<String> {
    path.file_stem()?.to_str().map(str::to_owned)
}

/// Adds `path` (a file) or every `.md`/`.markdown` file below it (a folder) to `out`.
pub(crate) fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if meta.is_file() {
        out.push(path.to_owned());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    for entry in entries {
        let p = entry?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if is_markdown(&p) {
            out.push(p);
        }
    }
    Ok(())
}

fn is_markdown(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}
