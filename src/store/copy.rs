//! Copying a whole site from one store to another (`zeroopposite migrate`): every table, row for
//! row with its ids, in one write transaction on the target, then the counts compared.
//!
//! Ids and change-log numbers are kept, so links to `/admin/inbox/7`, revision ids in open editors
//! and the positions search indexes recorded all stay true on the new database.

use super::sql::{Cell, Dialect, Param, Value};
use super::{Store, StoreError};

/// Every table with its columns, parents before children. Append when a migration adds one.
const TABLES: &[(&str, &str, &str)] = &[
    (
        "articles",
        "id, slug, title, status, published_at, sort_at, created_at, updated_at, article_json, body_html, \
         renderer_version, findings_json, translation_key",
        "id",
    ),
    ("tags", "id, name", "id"),
    ("article_tags", "article_id, tag_id, position", "article_id, tag_id"),
    ("revisions", "id, article_id, created_at, author, note, article_json", "id"),
    ("changes", "seq, at, kind, slug", "seq"),
    ("meta", "key, value", "key"),
    (
        "messages",
        "id, received_at, kind, name, email, body, status, spam_reason, ip_hash, submission_id, handled_at, \
         article_slug",
        "id",
    ),
    ("outbox", "id, message_id, attempts, next_attempt_at, last_error, sent_at", "id"),
    ("search_queries", "day, query, count, zero_count", "day, query"),
    ("users", "id, name, role, password_hash, created_at, updated_at", "id"),
    ("sessions", "token_hash, user_id, csrf, created_at, last_seen_at", "token_hash"),
    ("login_failures", "id, at, account, ip_hash", "id"),
    ("redirects", "old_path, slug, source, created_at", "old_path"),
    ("rate_limits", "key, window_start, count", "key"),
];

/// Tables whose ids PostgreSQL hands out from an identity sequence, moved past the copied ids.
const IDENTITIES: &[(&str, &str)] = &[
    ("articles", "id"),
    ("tags", "id"),
    ("revisions", "id"),
    ("changes", "seq"),
    ("messages", "id"),
    ("outbox", "id"),
    ("users", "id"),
    ("login_failures", "id"),
];

/// Rows read and written per round.
const CHUNK: i64 = 500;

/// Why a copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The target already holds a site; nothing was written.
    #[error(
        "the target database already holds a site ({0} articles, {1} accounts); migrate only into an empty one"
    )]
    NotEmpty(u64, u64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Param for Cell {
    fn value(&self) -> Value<'_> {
        match self {
            Cell::Null => Value::Null,
            Cell::Int(n) => Value::Int(*n),
            Cell::Text(s) => Value::Text(s),
        }
    }
}

impl Store {
    /// Copies every row of this store into `target`, which must be empty, and checks that each
    /// table has as many rows there as here. `progress(table, rows_done)` follows it. Returns the
    /// row count of each table.
    pub fn copy_to(
        &self,
        target: &Store,
        progress: &dyn Fn(&str, u64),
    ) -> Result<Vec<(&'static str, u64)>, CopyError> {
        let (articles, users) = (target.article_count()?, target.users()?.len() as u64);
        if articles > 0 || users > 0 {
            return Err(CopyError::NotEmpty(articles, users));
        }
        let counts = TABLES
            .iter()
            .map(|(table, _, _)| Ok((*table, self.count(table)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        target.write(|tx| {
            // What migrations or a first start put there (none today) gives way to the source's.
            for (table, _, _) in TABLES.iter().rev() {
                tx.execute(&format!("DELETE FROM {table}"), super::sql::p![])?;
            }
            for (table, columns, key) in TABLES {
                let width = columns.split(',').count();
                let marks: Vec<String> = (1..=width).map(|i| format!("?{i}")).collect();
                let insert = format!("INSERT INTO {table} ({columns}) VALUES ({})", marks.join(", "));
                let mut done = 0u64;
                let mut offset = 0;
                loop {
                    let rows = self.read(|c| {
                        c.query(
                            &format!("SELECT {columns} FROM {table} ORDER BY {key} LIMIT ?1 OFFSET ?2"),
                            super::sql::p![CHUNK, offset],
                        )
                    })?;
                    for row in &rows {
                        let params: Vec<&dyn Param> = row.0.iter().map(|c| c as &dyn Param).collect();
                        tx.execute(&insert, &params)?;
                    }
                    done += rows.len() as u64;
                    progress(table, done);
                    if (rows.len() as i64) < CHUNK {
                        break;
                    }
                    offset += CHUNK;
                }
            }
            if tx.dialect() == Dialect::Postgres {
                for (table, column) in IDENTITIES {
                    tx.execute(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                                           (SELECT coalesce(max({column}), 0) + 1 FROM {table}), false)"
                        ),
                        super::sql::p![],
                    )?;
                }
            }
            // Checked before the commit: a mismatch rolls the whole copy back.
            for (table, source_rows) in &counts {
                let n: i64 = tx.query_one(&format!("SELECT count(*) FROM {table}"), super::sql::p![])?.get(0)?;
                if n as u64 != *source_rows {
                    return Err(StoreError::Verify(format!(
                        "table {table}: {source_rows} rows in the source but {n} in the target; nothing was kept"
                    )));
                }
            }
            Ok(())
        })?;
        Ok(counts)
    }

    fn count(&self, table: &str) -> Result<u64, StoreError> {
        self.read(|c| {
            Ok(c.query_one(&format!("SELECT count(*) FROM {table}"), super::sql::p![])?.get::<i64>(0)? as u64)
        })
    }
}
