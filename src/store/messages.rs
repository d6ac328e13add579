//! Contact Us messages and the notification outbox.

use super::sql::{Row, p};
use super::{Store, StoreError, unix};
use crate::domain::Message;
pub use crate::domain::{MessageKind, MessageStatus};
use time::OffsetDateTime;

/// A validated message with what the edge learnt about it.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// What the reader wrote.
    pub message: Message,
    /// Keyed hash of the sender's IP address (never the address).
    pub ip_hash: String,
    /// Unique id of the form instance; a resubmission of the same form is stored once.
    pub submission_id: String,
    /// Why the spam defences held it back, if they did.
    pub spam_reason: Option<String>,
    /// Queue an e-mail notification to the editors.
    pub notify: bool,
}

/// A message as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredMessage {
    /// Row id.
    pub id: i64,
    /// When it arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// Kind chosen by the reader.
    pub kind: MessageKind,
    /// Optional name.
    pub name: Option<String>,
    /// Optional address.
    pub email: Option<String>,
    /// The text as sent.
    pub body: String,
    /// Inbox status.
    pub status: MessageStatus,
    /// Why it was taken for spam.
    pub spam_reason: Option<String>,
    /// Keyed hash of the sender's address, for abuse review.
    pub ip_hash: String,
}

/// The columns [`message_row`] reads, in its order.
const MESSAGE_COLUMNS: &str =
    "m.id, m.received_at, m.kind, m.name, m.email, m.body, m.status, m.spam_reason, m.ip_hash";

