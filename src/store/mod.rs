//! The store: every line of SQL in the program lives below this module (SQLite today).
//!
//! Callers see plain methods on [`Store`] taking and returning domain types, so a PostgreSQL
//! backend can be added behind the same methods without touching handlers or commands.
//! Methods are blocking; async callers run them on `spawn_blocking`.

mod articles;
mod editorial;
mod inbox;
mod insights;
mod messages;
mod migrate;
mod redirects;
mod sessions;
pub mod users;

pub use articles::{Change, ChangeKind, Revision, SaveOutcome, StoredArticle};
pub use editorial::{AdminListing, ArticleFilter, ArticleRow};
pub use insights::QueryCount;
pub use messages::{MessageKind, MessageStatus, NewMessage, StoredMessage};
pub use sessions::StoredSession;
pub use users::StoredUser;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How long a write waits for another process's lock before giving up with `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite said no (includes disk full).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Another writer held the lock past the busy timeout.
    #[error("the database is busy; try again")]
    Busy,
    /// A migration failed; the database is left at the previous version.
    #[error("migration {0} failed: {1}")]
    Migration(i64, String),
    /// A stored row no longer parses: a bug or a hand edit.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The data directory could not be created.
    #[error("cannot use data directory {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

impl StoreError {
    /// True when a retry later could succeed (locked, busy, disk full).
    pub fn is_temporary(&self) -> bool {
        match self {
            StoreError::Busy => true,
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

/// The embedded SQLite store: one file `zeroopposite.db` in the data dir.
///
/// Two connections: one for writes and one for reads, so a long read never waits behind a write (WAL).
/// A std `Mutex`, not a tokio one: calls are short and run on blocking threads.
pub struct Store {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    path: PathBuf,
}

/// The database file's name in the data dir.
const DB_FILE: &str = "zeroopposite.db";

impl Store {
    /// Whether `data_dir` holds a database already.
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(DB_FILE).exists()
    }

    /// Opens (creating if needed) the database in `data_dir` and applies pending migrations.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Io(data_dir.to_owned(), e))?;
        let path = data_dir.join(DB_FILE);
        let mut writer = connect(&path)?;
        migrate::run(&mut writer)?;
        let reader = connect(&path)?;
        Ok(Store { writer: Mutex::new(writer), reader: Mutex::new(reader), path })
    }

    /// The database file (for backups and logs).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version after migrations.
    pub fn schema_version() -> i64 {
        migrate::latest()
    }

    fn write(&self) -> MutexGuard<'_, Connection> {
        // A poisoned lock means a panic mid-call; SQLite rolled the transaction back, so the connection is fine.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn read(&self) -> MutexGuard<'_, Connection> {
        self.reader.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A value from the key-value `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self.read().query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Sets a value in the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
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
