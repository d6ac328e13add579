//! Command-line arguments (clap). Flags also read `ZO_*` environment variables.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

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

/// Options shared by every subcommand.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Data directory (database, search index, keys).
    #[arg(long = "data", env = "ZO_DATA", global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Configuration file (TOML). Default: ./zeroopposite.toml if present.
    #[arg(long = "config", env = "ZO_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
}

/// Parses `--addr` values.
pub fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    s.parse().map_err(|_| format!("{s:?} is not an address like 127.0.0.1:8080"))
}
