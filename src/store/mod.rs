//! The store: every line of SQL in the program lives below this module, on SQLite (one file in the
//! data dir, the default) or PostgreSQL (several instances on one database).
//!
//! Callers see plain methods on [`Store`] taking and returning domain types; the backend is chosen
//! at open and the queries are written once against [`sql::Conn`], where the dialects agree.
//! Methods are blocking; async callers run them on `spawn_blocking`.

mod articles;
mod backup;
mod copy;
mod editorial;
mod inbox;
mod insights;
mod messages;
mod migrate;
pub mod pg;
mod redirects;
mod sessions;
pub mod sql;
pub mod users;

pub use articles::{ArticleWrite, Change, ChangeKind, Revision, SaveOutcome, StoredArticle, TagLink};
pub use copy::CopyError;
pub use editorial::{AdminListing, ArticleFilter, ArticleRow};
pub use insights::QueryCount;
pub use messages::{MessageKind, MessageStatus, NewMessage, StoredMessage};
pub use sessions::StoredSession;
pub use users::StoredUser;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use sql::{Conn, Dialect, Lite};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// SQLite read connections kept open for reuse (more are opened while many reads run at once).
const MAX_IDLE_READERS: usize = 8;

/// How long a write waits for another process's lock before giving up with `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite said no (includes disk full).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL said no, or the connection to it failed.
    #[error("database error: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No connection to the database could be had (PostgreSQL down or unreachable).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database URL does not parse.
    #[error("database_url: {0}")]
    Url(String),
    /// Another writer held the lock past the busy timeout.
    #[error("the database is busy; try again")]
    Busy,
    /// A migration failed; the database is left at the previous version.
    #[error("migration {0} failed: {1}")]
    Migration(i64, String),
    /// The article was saved by someone else since the revision an edit started from.
    #[error("the article was saved by someone else in the meantime")]
    Conflict,
    /// A copy between stores did not check out (`migrate`); it was rolled back.
    #[error("the copy did not check out: {0}")]
    Verify(String),
    /// A stored row no longer parses: a bug or a hand edit.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The data directory could not be created.
    #[error("cannot use data directory {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

impl StoreError {
    /// True when a retry later could succeed (locked, busy, disk full, database unreachable).
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Busy | StoreError::Unavailable(_) => true,
            StoreError::Postgres(e) => pg::is_temporary(e),
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::SystemIoFailure
            ),
            _ => false,
        }
    }
}

/// Where a site's database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `zeroopposite.db` in this data dir.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by URL (`postgres://user:password@host:port/db`).
    Postgres(String),
}

impl Location {
    /// The database `database_url` names, else SQLite in `data_dir`. `sqlite:DIR` names a SQLite
    /// data dir explicitly (as `migrate --from` takes it).
    pub fn new(database_url: Option<&str>, data_dir: &Path) -> Result<Location, StoreError> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(Location::Sqlite(data_dir.to_owned())),
            Some(url) => Location::parse(url),
        }
    }

    /// `postgres://…`/`postgresql://…` or `sqlite:DIR`.
    pub fn parse(url: &str) -> Result<Location, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Location::Postgres(url.to_owned()))
        } else if let Some(dir) = url.strip_prefix("sqlite:") {
            Ok(Location::Sqlite(PathBuf::from(dir)))
        } else {
            Err(StoreError::Url(format!(
                "{:?} is neither postgres://… nor sqlite:DIR",
                url.split('@').next_back().unwrap_or(url)
            )))
        }
    }
}

/// The store: SQLite in the data dir, or a PostgreSQL database.
pub struct Store {
    pub(super) backend: Backend,
}

pub(super) enum Backend {
    /// One connection for writes and a pool of readers, so reads never wait behind a write (WAL)
    /// nor behind each other: page-cache misses on several threads read at once. A std `Mutex`,
    /// not a tokio one: it is held only to take or return a connection.
    Sqlite { writer: Mutex<Connection>, readers: Mutex<Vec<Connection>>, path: PathBuf },
    /// A pool; every write transaction takes the write lock (see [`pg`]).
    Postgres(Box<pg::Pg>),
}

