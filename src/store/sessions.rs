//! Server-side sessions (by token hash) and failed sign-ins (for throttling).

use super::sql::p;
use super::{Store, StoreError, unix};
use crate::domain::{Role, Username};
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
        self.write(|tx| {
            if let Some(old) = replaces {
                tx.execute("DELETE FROM sessions WHERE token_hash = ?1", p![old])?;
            }
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                p![token_hash, user_id, csrf, unix(now)],
            )
        })?;
        Ok(())
    }

    /// The session with this token hash, with its account.
    pub fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT s.user_id, u.name, u.role, s.csrf, s.created_at, s.last_seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
                p![token_hash],
            )?
            .map(|r| {
                let name: String = r.get(1)?;
                let role: String = r.get(2)?;
                Ok(StoredSession {
                    user_id: r.get(0)?,
                    name: Username::parse(&name).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
                    csrf: r.get(3)?,
                    created: r.get(4)?,
                    last_seen: r.get(5)?,
                })
            })
            .transpose()
        })
    }

    /// Records that a session was used at `now`.
    pub fn touch_session(&self, token_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        self.write(|c| {
            c.execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
                p![token_hash, unix(now)],
            )
        })?;
        Ok(())
    }

    /// Ends a session (sign-out, expiry).
    pub fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.write(|c| c.execute("DELETE FROM sessions WHERE token_hash = ?1", p![token_hash]))?;
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
        self.write(|c| {
            let a = c.execute(
                "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
                p![unix(idle_cutoff), unix(absolute_cutoff)],
            )?;
            let b = c.execute("DELETE FROM login_failures WHERE at < ?1", p![unix(failures_cutoff)])?;
            Ok((a + b) as usize)
        })
    }

    /// Reserves a sign-in attempt for `account` from `ip_hash`, or says how many seconds to wait.
    /// Within `window`:
    /// - one name from one address gets `limit` tries (the person who forgot a password);
    /// - one address gets `4 × limit` tries over all names (one machine guessing many accounts);
    /// - one name over all addresses is never refused outright, so nobody can lock an editor out:
    ///   past `4 × limit` failures each further try waits an escalating delay (2, 4, 8 … s, at
    ///   most 30 s) after the previous failure.
    ///
    /// Reserving before the password is checked, in one write transaction, is what keeps throttling
    /// exact across instances: however many arrive together, at most `limit` passwords are checked
    /// per name and address per window. A successful sign-in clears the account's reservations.
    pub fn reserve_login_attempt(
        &self,
        account: &str,
        ip_hash: &str,
        limit: std::num::NonZeroU32,
        window: time::Duration,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        let (now_s, since) = (unix(now), unix(now - window));
        let window_s = window.whole_seconds();
        let limit = limit.get() as usize;
        self.write(|tx| {
            let times = |tx: &mut dyn super::sql::Conn,
                         sql: &str,
                         args: &[&dyn super::sql::Param]|
             -> Result<Vec<i64>, StoreError> {
                tx.query(sql, args)?.iter().map(|r| r.get::<i64>(0)).collect()
            };
            let pair = times(
                tx,
                "SELECT at FROM login_failures WHERE account = ?1 AND ip_hash = ?2 AND at >= ?3 ORDER BY at",
                p![account, ip_hash, since],
            )?;
            let address = times(
                tx,
                "SELECT at FROM login_failures WHERE ip_hash = ?1 AND at >= ?2 ORDER BY at",
                p![ip_hash, since],
            )?;
            for (found, most) in [(&pair, limit), (&address, 4 * limit)] {
                if found.len() >= most {
                    // The count drops below `most` once the attempt at len - most leaves the window.
                    return Ok(Some((found[found.len() - most] + window_s - now_s).max(1)));
                }
            }
            let name = times(
                tx,
                "SELECT at FROM login_failures WHERE account = ?1 AND at >= ?2 ORDER BY at",
                p![account, since],
            )?;
            if name.len() >= 4 * limit {
                let over = (name.len() - 4 * limit).min(4) as u32;
                let delay = (2i64 << over).min(30);
                let last = name.last().copied().unwrap_or(now_s);
                if now_s < last + delay {
                    return Ok(Some(last + delay - now_s));
                }
            }
            tx.execute(
                "INSERT INTO login_failures (at, account, ip_hash) VALUES (?1, ?2, ?3)",
                p![now_s, account, ip_hash],
            )?;
            Ok(None)
        })
    }

    /// Counts one post for `key` in its window of `window` from its first post; `Some(seconds)`
    /// when `limit` posts were already counted in the window, with the seconds until it ends.
    /// One write transaction, so instances sharing the store share the count exactly.
    pub fn take_rate(
        &self,
        key: &str,
        limit: u32,
        window: time::Duration,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        let (now, window) = (unix(now), window.whole_seconds());
        self.write(|tx| {
            let row = tx.query_opt("SELECT window_start, count FROM rate_limits WHERE key = ?1", p![key])?;
            match row {
                Some(r) if r.get::<i64>(0)? + window > now => {
                    let (start, count): (i64, i64) = (r.get(0)?, r.get(1)?);
                    if count >= i64::from(limit) {
                        return Ok(Some((start + window - now).max(1)));
                    }
                    tx.execute("UPDATE rate_limits SET count = count + 1 WHERE key = ?1", p![key])?;
                }
                _ => {
                    tx.execute(
                        "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
                         ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = 1",
                        p![key, now],
                    )?;
                }
            }
            Ok(None)
        })
    }

    /// Forgets rate-limit windows that ended before `cutoff`; returns how many.
    pub fn prune_rates(&self, cutoff: OffsetDateTime) -> Result<usize, StoreError> {
        let n =
            self.write(|c| c.execute("DELETE FROM rate_limits WHERE window_start < ?1", p![unix(cutoff)]))?;
        Ok(n as usize)
    }

    /// Forgets an account's failed sign-ins (after a successful one).
    pub fn clear_login_failures(&self, account: &str) -> Result<(), StoreError> {
        self.write(|c| c.execute("DELETE FROM login_failures WHERE account = ?1", p![account]))?;
        Ok(())
    }
}
