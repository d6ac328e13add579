//! `zeroopposite insights`: the top searches and the searches that found nothing, for editors.
//! Only queries made at least `insights_min_count` times are shown.

use super::report::escape_terminal;
use clap::Args;

/// Arguments of `insights`.
#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// How many days back to look (at most the retention period).
    #[arg(long, default_value_t = 30)]
    pub days: i64,
}

/// Prints the two top-20 lists.
pub fn execute(global: &super::Global, args: InsightsArgs) -> anyhow::Result<()> {
    let site = super::open_site(global)?;
    if !site.config().search.insights {
        println!("search insights are turned off ([search] insights = false)");
        return Ok(());
    }
    let found = site.insights(args.days, 20)?;
    println!("Top searches, last {} days (shown once searched at least {} times):", found.days, found.min);
    for q in &found.top {
        println!("  {:>6}  {}", q.count, escape_terminal(&q.query));
    }
    println!("\nSearches that found nothing:");
    for q in &found.zero {
        println!("  {:>6}  {}", q.zero, escape_terminal(&q.query));
    }
    Ok(())
}
