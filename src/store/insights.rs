//! Search insights: how often each normalised query was searched per day, and how often it found nothing.
//! Counts only: no address, no session, no cookie, no time finer than a day.

use super::sql::p;
use super::{Store, StoreError};

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
        self.write(|tx| {
            for (day, query, count, zero) in counts {
                tx.execute(
                    "INSERT INTO search_queries (day, query, count, zero_count) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (day, query) DO UPDATE SET count = search_queries.count + excluded.count,
                     zero_count = search_queries.zero_count + excluded.zero_count",
                    p![day, query, count, zero],
                )?;
            }
            Ok(())
        })
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
        // CAST: PostgreSQL's sum() of BIGINT is NUMERIC. The HAVING repeats the aggregate, since
        // PostgreSQL does not see output names there.
        let order = if zero_only { "zero_count" } else { "count" };
        self.read(|c| {
            c.query(
                &format!(
                    "SELECT query, CAST(sum(count) AS BIGINT) AS total, CAST(sum(zero_count) AS BIGINT) AS zero
                     FROM search_queries WHERE day >= ?1
                     GROUP BY query HAVING CAST(sum({order}) AS BIGINT) >= ?2
                     ORDER BY CAST(sum({order}) AS BIGINT) DESC, query LIMIT ?3"
                ),
                p![since_day, min_count, limit],
            )?
            .iter()
            .map(|r| Ok(QueryCount { query: r.get(0)?, count: r.get(1)?, zero: r.get(2)? }))
            .collect()
        })
    }

    /// Deletes daily counts older than `before_day`; returns how many rows.
    pub fn delete_searches_before(&self, before_day: &str) -> Result<usize, StoreError> {
        Ok(self.write(|c| c.execute("DELETE FROM search_queries WHERE day < ?1", p![before_day]))? as usize)
    }

    /// Appends a change-log entry of `kind` (e.g. a reindex request) for servers to act on.
    pub fn log_change(&self, kind: super::ChangeKind, now: time::OffsetDateTime) -> Result<(), StoreError> {
        self.write(|c| super::articles::log_change(c, kind, None, now))
    }
}
