//! The application layer: the use cases that the HTTP layer and the CLI call. [`Site`] is what every
//! command opens; [`App`] is a `Site` plus what serving needs.

pub mod auth;
pub mod clock;
mod contact;
pub mod editor;
pub mod export;
mod import;
pub mod inbox;
pub mod migrate;
mod pages;
pub mod password;
mod preview;
mod redirects;
pub mod revisions;
pub mod search;
mod site;
mod tag_lists;
mod watch;

pub use clock::{Clock, FixedClock, SystemClock};
pub use contact::Submitted;
pub use import::{ImportError, ImportOutcome, ImportReport, Source};
pub use pages::{FeedKind, Route};
pub use site::Site;

use crate::config::Config;
use crate::contact::secrets::SecretKey;
use crate::render::{PageCache, Templates, views::SiteCtx};
use crate::search::SearchIndex;
use crate::store::StoreError;
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, OnceLock};

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
    /// A site could not be moved to another database; nothing was written there.
    #[error("{0}")]
    Migrate(String),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The signed-in account may not do this (an editor asking for an admin's action).
    #[error("{0}")]
    Forbidden(String),
    /// Several instances on one database need one key: `secret_key_file` is required there.
    #[error(
        "secret_key_file (or ZO_SECRET_KEY_FILE) must be set when database_url is: every instance \
         needs the same secret key, and it is never kept in the database"
    )]
    NoSharedKey,
    /// A file outside the store (the secret key, an exported file) could not be read or written.
    #[error("{}: {}", .0.display(), .1)]
    Io(std::path::PathBuf, #[source] std::io::Error),
}

/// A running site: a [`Site`] plus what serving needs (templates, the page cache, the search
/// index and its change-log position, the contact form's key and rate limit). Cheap to share in an
/// `Arc`. Its fields are private: HTTP handlers and commands call its use cases. It dereferences to
/// its [`Site`], so the use cases every command shares are called on it directly.
pub struct App {
    site: Site,
    templates: Templates,
    cache: PageCache,
    /// What every page knows of the site.
    site_view: SiteCtx,
    /// Signs form tokens and keys address hashes.
    secret: SecretKey,
    /// The full-text index; this process owns its writer.
    search: SearchIndex,
    /// Articles by tag (related articles, tag pages), kept in step by the change log like the cache.
    tag_lists: tag_lists::TagLists,
    /// The change-log position the page cache reflects.
    seen_seq: AtomicI64,
    /// The change-log position the search index reflects (as its last commit recorded).
    search_seq: AtomicI64,
    /// Serialises change-log processing.
    refresh_lock: std::sync::Mutex<()>,
    /// Search insight counts not yet written: (day, query) → (searches, found nothing).
    insight_buffer: std::sync::Mutex<search::InsightBuffer>,
    /// A password hash to verify against for unknown names, so timing does not reveal accounts.
    dummy_hash: OnceLock<String>,
    /// Bounds the password checks running at once.
    password_slots: password::Slots,
}

impl std::ops::Deref for App {
    type Target = Site;

    fn deref(&self) -> &Site {
        &self.site
    }
}

impl App {
    /// Opens the site in the configured data dir, imports the demo content into an empty database
    /// on first start (when configured), opens the search index and catches it up.
    pub fn open(config: Config) -> Result<App, AppError> {
        App::open_with_clock(config, Arc::new(SystemClock))
    }

    /// [`App::open`] with a given time source (tests pass a [`FixedClock`]).
    pub fn open_with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<App, AppError> {
        let site = Site::open_with_clock(config, clock)?;
        // Instances starting together on one database import the demo content once.
        site.store.exclusively(|| site.import_demo_content())??;
        let config = &site.config;
        let templates = Templates::new(config.theme_dir.clone());
        let site_view = SiteCtx {
            name: config.site_name.clone(),
            base_url: config.base_url.clone(),
            language: config.language.clone(),
        };
        let seq = site.store.change_seq()?;
        let key_file = match (&config.secret_key_file, &config.database_url) {
            (Some(file), _) => file.clone(),
            (None, None) => config.data_dir.join("secret.key"),
            (None, Some(_)) => return Err(AppError::NoSharedKey),
        };
        let secret = SecretKey::load_or_create(&key_file).map_err(|e| AppError::Io(key_file, e))?;
        let search = search::open_index(&site.store, &config.data_dir, site.now())?;
        let search_seq = search.position()?.unwrap_or(0);
        let tag_lists = tag_lists::load(&site.store)?;
        let app = App {
            search,
            tag_lists,
            refresh_lock: std::sync::Mutex::new(()),
            insight_buffer: std::sync::Mutex::new(std::collections::HashMap::new()),
            secret,
            templates,
            cache: PageCache::new(CACHE_BYTES),
            site_view,
            seen_seq: AtomicI64::new(seq),
            search_seq: AtomicI64::new(search_seq),
            dummy_hash: OnceLock::new(),
            password_slots: password::Slots::new(config.admin.max_concurrent_password_checks),
            site,
        };
        // What was written while no server ran (an `import`, another instance) reaches search now.
        app.refresh_if_changed()?;
        Ok(app)
    }

    /// The [`Site`] inside.
    pub fn site(&self) -> &Site {
        &self.site
    }
}

impl Site {
    /// Imports the bundled demo articles into an empty database, once.
    fn import_demo_content(&self) -> Result<(), AppError> {
        if !self.config.demo_content || self.store.meta("demo_imported")?.is_some() {
            return Ok(());
        }
        if self.store.article_count()? == 0 {
            let stems: Vec<&str> = DEMO_CONTENT.iter().map(|(n, _)| n.trim_end_matches(".md")).collect();
            let known = |s: &str| stems.contains(&s);
            for (name, text) in DEMO_CONTENT {
                if let Err(e) = self.import_text(&known, name, text) {
                    tracing::error!(file = name, error = %e, "demo article failed to import");
                }
            }
            tracing::info!(articles = DEMO_CONTENT.len(), "imported the demo content into the new database");
        }
        self.store.set_meta("demo_imported", "1")?;
        Ok(())
    }
}
