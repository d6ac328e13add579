//! Versioned migrations: the files in `migrations/`, embedded, applied in order once each.

use super::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// (version, SQL). Append only: a released migration never changes.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_articles.sql")),
    (2, include_str!("../../migrations/0002_messages.sql")),
    (3, include_str!("../../migrations/0003_findings_and_insights.sql")),
    (4, include_str!("../../migrations/0004_admin.sql")),
    (5, include_str!("../../migrations/0005_redirects.sql")),
];

/// Applies every migration newer than the database, each in its own immediate transaction.
pub fn run(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )?;
    for (version, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
            [version],
            |r| r.get(0),
        )?;
        if !done {
            tx.execute_batch(sql).map_err(|e| StoreError::Migration(*version, e.to_string()))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, unixepoch())",
                [version],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// The newest version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}
