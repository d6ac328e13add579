//! Contact Us messages and the notification outbox.

use super::{Store, StoreError, busy, unix};
use crate::domain::Message;
pub use crate::domain::{MessageKind, MessageStatus};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
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

impl Store {
    /// Durably stores a message (immediate transaction, synchronous=FULL) and, if asked, its outbox entry.
    /// Returns the id and whether it was new (false: the same form was already stored).
    pub fn insert_message(&self, m: &NewMessage, now: OffsetDateTime) -> Result<(i64, bool), StoreError> {
        let mut conn = self.write();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(busy)?;
        if let Some(id) = tx
            .query_row("SELECT id FROM messages WHERE submission_id = ?1", [&m.submission_id], |r| r.get(0))
            .optional()?
        {
            return Ok((id, false));
        }
        let status = if m.spam_reason.is_some() { MessageStatus::Spam } else { MessageStatus::New };
        tx.execute(
            "INSERT INTO messages (received_at, kind, name, email, body, status, spam_reason, ip_hash, submission_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
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
        )?;
        let id = tx.last_insert_rowid();
        if m.notify && m.spam_reason.is_none() {
            tx.execute(
                "INSERT INTO outbox (message_id, next_attempt_at) VALUES (?1, ?2)",
                params![id, unix(now)],
            )?;
        }
        tx.commit().map_err(busy)?;
        Ok((id, true))
    }

    /// Messages, newest first, optionally of one status.
    pub fn messages(&self, status: Option<MessageStatus>) -> Result<Vec<StoredMessage>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(
            "SELECT id, received_at, kind, name, email, body, status, spam_reason, ip_hash FROM messages
             WHERE ?1 IS NULL OR status = ?1 ORDER BY received_at DESC, id DESC",
        )?;
        let rows = st.query_map([status.map(MessageStatus::as_str)], message_row)?;
        rows.map(|r| r?).collect()
    }

    /// One message.
    pub fn message(&self, id: i64) -> Result<Option<StoredMessage>, StoreError> {
        self.read()
            .query_row(
                "SELECT id, received_at, kind, name, email, body, status, spam_reason, ip_hash FROM messages WHERE id = ?1",
                [id],
                message_row,
            )
            .optional()?
            .transpose()
    }

    /// Sets a message's status; returns false when there is no such message.
    pub fn set_message_status(
        &self,
        id: i64,
        status: MessageStatus,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let handled = (status == MessageStatus::Handled).then(|| unix(now));
        let n = self.write().execute(
            "UPDATE messages SET status = ?2, handled_at = ?3 WHERE id = ?1",
            params![id, status.as_str(), handled],
        )?;
        Ok(n == 1)
    }

    /// Deletes handled messages handled before `cutoff` (retention); returns how many.
    pub fn delete_handled_before(&self, cutoff: OffsetDateTime) -> Result<usize, StoreError> {
        Ok(self
            .write()
            .execute("DELETE FROM messages WHERE status = 'handled' AND handled_at < ?1", [unix(cutoff)])?)
    }

    /// Outbox entries due at `now`: (outbox id, attempts, message).
    pub fn outbox_due(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<(i64, i64, StoredMessage)>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(
            "SELECT o.id, o.attempts, m.id, m.received_at, m.kind, m.name, m.email, m.body, m.status, m.spam_reason, m.ip_hash
             FROM outbox o JOIN messages m ON m.id = o.message_id
             WHERE o.sent_at IS NULL AND o.next_attempt_at <= ?1 ORDER BY o.next_attempt_at LIMIT ?2",
        )?;
        let rows = st.query_map(params![unix(now), limit], |r| {
            let oid: i64 = r.get(0)?;
            let attempts: i64 = r.get(1)?;
            Ok(shifted_message_row(r).map(|m| (oid, attempts, m)))
        })?;
        rows.map(|r| r?).collect()
    }

    /// Marks an outbox entry sent (it is never sent again).
    pub fn outbox_sent(&self, outbox_id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        self.write()
            .execute("UPDATE outbox SET sent_at = ?2 WHERE id = ?1", params![outbox_id, unix(now)])?;
        Ok(())
    }

    /// Records a failed attempt and when to try next.
    pub fn outbox_failed(&self, outbox_id: i64, error: &str, next: OffsetDateTime) -> Result<(), StoreError> {
        self.write().execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
            params![outbox_id, error, unix(next)],
        )?;
        Ok(())
    }

    /// Every outbox entry: (message id, attempts, sent).
    pub fn outbox_entries(&self) -> Result<Vec<(i64, i64, bool)>, StoreError> {
        let conn = self.read();
        let mut st =
            conn.prepare("SELECT message_id, attempts, sent_at IS NOT NULL FROM outbox ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Count of outbox entries not yet sent.
    pub fn outbox_pending(&self) -> Result<u64, StoreError> {
        Ok(self
            .read()
            .query_row("SELECT count(*) FROM outbox WHERE sent_at IS NULL", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}

fn message_row(r: &Row<'_>) -> rusqlite::Result<Result<StoredMessage, StoreError>> {
    read_message(r, 0)
}

fn shifted_message_row(r: &Row<'_>) -> Result<StoredMessage, StoreError> {
    read_message(r, 2).map_err(StoreError::from)?
}

fn read_message(r: &Row<'_>, o: usize) -> rusqlite::Result<Result<StoredMessage, StoreError>> {
    let at: i64 = r.get(o + 1)?;
    let kind: String = r.get(o + 2)?;
    let status: String = r.get(o + 6)?;
    let m = (|| {
        Ok(StoredMessage {
            id: r.get(o)?,
            received_at: OffsetDateTime::from_unix_timestamp(at)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            kind: MessageKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("message kind {kind}")))?,
            name: r.get(o + 3)?,
            email: r.get(o + 4)?,
            body: r.get(o + 5)?,
            status: MessageStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
            spam_reason: r.get(o + 7)?,
            ip_hash: r.get(o + 8)?,
        })
    })();
    Ok(m)
}
