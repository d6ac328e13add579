//! One module per subcommand: its arguments and an `execute` that returns a `Result`.

pub mod check;
pub mod export;
pub mod import;
pub mod insights;
pub mod messages;
pub mod reindex;
pub mod serve;
pub mod user;

use crate::config::{Config, Overrides};

/// Loads the configuration from the global flags plus subcommand overrides.
pub fn load_config(global: &crate::cli::Global, mut overrides: Overrides) -> anyhow::Result<Config> {
    if overrides.data_dir.is_none() {
        overrides.data_dir = global.data.clone();
    }
    overrides.base_url = overrides.base_url.or_else(|| std::env::var("ZO_BASE_URL").ok());
    Ok(Config::load(global.config.as_deref(), overrides)?)
}
