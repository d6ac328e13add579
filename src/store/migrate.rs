//! Versioned migrations: the files in `migrations/`, embedded, applied in order once each.
//!
//! SQLite walks every version; a new PostgreSQL database starts from the whole schema at version 5
//! (`migrations/postgres/`), and every later version has a file for each dialect.

use super::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// (version, SQL). Append only: a released migration never changes.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_articles.sql")),
    (2, include_str!("../../migrations/0002_messages.sql")),
    (3, include_str!("../../migrations/0003_findings_and_insights.sql")),
    (4, include_str!("../../migrations/0004_admin.sql")),
    (5, include_str!("../../migrations/0005_redirects.sql")),
    (6, include_str!("../../migrations/0006_rate_limits.sql")),
    (7, include_str!("../../migrations/0007_listing_indexes.sql")),
    (8, include_str!("../../migrations/0008_translations.sql")),
];

/// PostgreSQL's: (version, SQL); the first entry brings an empty database to that version at once.
const POSTGRES: &[(i64, &str)] = &[
    (5, include_str!("../../migrations/postgres/0005_schema.sql")),
    (6, include_str!("../../migrations/postgres/0006_rate_limits.sql")),
    (7, include_str!("../../migrations/postgres/0007_listing_indexes.sql")),
    (8, include_str!("../../migrations/postgres/0008_translations.sql")),
];

/// Applies every PostgreSQL migration newer than the database, in one transaction under an advisory
/// lock, so that instances starting together migrate once and the others wait, then find it done.
pub async fn run_postgres(client: &tokio_postgres::Client) -> Result<(), StoreError> {
    client.batch_execute("BEGIN").await?;
    let result = async {
        client.execute("SELECT pg_advisory_xact_lock($1)", &[&super::pg::MIGRATE_LOCK]).await?;
        client
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
            )
            .await?;
        let current: i64 =
            client.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?.get(0);
        let mut from = current;
        for (version, sql) in POSTGRES {
            if *version <= from {
                continue;
            }
            client.batch_execute(sql).await.map_err(|e| StoreError::Migration(*version, e.to_string()))?;
            client
                .execute(
                    "INSERT INTO schema_migrations (version, applied_at)
                     SELECT v, extract(epoch FROM now())::bigint FROM generate_series($1::bigint, $2::bigint) v",
                    &[&(from + 1), version],
                )
                .await?;
            from = *version;
        }
        Ok::<_, StoreError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(client.batch_execute("COMMIT").await?),
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

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
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    debug_assert_eq!(POSTGRES.last().map_or(0, |m| m.0), latest, "both dialects reach the same version");
    latest
}
