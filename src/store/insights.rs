//! Search insights: how often each normalised query was searched per day, and how often it found nothing.
//! Counts only: no address, no session, no cookie, no time finer than a day.

use super::{Store, StoreError};
use rusqlite::params;

/// One reported query.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueryCount {
    /// The normalised query.
    pub query: String,
    /// Searches in the period.
    pub count: i64,
    /// Of which found nothing.
    pub zero: i64,
}

impl Store {
    /// Adds counted searches, `(day, query, searches, of which found nothing)`, in one transaction.
    pub fn record_searches(&self, counts: &[(String, String, i64, i64)]) -> Result<(), StoreError> {
        let mut conn = self.write();
        let tx =
            conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(super::busy)?;
        {
            let mut add = tx.prepare_cached(
                "INSERT INTO search_queries (day, query, count, zero_count) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (day, query) DO UPDATE SET count = count + excluded.count,
                 zero_count = zero_count + excluded.zero_count",
            )?;
            for (day, query, count, zero) in counts {
                add.execute(params![day, query, count, zero])?;
            }
        }
        tx.commit().map_err(super::busy)?;
        Ok(())
    }

    /// The most searched queries since `since_day`, only those searched at least `min_count` times.
    /// With `zero_only`, only queries that found nothing at least `min_count` times, ranked by that.
    pub fn top_searches(
        &self,
        since_day: &str,
        min_count: i64,
        zero_only: bool,
        limit: i64,
    ) -> Result<Vec<QueryCount>, StoreError> {
        let conn = self.read();
        let order = if zero_only { "zero" } else { "count" };
        let mut st = conn.prepare_cached(&format!(
            "SELECT query, sum(count) AS count, sum(zero_count) AS zero FROM search_queries WHERE day >= ?1
             GROUP BY query HAVING {order} >= ?2 ORDER BY {order} DESC, query LIMIT ?3"
        ))?;
        let rows = st.query_map(params![since_day, min_count, limit], |r| {
            Ok(QueryCount { query: r.get(0)?, count: r.get(1)?, zero: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes daily counts older than `before_day`; returns how many rows.
    pub fn delete_searches_before(&self, before_day: &str) -> Result<usize, StoreError> {
        Ok(self.write().execute("DELETE FROM search_queries WHERE day < ?1", [before_day])?)
    }

    /// Appends a change-log entry of `kind` (e.g. a reindex request) for servers to act on.
    pub fn log_change(&self, kind: super::ChangeKind) -> Result<(), StoreError> {
        self.write().execute("INSERT INTO changes (at, kind) VALUES (unixepoch(), ?1)", [kind.as_str()])?;
        Ok(())
    }
}