/// A file's permission bits (none where the platform has no such thing or the file is absent).
fn mode_of(path: &Path) -> Option<u32> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        Some(std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The database file's name in the data dir.
const DB_FILE: &str = "zeroopposite.db";

impl Store {
    /// Whether `data_dir` holds a SQLite database already.
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(DB_FILE).exists()
    }

    /// Opens (creating if needed) the SQLite database in `data_dir` and applies pending migrations.
    /// The folder is created readable by its owner only (0700) and the database file 0600: it holds
    /// readers' messages, names, addresses and searches. SQLite gives its `-wal` and `-shm` files the
    /// database file's mode.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        backup::private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        if !path.exists() {
            let mut file = std::fs::OpenOptions::new();
            file.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
            match file.open(&path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(StoreError::Io(path, e)),
            }
        }
        let mut writer = connect(&path)?;
        migrate::run(&mut writer)?;
        let reader = connect(&path)?;
        let readers = Mutex::new(vec![reader]);
        Ok(Store { backend: Backend::Sqlite { writer: Mutex::new(writer), readers, path } })
    }

    /// Opens the database at `location`, applying pending migrations (on PostgreSQL under an
    /// advisory lock, so instances starting together migrate once).
    pub fn open_at(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(dir) => Store::open(dir),
            Location::Postgres(url) => Ok(Store { backend: Backend::Postgres(Box::new(pg::Pg::open(url)?)) }),
        }
    }

    /// The data folder and database files that other local users can read or write (group or other
    /// permission bits set), with their modes: a server warns about each at start.
    pub fn loose_permissions(&self) -> Vec<(PathBuf, u32)> {
        let Backend::Sqlite { path, .. } = &self.backend else { return Vec::new() };
        let mut paths = vec![path.clone()];
        paths.extend(path.parent().map(Path::to_owned));
        for suffix in ["-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            paths.push(PathBuf::from(p));
        }
        paths
            .into_iter()
            .filter_map(|p| {
                let mode = mode_of(&p)?;
                (mode & 0o077 != 0).then_some((p, mode))
            })
            .collect()
    }

    /// The SQLite database file, when the store is one.
    pub fn path(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Sqlite { path, .. } => Some(path),
            Backend::Postgres(_) => None,
        }
    }

    /// Where the store is, for logs (a PostgreSQL URL without its password).
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Sqlite { path, .. } => path.display().to_string(),
            Backend::Postgres(pg) => pg.display_url(),
        }
    }

    /// Which backend it is.
    pub fn dialect(&self) -> Dialect {
        match &self.backend {
            Backend::Sqlite { .. } => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Calls `wake` whenever a change-log entry is committed, by any process, when the backend
    /// can announce it (PostgreSQL's LISTEN/NOTIFY); returns false when it cannot (SQLite), and
    /// the caller relies on polling alone.
    pub fn on_change(&self, wake: impl Fn() + Send + Sync + 'static) -> bool {
        match &self.backend {
            Backend::Sqlite { .. } => false,
            Backend::Postgres(pg) => {
                pg.listen(wake);
                true
            }
        }
    }

    /// The schema version after migrations.
    pub fn schema_version() -> i64 {
        migrate::latest()
    }

    /// Runs `f` on a read connection; each statement sees what was committed when it started.
    fn read<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite { readers, path, .. } => {
                // A poisoned lock means a panic while taking or returning one; the pool is fine.
                let idle = readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let conn = match idle {
                    Some(c) => c,
                    None => connect(path)?,
                };
                let out = f(&mut Lite(&conn));
                let mut pool = readers.lock().unwrap_or_else(|p| p.into_inner());
                if pool.len() < MAX_IDLE_READERS {
                    pool.push(conn);
                }
                out
            }
            Backend::Postgres(pg) => pg.read(f),
        }
    }

    /// Runs `f` in a write transaction that no other writer (thread, process or instance) runs
    /// beside; commits when `f` returns `Ok`, rolls back otherwise.
    fn write<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite { writer, .. } => {
                // A poisoned lock means a panic mid-call; SQLite rolled the transaction back.
                let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(busy)?;
                let out = f(&mut Lite(&tx))?;
                tx.commit().map_err(busy)?;
                Ok(out)
            }
            Backend::Postgres(pg) => pg.write(f),
        }
    }

    /// Runs `f` while no other process does first-start work on this database (PostgreSQL: an
    /// advisory lock; SQLite: one process at a time runs `serve` on a data dir anyway).
    pub fn exclusively<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite { .. } => Ok(f()),
            Backend::Postgres(pg) => pg.exclusively(f),
        }
    }

    /// A value from the key-value `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|c| {
            c.query_opt("SELECT value FROM meta WHERE key = ?1", sql::p![key])?.map(|r| r.get(0)).transpose()
        })
    }

    /// Sets a value in the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|c| {
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                sql::p![key, value],
            )
        })?;
        Ok(())
    }
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers never block the writer. synchronous=FULL: a commit is on disk before we answer,
    // which Contact Us promises. foreign_keys is per connection in SQLite, so it is set on each.
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}

/// Maps SQLITE_BUSY to [`StoreError::Busy`] so callers can tell "try later" from real faults.
fn busy(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
            StoreError::Busy
        }
        _ => StoreError::Sqlite(e),
    }
}

/// Current time in unix seconds.
fn unix(t: time::OffsetDateTime) -> i64 {
    t.unix_timestamp()
}
