//! Moving a site between databases: the use case behind `zeroopposite migrate`.

use super::AppError;
use crate::store::{Location, Store};

/// What a migration copied.
#[derive(Debug)]
pub struct Migrated {
    /// The source, for the report (no password).
    pub from: String,
    /// The target, for the report (no password).
    pub to: String,
    /// Each table with its row count, checked equal on both sides.
    pub tables: Vec<(&'static str, u64)>,
}

/// Copies the site at `from` into the empty database at `to` (migrated first), verifying every
/// table's count before committing. `progress(table, rows)` follows it.
pub fn migrate(from: &Location, to: &Location, progress: &dyn Fn(&str, u64)) -> Result<Migrated, AppError> {
    if from == to {
        return Err(AppError::Migrate("--from and --to name the same database".to_owned()));
    }
    if let Location::Sqlite(dir) = from
        && !Store::exists(dir)
    {
        return Err(AppError::Migrate(format!("there is no site in {} (no zeroopposite.db)", dir.display())));
    }
    let source = Store::open_at(from)?;
    let target = Store::open_at(to)?;
    let tables = source.copy_to(&target, progress).map_err(|e| match e {
        crate::store::CopyError::Store(e) => AppError::Store(e),
        other => AppError::Migrate(other.to_string()),
    })?;
    Ok(Migrated { from: source.describe(), to: target.describe(), tables })
}
