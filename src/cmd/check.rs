//! `zeroopposite check [PATH…] | --all`: editorial checks of files or of the whole store.

use super::report::human;
use crate::app::Site;
use crate::config::Overrides;
use crate::content::checks::{Checker, Finding, Severity};
use crate::content::{editorial, parse_article, writer};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::io::Write;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Markdown files or folders to check.
    #[arg(value_name = "PATH", required_unless_present = "all")]
    pub paths: Vec<std::path::PathBuf>,
    /// Check every article in the store (named by --data) instead of files.
    #[arg(long, conflicts_with = "paths")]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Treat warnings as errors for the exit code (`--deny warnings`).
    #[arg(long, value_name = "LEVEL")]
    pub deny: Option<Deny>,
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: severity[rule]: message`, then the offending text.
    Human,
    /// A JSON array of findings.
    Json,
}

/// What else fails the run.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Deny {
    /// Warnings count as errors.
    Warnings,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    excerpt: &'a str,
    suggestion: Option<&'a str>,
}

/// Checks and prints; fails when an error (or, with `--deny warnings`, a warning) was found.
pub fn execute(global: &super::Global, args: CheckArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    let problems = config.checks.problems();
    if !problems.is_empty() {
        anyhow::bail!("the [checks] configuration is invalid: {}", problems.join("; "));
    }
    let checker = Checker::new(config.checks.clone());
    let now = crate::app::Clock::now(&crate::app::SystemClock);
    // (path label, source text)
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut known = std::collections::HashSet::new();
    // Links may point at articles in the store; checking files never creates one.
    if args.all || Site::exists(&config) {
        let site = Site::open(config.clone())?;
        known.extend(site.slugs()?);
        if args.all {
            for a in site.all_articles()? {
                sources.push((format!("store:{}", a.article.slug), writer::to_markdown_file(&a.article)));
            }
        }
    }
    let mut failed = 0;
    if !args.all {
        let mut files = Vec::new();
        for p in &args.paths {
            super::files::collect(p, &mut files)?;
        }
        files.sort();
        for f in &files {
            match std::fs::read_to_string(f) {
                Ok(text) => {
                    known.extend(f.file_stem().and_then(|s| s.to_str()).map(str::to_owned));
                    sources.push((f.display().to_string(), text));
                }
                Err(e) => {
                    eprintln!("{}: error: cannot read: {e}", f.display());
                    failed += 1;
                }
            }
        }
    }
    let is_known = |s: &str| known.contains(s);
    let mut all: Vec<(String, Finding)> = Vec::new();
    for (path, text) in &sources {
        let stem = std::path::Path::new(path).file_stem().and_then(|s| s.to_str());
        match parse_article(text, stem, now) {
            Ok(parsed) => {
                for f in editorial::check_source(&checker, text, &parsed, &is_known, now.date()) {
                    all.push((path.clone(), f));
                }
            }
            Err(e) => {
                eprintln!("{path}:{}: error: {}", e.line, e.message);
                failed += 1;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Human => {
            for (path, f) in &all {
                writeln!(out, "{}", human(path, f))?;
            }
        }
        OutputFormat::Json => {
            let items: Vec<JsonFinding<'_>> = all
                .iter()
                .map(|(path, f)| JsonFinding {
                    path,
                    line: f.line,
                    column: f.column,
                    rule: f.rule.id(),
                    severity: f.severity,
                    message: &f.message,
                    excerpt: &f.excerpt,
                    suggestion: f.suggestion.as_deref(),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
    }
    let errors = all.iter().filter(|(_, f)| f.severity == Severity::Error).count();
    let warnings = all.iter().filter(|(_, f)| f.severity == Severity::Warning).count();
    eprintln!("checked {} articles: {errors} errors, {warnings} warnings", sources.len());
    let deny_warn = matches!(args.deny, Some(Deny::Warnings));
    if failed > 0 || errors > 0 || (deny_warn && warnings > 0) {
        anyhow::bail!("editorial checks failed");
    }
    Ok(())
}
