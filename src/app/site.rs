//! [`Site`]: what every command needs (the configuration, the store, the clock and the editorial
//! checker), and nothing a server alone needs. Opening one is cheap: no templates, no search index,
//! no caches, so `import`, `user`, `messages`, `insights`, `check` and `export --markdown` open a
//! `Site`, and `serve` opens an [`App`](super::App), which is a `Site` plus those.

use super::{AppError, Clock, SystemClock};
use crate::config::Config;
use crate::content::checks::Checker;
use crate::content::markdown;
use crate::store::{Location, Store};
use std::sync::Arc;
use time::OffsetDateTime;

/// The configuration, the store, the time source and the checker, opened together.
pub struct Site {
    pub(super) config: Config,
    pub(super) store: Store,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) checker: Checker,
}

impl Site {
    /// Opens the store in the configured data dir (created and migrated as needed) and re-renders
    /// articles whose HTML an older renderer made.
    pub fn open(config: Config) -> Result<Site, AppError> {
        Site::open_with_clock(config, Arc::new(SystemClock))
    }

    /// [`Site::open`] with a given time source (tests pass a `FixedClock`).
    pub fn open_with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<Site, AppError> {
        let location = Location::new(config.database_url.as_deref(), &config.data_dir)?;
        let store = Store::open_at(&location)?;
        for (path, mode) in store.loose_permissions() {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:o}"),
                "other local users can read readers' messages and searches here; chmod it to 700 (a folder) or 600 (a file)"
            );
        }
        let n = store.rerender_stale(markdown::RENDERER_VERSION, clock.now(), markdown::to_html)?;
        if n > 0 {
            tracing::info!(articles = n, "re-rendered articles for a new renderer version");
        }
        let checker = Checker::new(config.checks.clone());
        Ok(Site { config, store, clock, checker })
    }

    /// Whether the data dir already holds a site (so a command that only reads need not create one).
    /// A PostgreSQL database is taken to exist: opening it creates nothing but the schema.
    pub fn exists(config: &Config) -> bool {
        config.database_url.is_some() || Store::exists(&config.data_dir)
    }

    /// The configuration it was opened with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The editorial checker configured for this site.
    pub fn checker(&self) -> &Checker {
        &self.checker
    }

    /// Now: the one place time comes from (sessions, throttling, visibility, scheduling, imports).
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}
