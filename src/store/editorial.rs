//! What the editors' side reads and writes beyond saving an article: listings with filters, single
//! revisions, due scheduled articles, and emptying the trash.

use super::articles::{from_unix, log_change, parse_json, revision};
use super::sql::p;
use super::{ChangeKind, Revision, Store, StoreError, StoredArticle, unix};
use crate::domain::{Article, Slug, Status, Tag};
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
        // lower() on both sides, by the same function: SQLite's LIKE ignores ASCII case, PostgreSQL's
        // does not.
        let from = "FROM articles a WHERE
              ((CAST(?1 AS TEXT) IS NULL AND a.status <> 'trashed') OR a.status = ?1)
              AND (CAST(?2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                         WHERE at.article_id = a.id AND t.name = ?2))
              AND (CAST(?3 AS TEXT) IS NULL OR lower(a.title) LIKE lower(?3) ESCAPE '\\' OR lower(a.slug) LIKE lower(?3) ESCAPE '\\'
                   OR lower(a.article_json) LIKE lower(?3) ESCAPE '\\')";
        self.read(|c| {
            let total: i64 = c.query_one(&format!("SELECT count(*) {from}"), p![status, tag, like])?.get(0)?;
            let rows = c.query(
                &format!(
                    "SELECT a.article_json, a.updated_at {from} ORDER BY a.updated_at DESC, a.slug LIMIT ?4 OFFSET ?5"
                ),
                p![status, tag, like, limit as i64, offset as i64],
            )?;
            let rows = rows
                .iter()
                .map(|r| Ok(ArticleRow { article: parse_json(&r.get::<String>(0)?)?, updated: from_unix(r.get(1)?)? }))
                .collect::<Result<_, StoreError>>()?;
            Ok(AdminListing { rows, total: total as u64 })
        })
    }

    /// Scheduled articles whose time has come at `now`, earliest first.
    pub fn due_scheduled(&self, now: OffsetDateTime) -> Result<Vec<StoredArticle>, StoreError> {
        let slugs: Vec<String> = self.read(|c| {
            c.query(
                "SELECT slug FROM articles WHERE status = 'scheduled' AND published_at <= ?1 ORDER BY published_at, slug",
                p![unix(now)],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect()
        })?;
        let mut out = Vec::new();
        for s in slugs {
            let slug = Slug::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.extend(self.article(&slug)?);
        }
        Ok(out)
    }

    /// One revision of an article.
    pub fn revision(&self, slug: &Slug, id: i64) -> Result<Option<Revision>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT r.id, r.created_at, r.author, r.note, r.article_json FROM revisions r
                 JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1 AND r.id = ?2",
                p![slug.as_str(), id],
            )?
            .as_ref()
            .map(revision)
            .transpose()
        })
    }

    /// The id of an article's newest revision (to notice that someone else saved in the meantime).
    pub fn latest_revision_id(&self, slug: &Slug) -> Result<Option<i64>, StoreError> {
        self.read(|c| {
            c.query_one(
                "SELECT max(r.id) FROM revisions r JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1",
                p![slug.as_str()],
            )?
            .get(0)
        })
    }

    /// Deletes every trashed article with its revisions, for good; returns their slugs. Each deletion is
    /// logged in the change log so servers drop it from caches and search.
    pub fn delete_trashed(&self, shown: &[Slug], now: OffsetDateTime) -> Result<Vec<String>, StoreError> {
        self.write(|tx| {
            let mut gone = Vec::new();
            for s in shown {
                // Still in the trash inside this transaction: one restored since is kept.
                let n = tx
                    .execute("DELETE FROM articles WHERE slug = ?1 AND status = 'trashed'", p![s.as_str()])?;
                if n > 0 {
                    log_change(tx, ChangeKind::Delete, Some(s.as_str()), now)?;
                    gone.push(s.to_string());
                }
            }
            Ok(gone)
        })
    }
}
