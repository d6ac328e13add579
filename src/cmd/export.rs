//! `zeroopposite export --markdown DIR`: every article as a Markdown file; importing them gives them back.

use crate::config::Overrides;
use crate::content::writer::to_markdown_file;
use crate::store::Store;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use std::path::PathBuf;

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write Markdown files with TOML front matter into this folder.
    #[arg(long, value_name = "DIR", required = true)]
    pub markdown: Option<PathBuf>,
}

/// Writes one `SLUG.md` per article (every status) into the folder.
pub fn execute(global: &crate::cli::Global, args: ExportArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    let store = Store::open(&config.data_dir)?;
    let dir = args.markdown.context("--markdown DIR is required")?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let articles = store.all_articles()?;
    let bar = ProgressBar::new(articles.len() as u64);
    for stored in &articles {
        let path = dir.join(format!("{}.md", stored.article.slug));
        std::fs::write(&path, to_markdown_file(&stored.article))
            .with_context(|| format!("cannot write {}", path.display()))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("exported {} articles to {}", articles.len(), dir.display());
    Ok(())
}
