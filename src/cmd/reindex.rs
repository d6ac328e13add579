//! `zeroopposite reindex`: rebuild the search index from the store, with a progress bar.
//!
//! Only one process may write the index. When a server owns it, the rebuild is asked of that server
//! through the change log instead, and it happens within a second.

use crate::app::search::Reindexed;
use clap::Args;
use indicatif::ProgressBar;

/// Arguments of `reindex` (none beyond the global ones).
#[derive(Debug, Args)]
pub struct ReindexArgs {}

/// Rebuilds the index (or asks the running server to).
pub fn execute(global: &super::Global, _args: ReindexArgs) -> anyhow::Result<()> {
    let site = super::open_site(global)?;
    let bar = ProgressBar::new(0);
    let outcome = site.reindex(&|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    match outcome {
        Reindexed::Done(n) => println!("reindexed {n} articles"),
        Reindexed::AskedServer => {
            println!("a running server owns the search index; it has been asked to rebuild it")
        }
    }
    Ok(())
}
