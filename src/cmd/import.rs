//! `zeroopposite import PATH…`: Markdown files or folders (recursive), one transaction per file.

use crate::app::{ImportOutcome, import_text};
use crate::config::Overrides;
use crate::content::checks::Checker;
use crate::store::Store;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders to import.
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

/// Imports every Markdown file under `args.paths`; fails (non-zero exit) if any file failed.
pub fn execute(global: &crate::cli::Global, args: ImportArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    let store = Store::open(&config.data_dir)?;
    let mut files = Vec::new();
    for p in &args.paths {
        collect(p, &mut files)?;
    }
    files.sort();
    // indicatif hides the bar by itself when stderr is not a terminal.
    let bar = ProgressBar::new(files.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)")
            .expect("the template is valid"),
    );
    let now = OffsetDateTime::now_utc();
    let checker = Checker::new(config.checks.clone());
    let mut known = store.slugs()?;
    known.extend(files.iter().filter_map(|f| f.file_stem()?.to_str().map(str::to_owned)));
    let is_known = |s: &str| known.contains(s);
    let mut tally = Tally::default();
    for file in &files {
        bar.set_message(file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let result = std::fs::read_to_string(file)
            .map_err(|e| format!("{}: error: cannot read: {e}", file.display()))
            .and_then(|text| {
                import_text(&store, &checker, &is_known, name, &text, now).map_err(|e| match e {
                    crate::app::ImportError::Content(c) => {
                        format!("{}:{}: error: {}", file.display(), c.line, c.message)
                    }
                    other => format!("{}: error: {other}", file.display()),
                })
            });
        match result {
            Ok(report) => {
                for w in &report.warnings {
                    bar.suspend(|| eprintln!("{}:{}: warning: {}", file.display(), w.line, w.message));
                }
                for f in &report.findings {
                    bar.suspend(|| eprintln!("{}", super::check::human(&file.display().to_string(), f)));
                }
                match report.outcome {
                    ImportOutcome::Created => tally.created += 1,
                    ImportOutcome::Updated => tally.updated += 1,
                    ImportOutcome::Unchanged => tally.unchanged += 1,
                }
            }
            Err(msg) => {
                tally.failed += 1;
                bar.suspend(|| eprintln!("{msg}"));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "imported {} files: {} created, {} updated, {} unchanged, {} failed",
        files.len(),
        tally.created,
        tally.updated,
        tally.unchanged,
        tally.failed
    );
    if tally.failed > 0 {
        anyhow::bail!("{} of {} files failed to import", tally.failed, files.len());
    }
    Ok(())
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
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "markdown")) {
            out.push(p);
        }
    }
    Ok(())
}
