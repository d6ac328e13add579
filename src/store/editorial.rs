//! What the editors' side reads and writes beyond saving an article: listings with filters, single
//! revisions, due scheduled articles, and emptying the trash.

use super::{Revision, Store, StoreError, StoredArticle, busy, unix};
use crate::domain::{Article, Slug, Status, Tag};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use time::OffsetDateTime;

/// Filters of the editors' article list. Empty means "any".
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Only this status; `None` is every status except trashed.
    pub status: Option<Status>,
    /// Only articles with this tag.
    pub tag: Option<Tag>,
    /// Text found (case-insensitively for ASCII) in the title, slug, or anywhere in the article.
    pub text: Option<String>,
}

/// One line of the editors' article list.
#[derive(Debug, Clone)]
pub struct ArticleRow {
    /// The article as written.
    pub article: Article,
    /// When it was last saved.
    pub updated: OffsetDateTime,
}

/// A page of the editors' list with the number of matches.
#[derive(Debug, Clone)]
pub struct AdminListing {
    /// The page's rows, most recently saved first.
    pub rows: Vec<ArticleRow>,
    /// Matches in all.
    pub total: u64,
}

impl Store {
    /// A page of articles matching `filter`, most recently saved first.
    pub fn admin_articles(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
    ) -> Result<AdminListing, StoreError> {
        let status = filter.status.map(Status::as_str);
        let tag = filter.tag.as_ref().map(Tag::as_str);
        let like = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| {
            let escaped = t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        });
        let from = "FROM articles a WHERE
              ((?1 IS NULL AND a.status <> 'trashed') OR a.status = ?1)
              AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                         WHERE at.article_id = a.id AND t.name = ?2))
              AND (?3 IS NULL OR a.title LIKE ?3 ESCAPE '\\' OR a.slug LIKE ?3 ESCAPE '\\'
                   OR a.article_json LIKE ?3 ESCAPE '\\')";
        let conn = self.read();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) {from}"), params![status, tag, like], |r| r.get(0))?;
        let mut st = conn.prepare_cached(&format!(
            "SELECT a.article_json, a.updated_at {from} ORDER BY a.updated_at DESC, a.slug LIMIT ?4 OFFSET ?5"
        ))?;
        let rows = st.query_map(params![status, tag, like, limit as i64, offset as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (json, updated) = row?;
            out.push(ArticleRow { article: parse(&json)?, updated: from_unix(updated)? });
        }
        Ok(AdminListing { rows: out, total: total as u64 })
    }

    /// Scheduled articles whose time has come at `now`, earliest first.
    pub fn due_scheduled(&self, now: OffsetDateTime) -> Result<Vec<StoredArticle>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(
            "SELECT slug FROM articles WHERE status = 'scheduled' AND published_at <= ?1 ORDER BY published_at",
        )?;
        let slugs: Vec<String> = st.query_map([unix(now)], |r| r.get(0))?.collect::<Result<_, _>>()?;
        drop(st);
        drop(conn);
        let mut out = Vec::new();
        for s in slugs {
            let slug = Slug::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.extend(self.article(&slug)?);
        }
        Ok(out)
    }

    /// One revision of an article.
    pub fn revision(&self, slug: &Slug, id: i64) -> Result<Option<Revision>, StoreError> {
        let row: Option<(i64, i64, String, String, String)> = self
            .read()
            .query_row(
                "SELECT r.id, r.created_at, r.author, r.note, r.article_json FROM revisions r
                 JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1 AND r.id = ?2",
                params![slug.as_str(), id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        row.map(|(id, at, who, note, json)| {
            Ok(Revision { id, at: from_unix(at)?, who, note, article: parse(&json)? })
        })
        .transpose()
    }

    /// The id of an article's newest revision (to notice that someone else saved in the meantime).
    pub fn latest_revision_id(&self, slug: &Slug) -> Result<Option<i64>, StoreError> {
        Ok(self.read().query_row(
            "SELECT max(r.id) FROM revisions r JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1",
            [slug.as_str()],
            |r| r.get(0),
        )?)
    }

    /// Deletes every trashed article with its revisions, for good; returns their slugs. Each deletion is
    /// logged in the change log so servers drop it from caches and search.
    pub fn delete_trashed(&self, now: OffsetDateTime) -> Result<Vec<String>, StoreError> {
        let mut conn = self.write();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(busy)?;
        let slugs: Vec<String> = {
            let mut st = tx.prepare("SELECT slug FROM articles WHERE status = 'trashed' ORDER BY slug")?;
            st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        for s in &slugs {
            tx.execute("DELETE FROM articles WHERE slug = ?1", [s])?;
            tx.execute(
                "INSERT INTO changes (at, kind, slug) VALUES (?1, ?2, ?3)",
                params![unix(now), super::ChangeKind::Delete.as_str(), s],
            )?;
        }
        tx.commit().map_err(busy)?;
        Ok(slugs)
    }
}

fn parse(json: &str) -> Result<Article, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("article_json: {e}")))
}

fn from_unix(s: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}
