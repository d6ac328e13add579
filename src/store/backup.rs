//! Consistent copies of a SQLite store while it is in use: `VACUUM INTO` writes one transaction's
//! snapshot to a new file (a plain copy of a WAL database can miss or tear the latest commits), and a
//! restore checks the copy with `PRAGMA integrity_check` before it replaces anything.

use super::{DB_FILE, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

impl Store {
    /// Writes a consistent snapshot of the SQLite database in `data_dir` to `dest_dir` (created
    /// 0700; the file is 0600), on a connection of its own, so a running server keeps writing.
    /// Returns the file written.
    pub fn backup_sqlite(data_dir: &Path, dest_dir: &Path) -> Result<PathBuf, StoreError> {
        let src = data_dir.join(DB_FILE);
        if !src.exists() {
            return Err(StoreError::Io(src, std::io::Error::from(std::io::ErrorKind::NotFound)));
        }
        private_dir(dest_dir)?;
        let dest = dest_dir.join(DB_FILE);
        if dest.exists() {
            return Err(StoreError::Io(dest, std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
        }
        let conn = Connection::open_with_flags(&src, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let target =
            dest.to_str().ok_or_else(|| StoreError::Corrupt("the backup path is not UTF-8".into()))?;
        conn.execute("VACUUM INTO ?1", [target])?;
        private_file(&dest)?;
        Ok(dest)
    }

    /// What `PRAGMA integrity_check` says of the database file `db` (`ok` when it is whole).
    pub fn integrity(db: &Path) -> Result<String, StoreError> {
        let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let rows: Vec<String> =
            conn.prepare("PRAGMA integrity_check")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(rows.join("; "))
    }

    /// Puts the backed-up database `backup_db` in `data_dir` as its database, replacing what is there
    /// (its `-wal`/`-shm` files too). Checked first; the caller decides whether replacing is allowed.
    pub fn restore_sqlite(backup_db: &Path, data_dir: &Path) -> Result<(), StoreError> {
        let check = Store::integrity(backup_db)?;
        if check != "ok" {
            return Err(StoreError::Corrupt(format!("the backup fails its integrity check: {check}")));
        }
        private_dir(data_dir)?;
        let dest = data_dir.join(DB_FILE);
        let partial = data_dir.join(format!("{DB_FILE}.restoring"));
        std::fs::copy(backup_db, &partial).map_err(|e| StoreError::Io(partial.clone(), e))?;
        private_file(&partial)?;
        for suffix in ["-wal", "-shm"] {
            let side = data_dir.join(format!("{DB_FILE}{suffix}"));
            match std::fs::remove_file(&side) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::Io(side, e)),
            }
        }
        std::fs::rename(&partial, &dest).map_err(|e| StoreError::Io(dest, e))
    }
}

/// Creates `dir` (and parents) readable by its owner only.
pub(super) fn private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| StoreError::Io(dir.to_owned(), e))
}

/// Makes `file` readable by its owner only.
fn private_file(file: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| StoreError::Io(file.to_owned(), e))?;
    }
    Ok(())
}
