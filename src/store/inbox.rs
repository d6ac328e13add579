//! The editors' inbox: linking a message to the draft that answers it, and deleting messages.

use super::sql::p;
use super::{Store, StoreError, unix};
use crate::domain::Slug;
use time::OffsetDateTime;

impl Store {
    /// Records that `slug` answers message `id` and marks the message handled; false when there is no
    /// such message.
    pub fn link_message_article(
        &self,
        id: i64,
        slug: &Slug,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let n = self.write(|c| {
            c.execute(
                "UPDATE messages SET article_slug = ?2, status = 'handled', handled_at = ?3 WHERE id = ?1",
                p![id, slug.as_str(), unix(now)],
            )
        })?;
        Ok(n == 1)
    }

    /// The article that answers message `id`, if one was made.
    pub fn message_article(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.read(|c| {
            Ok(c.query_opt("SELECT article_slug FROM messages WHERE id = ?1", p![id])?
                .map(|r| r.get::<Option<String>>(0))
                .transpose()?
                .flatten())
        })
    }

    /// The message an article answers, if it was made from one.
    pub fn article_message(&self, slug: &Slug) -> Result<Option<i64>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT id FROM messages WHERE article_slug = ?1 ORDER BY id LIMIT 1",
                p![slug.as_str()],
            )?
            .map(|r| r.get(0))
            .transpose()
        })
    }

    /// Deletes a message (and its outbox entry); false when there is no such message.
    pub fn delete_message(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.write(|c| c.execute("DELETE FROM messages WHERE id = ?1", p![id]))? == 1)
    }
}
