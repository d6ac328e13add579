//! One module per subcommand: its arguments and an `execute` that returns a `Result`.

pub mod backup;
pub mod check;
pub mod export;
mod files;
pub mod import;
pub mod insights;
pub mod messages;
pub mod migrate;
pub mod reindex;
mod report;
pub mod serve;
pub mod user;

use crate::app::Site;
use crate::config::{Config, Overrides};
use clap::Args;
use std::path::PathBuf;

/// Options shared by every subcommand.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Data directory (database, search index, keys).
    #[arg(long = "data", env = "ZO_DATA", global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Configuration file (TOML). Default: ./zeroopposite.toml if present.
    #[arg(long = "config", env = "ZO_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database: `postgres://user:password@host:port/db`; absent, SQLite in the data dir.
    #[arg(long = "database-url", env = "ZO_DATABASE_URL", global = true, value_name = "URL")]
    pub database_url: Option<String>,
}

/// Loads the configuration from the global flags plus subcommand overrides.
pub fn load_config(global: &Global, mut overrides: Overrides) -> anyhow::Result<Config> {
    if overrides.data_dir.is_none() {
        overrides.data_dir = global.data.clone();
    }
    overrides.base_url = overrides.base_url.or_else(|| std::env::var("ZO_BASE_URL").ok());
    overrides.database_url = overrides.database_url.or_else(|| global.database_url.clone());
    overrides.secret_key_file =
        overrides.secret_key_file.or_else(|| std::env::var_os("ZO_SECRET_KEY_FILE").map(PathBuf::from));
    Ok(Config::load(global.config.as_deref(), overrides)?)
}

/// Opens the site named by the global flags (the store in its data dir, its configuration).
pub fn open_site(global: &Global) -> anyhow::Result<Site> {
    let config = load_config(global, Overrides::default())?;
    let place = match &config.database_url {
        Some(_) => "the configured database".to_owned(),
        None => config.data_dir.display().to_string(),
    };
    Site::open(config).map_err(|e| anyhow::anyhow!("cannot open the site in {place}: {e}"))
}
