//! The application: configuration, store, templates and caches wired together, with the use cases
//! (show a page, import a file) that both the HTTP layer and the CLI call.

pub mod auth;
pub mod clock;
mod contact;
pub mod editor;
pub mod export;
mod import;
pub mod inbox;
mod pages;
pub mod password;
mod preview;
mod redirects;
pub mod revisions;
pub mod search;
mod watch;

pub use clock::{Clock, FixedClock, SystemClock};
pub use contact::Submitted;
pub use import::{
    ImportError, ImportOutcome, ImportReport, Source, import_source, import_text, import_wxr_item,
};
pub use pages::{FeedKind, Route};

use crate::config::Config;
use crate::contact::{ratelimit::RateLimit, secrets::SecretKey};
use crate::content::checks::Checker;
use crate::render::{PageCache, Templates, views::SiteCtx};
use crate::search::SearchIndex;
use crate::store::{Store, StoreError};
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, OnceLock};
use time::OffsetDateTime;

/// The demo articles bundled in the binary: (file name, text).
pub const DEMO_CONTENT: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/demo_content.rs"));

/// Most memory the page cache may hold.
const CACHE_BYTES: usize = 512 * 1024 * 1024;

/// Errors of the application layer; `http::Error` maps them to pages.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page.
    #[error("not found")]
    NotFound,
    /// The request makes no sense (bad page number, bad tag).
    #[error("{0}")]
    BadRequest(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The signed-in account may not do this (an editor asking for an admin's action).
    #[error("{0}")]
    Forbidden(String),
}

/// Shared state of a running site. Cheap to share in an `Arc`.
pub struct App {
    /// The configuration it was started with.
    pub config: Config,
    /// The database.
    pub store: Store,
    /// Templates (built-in plus theme).
    pub templates: Templates,
    /// Rendered pages.
    pub cache: PageCache,
    /// What every page knows of the site.
    pub site: SiteCtx,
    /// Signs form tokens and keys address hashes.
    pub secret: SecretKey,
    /// Contact Us posts per address.
    pub contact_limit: RateLimit,
    /// The full-text index; this process owns its writer.
    pub search: SearchIndex,
    /// The change-log position the page cache reflects.
    seen_seq: AtomicI64,
    /// The change-log position the search index reflects (as its last commit recorded).
    search_seq: AtomicI64,
    /// Serialises change-log processing.
    refresh_lock: std::sync::Mutex<()>,
    /// Search insight counts not yet written: (day, query) → (searches, found nothing).
    insight_buffer: std::sync::Mutex<search::InsightBuffer>,
    /// Where time comes from (a fixed clock in tests).
    clock: Arc<dyn Clock>,
    /// A password hash to verify against for unknown names, so timing does not reveal accounts.
    dummy_hash: OnceLock<String>,
}

impl App {
    /// Opens the store in the configured data dir, rebuilds stale HTML, and imports the demo content
    /// into an empty database on first start (when configured).
    pub fn open(config: Config) -> Result<App, AppError> {
        App::open_with_clock(config, Arc::new(SystemClock))
    }

    /// [`App::open`] with a given time source (tests pass a [`FixedClock`]).
    pub fn open_with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<App, AppError> {
        let store = Store::open(&config.data_dir)?;
        let n = store
            .rerender_stale(crate::content::markdown::RENDERER_VERSION, crate::content::markdown::to_html)?;
        if n > 0 {
            tracing::info!(articles = n, "re-rendered articles for a new renderer version");
        }
        if config.demo_content && store.meta("demo_imported")?.is_none() {
            if store.article_count()? == 0 {
                let now = clock.now();
                let checker = Checker::new(config.checks.clone());
                let stems: Vec<&str> = DEMO_CONTENT.iter().map(|(n, _)| n.trim_end_matches(".md")).collect();
                let known = |s: &str| stems.contains(&s);
                for (name, text) in DEMO_CONTENT {
                    if let Err(e) = import_text(&store, &checker, &known, name, text, now) {
                        tracing::error!(file = name, error = %e, "demo article failed to import");
                    }
                }
                tracing::info!(
                    articles = DEMO_CONTENT.len(),
                    "imported the demo content into the new database"
                );
            }
            store.set_meta("demo_imported", "1")?;
        }
        let templates = Templates::new(config.theme_dir.clone());
        let site = SiteCtx { name: config.site_name.clone(), base_url: config.base_url.clone() };
        let seq = store.change_seq()?;
        let secret = SecretKey::load_or_create(&config.data_dir)
            .map_err(|e| AppError::Store(StoreError::Io(config.data_dir.join("secret.key"), e)))?;
        let contact_limit = RateLimit::new(config.contact.per_ip_per_hour);
        let search = search::open_index(&store, &config.data_dir, clock.now())?;
        let search_seq = search.position()?.unwrap_or(0);
        let app = App {
            search,
            refresh_lock: std::sync::Mutex::new(()),
            insight_buffer: std::sync::Mutex::new(std::collections::HashMap::new()),
            secret,
            contact_limit,
            config,
            store,
            templates,
            cache: PageCache::new(CACHE_BYTES),
            site,
            seen_seq: AtomicI64::new(seq),
            search_seq: AtomicI64::new(search_seq),
            clock,
            dummy_hash: OnceLock::new(),
        };
        // What was written while no server ran (an `import`, another instance) reaches search now.
        app.refresh_if_changed()?;
        Ok(app)
    }

    /// The time pages are rendered for, and the one place time comes from.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}
