//! `zeroopposite migrate --from sqlite:DIR --to postgres://…`: copy a whole site (articles,
//! revisions, messages, accounts, sessions, redirects, insights, the change log) into an empty
//! database, verify every table's count, and report them. Either side may be SQLite or PostgreSQL.

use crate::app::migrate::migrate;
use crate::store::Location;
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The site to copy: `sqlite:DIR` (a data dir) or `postgres://…`.
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// Where to copy it: an empty database, `postgres://…` or `sqlite:DIR`.
    #[arg(long, value_name = "URL")]
    pub to: String,
}

/// Copies the site and prints each table's row count.
pub fn execute(_global: &super::Global, args: MigrateArgs) -> anyhow::Result<()> {
    let from = Location::parse(&args.from).context("--from")?;
    let to = Location::parse(&args.to).context("--to")?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} copying {msg}").expect("a valid template"));
    let done = migrate(&from, &to, &|table, rows| bar.set_message(format!("{table}: {rows} rows")))?;
    bar.finish_and_clear();
    println!("copied {} to {}; every table's count checked:", done.from, done.to);
    for (table, n) in done.tables {
        println!("  {table:<16} {n}");
    }
    println!(
        "the secret key is not in the database: give every instance the source's key file (secret_key_file)"
    );
    Ok(())
}
