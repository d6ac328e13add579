//! Command-line arguments (clap): the top-level parser and its subcommands, each defined in its
//! `cmd` module. Flags also read `ZO_*` environment variables.

use crate::cmd::Global;
use clap::{Parser, Subcommand};

/// ZeroOpposite: a fast, single-binary publishing platform for a question-and-answer publication.
#[derive(Debug, Parser)]
#[command(name = "zeroopposite", version, about)]
pub struct Cli {
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site over HTTP.
    Serve(crate::cmd::serve::ServeArgs),
    /// Import Markdown articles (files or folders, recursively).
    Import(crate::cmd::import::ImportArgs),
    /// Export articles as Markdown files.
    Export(crate::cmd::export::ExportArgs),
    /// Run the editorial checks on files or on the store.
    Check(crate::cmd::check::CheckArgs),
    /// Rebuild the search index from the store.
    Reindex(crate::cmd::reindex::ReindexArgs),
    /// Show top searches and searches with no results.
    Insights(crate::cmd::insights::InsightsArgs),
    /// Read the Contact Us inbox.
    Messages(crate::cmd::messages::MessagesArgs),
    /// Manage editors' accounts.
    User(crate::cmd::user::UserArgs),
    /// Write a consistent backup of the site (SQLite) and its secret key to a folder, while it runs.
    Backup(crate::cmd::backup::BackupArgs),
    /// Put a backup into the data dir (an empty one, unless --force).
    Restore(crate::cmd::backup::RestoreArgs),
    /// Copy a whole site to another database (e.g. SQLite to PostgreSQL), checking every count.
    Migrate(crate::cmd::migrate::MigrateArgs),
}
