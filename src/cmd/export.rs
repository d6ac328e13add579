//! `zeroopposite export --markdown DIR`: every article as a Markdown file (importing them gives them back);
//! `export --static DIR`: the public site as files for any static host or CDN.

use crate::config::Overrides;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use std::path::PathBuf;

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write Markdown files with TOML front matter into this folder.
    #[arg(long, value_name = "DIR", required_unless_present = "static_dir", conflicts_with = "static_dir")]
    pub markdown: Option<PathBuf>,
    /// Write the public site as static files into this folder.
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,
    /// Where the exported Contact Us form posts (default: the base URL's /contact).
    #[arg(long, value_name = "URL")]
    pub contact_endpoint: Option<String>,
}

/// Writes one `SLUG.md` per article (every status) into the folder, or the static site.
pub fn execute(global: &super::Global, args: ExportArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    if let Some(dir) = args.static_dir {
        return export_static(config, &dir, args.contact_endpoint);
    }
    let dir = args.markdown.context("--markdown DIR is required")?;
    let site = crate::app::Site::open(config)?;
    let bar = ProgressBar::new(0);
    let n = site.export_markdown(&dir, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    println!("exported {n} articles to {}", dir.display());
    Ok(())
}

/// Writes the static site, with a progress bar on a terminal.
fn export_static(
    config: crate::config::Config,
    dir: &std::path::Path,
    endpoint: Option<String>,
) -> anyhow::Result<()> {
    let endpoint = endpoint.unwrap_or_else(|| format!("{}/contact", config.base_url));
    let app = crate::app::App::open(config)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let bar = ProgressBar::new(0);
    let report = app.export_static(dir, &endpoint, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    print!(
        "exported {} files ({} KB, and {} gzip and brotli copies) to {}",
        report.files,
        report.bytes / 1024,
        report.compressed,
        dir.display()
    );
    if report.unchanged > 0 {
        print!(
            "; {} of them were already there with the same bytes and were left as they were",
            report.unchanged
        );
    }
    println!();
    println!(
        "offline search index: {} files, {} KB, built in {:.2} s",
        report.index_files,
        report.index_bytes / 1024,
        report.index_build.as_secs_f64()
    );
    Ok(())
}
