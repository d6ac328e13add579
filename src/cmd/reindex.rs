//! `zeroopposite reindex`: rebuild the search index from the store, with a progress bar.
//!
//! Only one process may write the index. When a server owns it, the rebuild is asked of that server
//! through the change log instead, and it happens within a second.

use crate::app::search::rebuild;
use crate::config::Overrides;
use crate::search::{SearchError, SearchIndex};
use crate::store::Store;
use anyhow::Context;
use clap::Args;
use indicatif::ProgressBar;
use time::OffsetDateTime;

/// Arguments of `reindex` (none beyond the global ones).
#[derive(Debug, Args)]
pub struct ReindexArgs {}

/// Rebuilds the index (or asks the running server to).
pub fn execute(global: &crate::cli::Global, _args: ReindexArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    let store = Store::open(&config.data_dir)?;
    let dir = config.data_dir.join("search");
    let (index, _) = SearchIndex::open(&dir).with_context(|| format!("cannot open {}", dir.display()))?;
    let now = OffsetDateTime::now_utc();
    let total = store.all_articles()?.iter().filter(|a| a.article.is_public(now)).count();
    let bar = ProgressBar::new(total as u64);
    // Probe the writer lock with an empty upsert before the real work.
    match index.upsert(&[]) {
        Err(SearchError::Locked) => {
            store.log_change("reindex")?;
            println!("a running server owns the search index; it has been asked to rebuild it");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    let n = rebuild(&store, &index, now, &|n| bar.set_position(n))?;
    bar.finish_and_clear();
    println!("reindexed {n} articles");
    Ok(())
}