impl Store {
    /// Durably stores a message (one write transaction; on SQLite synchronous=FULL) and, if asked,
    /// its outbox entry. Returns the id and whether it was new (false: the same form was already stored).
    pub fn insert_message(&self, m: &NewMessage, now: OffsetDateTime) -> Result<(i64, bool), StoreError> {
        self.write(|tx| {
            if let Some(row) = tx.query_opt("SELECT id FROM messages WHERE submission_id = ?1", p![m.submission_id])? {
                return Ok((row.get(0)?, false));
            }
            let status = if m.spam_reason.is_some() { MessageStatus::Spam } else { MessageStatus::New };
            let id: i64 = tx
                .query_one(
                    "INSERT INTO messages (received_at, kind, name, email, body, status, spam_reason, ip_hash, submission_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                    p![
                        unix(now),
                        m.message.kind.as_str(),
                        m.message.name,
                        m.message.email.as_ref().map(|e| e.as_str()),
                        m.message.body,
                        status.as_str(),
                        m.spam_reason,
                        m.ip_hash,
                        m.submission_id
                    ],
                )?
                .get(0)?;
            if m.notify && m.spam_reason.is_none() {
                tx.execute("INSERT INTO outbox (message_id, next_attempt_at) VALUES (?1, ?2)", p![id, unix(now)])?;
            }
            Ok((id, true))
        })
    }

    /// Messages, newest first, optionally of one status.
    pub fn messages(&self, status: Option<MessageStatus>) -> Result<Vec<StoredMessage>, StoreError> {
        self.read(|c| {
            c.query(
                &format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages m
                     WHERE CAST(?1 AS TEXT) IS NULL OR m.status = ?1 ORDER BY m.received_at DESC, m.id DESC"
                ),
                p![status.map(MessageStatus::as_str)],
            )?
            .iter()
            .map(|r| message_row(r, 0))
            .collect()
        })
    }

    /// One message.
    pub fn message(&self, id: i64) -> Result<Option<StoredMessage>, StoreError> {
        self.read(|c| {
            c.query_opt(&format!("SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?1"), p![id])?
                .map(|r| message_row(&r, 0))
                .transpose()
        })
    }

    /// Sets a message's status; returns false when there is no such message.
    pub fn set_message_status(
        &self,
        id: i64,
        status: MessageStatus,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let handled = (status == MessageStatus::Handled).then(|| unix(now));
        let n = self.write(|c| {
            c.execute(
                "UPDATE messages SET status = ?2, handled_at = ?3 WHERE id = ?1",
                p![id, status.as_str(), handled],
            )
        })?;
        Ok(n == 1)
    }

    /// Deletes handled messages handled before `cutoff` (retention); returns how many.
    pub fn delete_handled_before(&self, cutoff: OffsetDateTime) -> Result<usize, StoreError> {
        let n = self.write(|c| {
            c.execute("DELETE FROM messages WHERE status = 'handled' AND handled_at < ?1", p![unix(cutoff)])
        })?;
        Ok(n as usize)
    }

    /// Deletes messages held as spam since before `cutoff` (when marked, else when received); returns
    /// how many.
    pub fn delete_spam_before(&self, cutoff: OffsetDateTime) -> Result<usize, StoreError> {
        let n = self.write(|c| {
            c.execute(
                "DELETE FROM messages WHERE status = 'spam' AND coalesce(handled_at, received_at) < ?1",
                p![unix(cutoff)],
            )
        })?;
        Ok(n as usize)
    }

    /// Claims up to `limit` outbox entries due at `now` for this process: (outbox id, attempts,
    /// message). A claimed entry is not due again for `lease`, so instances polling together each
    /// send different ones; if this process dies before [`Store::outbox_sent`], another sends it
    /// when the lease runs out.
    pub fn outbox_claim(
        &self,
        now: OffsetDateTime,
        lease: time::Duration,
        limit: u32,
    ) -> Result<Vec<(i64, i64, StoredMessage)>, StoreError> {
        self.write(|tx| {
            let rows = tx.query(
                &format!(
                    "SELECT o.id, o.attempts, {MESSAGE_COLUMNS} FROM outbox o JOIN messages m ON m.id = o.message_id
                     WHERE o.sent_at IS NULL AND o.next_attempt_at <= ?1 ORDER BY o.next_attempt_at, o.id LIMIT ?2"
                ),
                p![unix(now), limit],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let oid: i64 = r.get(0)?;
                tx.execute("UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1", p![oid, unix(now + lease)])?;
                out.push((oid, r.get(1)?, message_row(r, 2)?));
            }
            Ok(out)
        })
    }

    /// Marks an outbox entry sent (it is never sent again).
    pub fn outbox_sent(&self, outbox_id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        self.write(|c| c.execute("UPDATE outbox SET sent_at = ?2 WHERE id = ?1", p![outbox_id, unix(now)]))?;
        Ok(())
    }

    /// Records a failed attempt and when to try next.
    pub fn outbox_failed(&self, outbox_id: i64, error: &str, next: OffsetDateTime) -> Result<(), StoreError> {
        self.write(|c| {
            c.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
                p![outbox_id, error, unix(next)],
            )
        })?;
        Ok(())
    }

    /// Every outbox entry: (message id, attempts, sent).
    pub fn outbox_entries(&self) -> Result<Vec<(i64, i64, bool)>, StoreError> {
        self.read(|c| {
            c.query("SELECT message_id, attempts, sent_at IS NOT NULL FROM outbox ORDER BY id", p![])?
                .iter()
                .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .collect()
        })
    }

    /// Count of outbox entries not yet sent.
    pub fn outbox_pending(&self) -> Result<u64, StoreError> {
        self.read(|c| {
            Ok(c.query_one("SELECT count(*) FROM outbox WHERE sent_at IS NULL", p![])?.get::<i64>(0)? as u64)
        })
    }
}

/// A message from [`MESSAGE_COLUMNS`] starting at column `o`.
fn message_row(r: &Row, o: usize) -> Result<StoredMessage, StoreError> {
    let kind: String = r.get(o + 2)?;
    let status: String = r.get(o + 6)?;
    Ok(StoredMessage {
        id: r.get(o)?,
        received_at: OffsetDateTime::from_unix_timestamp(r.get(o + 1)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        kind: MessageKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("message kind {kind}")))?,
        name: r.get(o + 3)?,
        email: r.get(o + 4)?,
        body: r.get(o + 5)?,
        status: MessageStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        spam_reason: r.get(o + 7)?,
        ip_hash: r.get(o + 8)?,
    })
}
