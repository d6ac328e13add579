//! `zeroopposite insights`: the top searches and the searches that found nothing, for editors.
//! Only queries made at least `insights_min_count` times are shown.

use crate::config::Overrides;
use crate::store::Store;
use clap::Args;
use time::OffsetDateTime;

/// Arguments of `insights`.
#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// How many days back to look (at most the retention period).
    #[arg(long, default_value_t = 30)]
    pub days: i64,
}

/// Prints the two top-20 lists.
pub fn execute(global: &crate::cli::Global, args: InsightsArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, Overrides::default())?;
    if !config.search.insights {
        println!("search insights are turned off ([search] insights = false)");
        return Ok(());
    }
    let store = Store::open(&config.data_dir)?;
    let days = args.days.clamp(1, config.search.insights_retention_days.max(1));
    let since = (OffsetDateTime::now_utc().date() - time::Duration::days(days - 1)).to_string();
    let min = config.search.insights_min_count.max(1);
    println!("Top searches, last {days} days (shown once searched at least {min} times):");
    for q in store.top_searches(&since, min, false, 20)? {
        println!("  {:>6}  {}", q.count, super::messages::escape_terminal(&q.query));
    }
    println!("\nSearches that found nothing:");
    for q in store.top_searches(&since, min, true, 20)? {
        println!("  {:>6}  {}", q.zero, super::messages::escape_terminal(&q.query));
    }
    Ok(())
}
