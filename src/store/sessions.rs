//! Server-side sessions (by token hash) and failed sign-ins (for throttling).

use super::{Store, StoreError, busy, unix};
use crate::domain::{Role, Username};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use time::OffsetDateTime;

/// A session with its account, as stored.
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// The account's row id.
    pub user_id: i64,
    /// The account's name.
    pub name: Username,
    /// The account's role (read on every request, so a role change applies at once).
    pub role: Role,
    /// The CSRF token of this session.
    pub csrf: String,
    /// When it was created (absolute expiry).
    pub created: i64,
    /// When it was last used (idle expiry).
    pub last_seen: i64,
}

impl Store {
    /// Starts a session; `replaces` (a previous session's hash, if the browser had one) is ended in the
    /// same transaction, so a sign-in always yields a new id.
    pub fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        replaces: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut conn = self.write();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(busy)?;
        if let Some(old) = replaces {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [old])?;
        }
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![token_hash, user_id, csrf, unix(now)],
        )?;
        tx.commit().map_err(busy)?;
        Ok(())
    }

    /// The session with this token hash, with its account.
    pub fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        self.read()
            .query_row(
                "SELECT s.user_id, u.name, u.role, s.csrf, s.created_at, s.last_seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
                [token_hash],
                |r| {
                    let name: String = r.get(1)?;
                    let role: String = r.get(2)?;
                    Ok((r.get(0)?, name, role, r.get(3)?, r.get(4)?, r.get(5)?))
                },
            )
            .optional()?
            .map(|(user_id, name, role, csrf, created, last_seen)| {
                Ok(StoredSession {
                    user_id,
                    name: Username::parse(&name).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
                    csrf,
                    created,
                    last_seen,
                })
            })
            .transpose()
    }

    /// Records that a session was used at `now`.
    pub fn touch_session(&self, token_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        self.write().execute(
            "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
            params![token_hash, unix(now)],
        )?;
        Ok(())
    }

    /// Ends a session (sign-out, expiry).
    pub fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.write().execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Deletes sessions idle since before `idle_cutoff` or created before `absolute_cutoff`, and failed
    /// sign-ins before `failures_cutoff`; returns how many rows went.
    pub fn prune_sessions(
        &self,
        idle_cutoff: OffsetDateTime,
        absolute_cutoff: OffsetDateTime,
        failures_cutoff: OffsetDateTime,
    ) -> Result<usize, StoreError> {
        let conn = self.write();
        let a = conn.execute(
            "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
            params![unix(idle_cutoff), unix(absolute_cutoff)],
        )?;
        let b = conn.execute("DELETE FROM login_failures WHERE at < ?1", [unix(failures_cutoff)])?;
        Ok(a + b)
    }

    /// Records a failed sign-in for `account` (the name tried) from `ip_hash`.
    pub fn record_login_failure(
        &self,
        account: &str,
        ip_hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.write().execute(
            "INSERT INTO login_failures (at, account, ip_hash) VALUES (?1, ?2, ?3)",
            params![unix(now), account, ip_hash],
        )?;
        Ok(())
    }

    /// Failed sign-ins since `since`: (times for the account, times for the address), oldest first.
    pub fn login_failures(
        &self,
        account: &str,
        ip_hash: &str,
        since: OffsetDateTime,
    ) -> Result<(Vec<i64>, Vec<i64>), StoreError> {
        let conn = self.read();
        let by = |col: &str, v: &str| -> Result<Vec<i64>, StoreError> {
            let mut st = conn.prepare_cached(&format!(
                "SELECT at FROM login_failures WHERE {col} = ?1 AND at >= ?2 ORDER BY at"
            ))?;
            let rows = st.query_map(params![v, unix(since)], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok((by("account", account)?, by("ip_hash", ip_hash)?))
    }

    /// Forgets an account's failed sign-ins (after a successful one).
    pub fn clear_login_failures(&self, account: &str) -> Result<(), StoreError> {
        self.write().execute("DELETE FROM login_failures WHERE account = ?1", [account])?;
        Ok(())
    }
}
