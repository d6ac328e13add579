//! Articles, tags, revisions and the change log.

use super::{Store, StoreError, busy, unix};
use crate::domain::{Article, ArticleSummary, Slug, Tag, TagCount};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
use time::OffsetDateTime;

/// An article as stored: the article plus derived and bookkeeping data.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    /// The article as written.
    pub article: Article,
    /// Rendered, sanitised body.
    pub body_html: String,
    /// When the store first saw it.
    pub created: OffsetDateTime,
    /// When the store last changed it.
    pub updated: OffsetDateTime,
    /// When readers see it as published (the article's date, else its creation).
    pub sort_at: OffsetDateTime,
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new slug.
    Created,
    /// An existing slug with different content; the new version is a revision.
    Updated,
    /// Identical to what is stored: nothing written.
    Unchanged,
}

/// A saved version of an article.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Row id.
    pub id: i64,
    /// When it was saved.
    pub at: OffsetDateTime,
    /// Who saved it ("import", an editor's name).
    pub who: String,
    /// Why (file name, override reason …).
    pub note: String,
    /// The article as saved.
    pub article: Article,
}

/// What a change-log entry says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// An article was saved (created, edited, published …): re-read it.
    Article,
    /// An article was deleted for good.
    Delete,
    /// Stored HTML was rebuilt by a new renderer: every page may differ.
    Rerender,
    /// Someone asked for the search index to be rebuilt (`reindex` while a server runs).
    Reindex,
    /// A kind this build does not know (written by a newer one): something changed.
    Unknown,
}

impl ChangeKind {
    /// The name stored in the `changes` table.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Article => "article",
            ChangeKind::Delete => "delete",
            ChangeKind::Rerender => "rerender",
            ChangeKind::Reindex => "reindex",
            ChangeKind::Unknown => "unknown",
        }
    }

    fn parse(s: &str) -> ChangeKind {
        match s {
            "article" => ChangeKind::Article,
            "delete" => ChangeKind::Delete,
            "rerender" => ChangeKind::Rerender,
            "reindex" => ChangeKind::Reindex,
            _ => ChangeKind::Unknown,
        }
    }
}

/// One entry of the change log.
#[derive(Debug, Clone)]
pub struct Change {
    /// Increasing sequence number.
    pub seq: i64,
    /// What happened.
    pub kind: ChangeKind,
    /// The article concerned.
    pub slug: Option<String>,
}

const PUBLIC: &str = "(a.status = 'published' OR (a.status = 'scheduled' AND a.published_at <= ?1))";

impl Store {
    /// Saves `article` (insert or update by slug) with its rendered HTML, in one immediate transaction,
    /// recording a revision and a change-log entry. Identical content is not rewritten.
    pub fn save_article(
        &self,
        article: &Article,
        body_html: &str,
        renderer_version: i64,
        who: &str,
        note: &str,
        now: OffsetDateTime,
    ) -> Result<SaveOutcome, StoreError> {
        let json = serde_json::to_string(article).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut conn = self.write();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(busy)?;
        let existing: Option<(i64, String, i64)> = tx
            .query_row(
                "SELECT id, article_json, created_at FROM articles WHERE slug = ?1",
                [article.slug.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let now_s = unix(now);
        let published = article.published.map(unix);
        let (id, outcome) = match existing {
            Some((_, old_json, _)) if old_json == json => return Ok(SaveOutcome::Unchanged),
            Some((id, _, created)) => {
                tx.execute(
                    "UPDATE articles SET title = ?2, status = ?3, published_at = ?4, sort_at = ?5, updated_at = ?6,
                     article_json = ?7, body_html = ?8, renderer_version = ?9 WHERE id = ?1",
                    params![
                        id,
                        article.title,
                        article.status.as_str(),
                        published,
                        published.unwrap_or(created),
                        now_s,
                        json,
                        body_html,
                        renderer_version
                    ],
                )?;
                tx.execute("DELETE FROM article_tags WHERE article_id = ?1", [id])?;
                (id, SaveOutcome::Updated)
            }
            None => {
                let created = article.created.map_or(now_s, unix);
                tx.execute(
                    "INSERT INTO articles (slug, title, status, published_at, sort_at, created_at, updated_at,
                     article_json, body_html, renderer_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        article.slug.as_str(),
                        article.title,
                        article.status.as_str(),
                        published,
                        published.unwrap_or(created),
                        created,
                        now_s,
                        json,
                        body_html,
                        renderer_version
                    ],
                )?;
                (tx.last_insert_rowid(), SaveOutcome::Created)
            }
        };
        for (pos, tag) in article.tags.iter().enumerate() {
            tx.execute("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING", [tag.as_str()])?;
            tx.execute(
                "INSERT INTO article_tags (article_id, tag_id, position) SELECT ?1, id, ?2 FROM tags WHERE name = ?3",
                params![id, pos as i64, tag.as_str()],
            )?;
        }
        tx.execute(
            "INSERT INTO revisions (article_id, created_at, author, note, article_json) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, now_s, who, note, json],
        )?;
        tx.execute(
            "INSERT INTO changes (at, kind, slug) VALUES (?1, ?2, ?3)",
            params![now_s, ChangeKind::Article.as_str(), article.slug.as_str()],
        )?;
        tx.commit().map_err(busy)?;
        Ok(outcome)
    }

    /// Replaces derived HTML for articles rendered by an older renderer; `render` maps Markdown to HTML.
    pub fn rerender_stale(&self, version: i64, render: impl Fn(&str) -> String) -> Result<usize, StoreError> {
        let stale: Vec<(i64, String)> = {
            let conn = self.read();
            let mut st =
                conn.prepare("SELECT id, article_json FROM articles WHERE renderer_version <> ?1")?;
            st.query_map([version], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?
        };
        if stale.is_empty() {
            return Ok(0);
        }
        let mut conn = self.write();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(busy)?;
        for (id, json) in &stale {
            let a = parse_json(json)?;
            tx.execute(
                "UPDATE articles SET body_html = ?2, renderer_version = ?3 WHERE id = ?1",
                params![id, render(&a.body), version],
            )?;
        }
        tx.execute(
            "INSERT INTO changes (at, kind) VALUES (unixepoch(), ?1)",
            [ChangeKind::Rerender.as_str()],
        )?;
        tx.commit().map_err(busy)?;
        Ok(stale.len())
    }

    /// One article by slug, whatever its status.
    pub fn article(&self, slug: &Slug) -> Result<Option<StoredArticle>, StoreError> {
        self.read()
            .query_row(
                "SELECT article_json, body_html, created_at, updated_at, sort_at FROM articles WHERE slug = ?1",
                [slug.as_str()],
                stored,
            )
            .optional()?
            .transpose()
    }

    /// Every article, in slug order, whatever its status (export, reindex, checks).
    pub fn all_articles(&self) -> Result<Vec<StoredArticle>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare(
            "SELECT article_json, body_html, created_at, updated_at, sort_at FROM articles ORDER BY slug",
        )?;
        let rows = st.query_map([], stored)?;
        rows.map(|r| r?).collect()
    }

    /// Number of articles of any status.
    pub fn article_count(&self) -> Result<u64, StoreError> {
        Ok(self.read().query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// A page of public articles, newest first, with the total count.
    pub fn public_articles(
        &self,
        now: OffsetDateTime,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ArticleSummary>, u64), StoreError> {
        let conn = self.read();
        let total =
            conn.query_row(&format!("SELECT count(*) FROM articles a WHERE {PUBLIC}"), [unix(now)], |r| {
                r.get::<_, i64>(0)
            })? as u64;
        let mut st = conn.prepare_cached(&format!(
            "SELECT a.article_json, a.sort_at FROM articles a WHERE {PUBLIC} ORDER BY a.sort_at DESC, a.slug LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = st.query_map(params![unix(now), limit as i64, offset as i64], summary)?;
        Ok((rows.map(|r| r?).collect::<Result<_, _>>()?, total))
    }

    /// A page of public articles with `tag`, newest first, with the total count.
    pub fn tagged_articles(
        &self,
        tag: &Tag,
        now: OffsetDateTime,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ArticleSummary>, u64), StoreError> {
        let conn = self.read();
        let from = format!(
            "FROM articles a JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id
             WHERE t.name = ?2 AND {PUBLIC}"
        );
        let total =
            conn.query_row(&format!("SELECT count(*) {from}"), params![unix(now), tag.as_str()], |r| {
                r.get::<_, i64>(0)
            })? as u64;
        let mut st = conn.prepare_cached(&format!(
            "SELECT a.article_json, a.sort_at {from} ORDER BY a.sort_at DESC, a.slug LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = st.query_map(params![unix(now), tag.as_str(), limit as i64, offset as i64], summary)?;
        Ok((rows.map(|r| r?).collect::<Result<_, _>>()?, total))
    }

    /// The newest public articles with their bodies (feeds), optionally only those with `tag`.
    pub fn recent_public(
        &self,
        now: OffsetDateTime,
        tag: Option<&Tag>,
        limit: u64,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(&format!(
            "SELECT a.article_json, a.body_html, a.created_at, a.updated_at, a.sort_at FROM articles a
             WHERE {PUBLIC} AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                                     WHERE at.article_id = a.id AND t.name = ?2))
             ORDER BY a.sort_at DESC, a.slug LIMIT ?3"
        ))?;
        let rows = st.query_map(params![unix(now), tag.map(Tag::as_str), limit as i64], stored)?;
        rows.map(|r| r?).collect()
    }

    /// Every public article's slug and last change, for the sitemap.
    pub fn public_slugs(&self, now: OffsetDateTime) -> Result<Vec<(String, OffsetDateTime)>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(&format!(
            "SELECT a.slug, max(a.updated_at, a.sort_at) FROM articles a WHERE {PUBLIC} ORDER BY a.sort_at DESC, a.slug"
        ))?;
        let rows = st.query_map([unix(now)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (slug, t) = row?;
            out.push((slug, from_unix(t)?));
        }
        Ok(out)
    }

    /// Every tag with at least one public article, with counts, by name.
    pub fn tag_counts(&self, now: OffsetDateTime) -> Result<Vec<TagCount>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(&format!(
            "SELECT t.name, count(*) FROM tags t JOIN article_tags at ON at.tag_id = t.id
             JOIN articles a ON a.id = at.article_id WHERE {PUBLIC} GROUP BY t.name ORDER BY t.name"
        ))?;
        let rows = st.query_map([unix(now)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, count) = row?;
            let tag = Tag::parse(&name).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push(TagCount { tag, count });
        }
        Ok(out)
    }

    /// Public articles sharing the most tags with `slug` (ties: newest first).
    pub fn related(
        &self,
        slug: &Slug,
        now: OffsetDateTime,
        limit: u64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare_cached(&format!(
            "SELECT a.article_json, a.sort_at FROM articles a
             JOIN article_tags at ON at.article_id = a.id
             WHERE at.tag_id IN (SELECT at2.tag_id FROM article_tags at2 JOIN articles s ON s.id = at2.article_id WHERE s.slug = ?2)
               AND a.slug <> ?2 AND {PUBLIC}
             GROUP BY a.id ORDER BY count(*) DESC, a.sort_at DESC LIMIT ?3"
        ))?;
        let rows = st.query_map(params![unix(now), slug.as_str(), limit as i64], summary)?;
        rows.map(|r| r?).collect()
    }

    /// Revisions of an article, oldest first.
    pub fn revisions(&self, slug: &Slug) -> Result<Vec<Revision>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare(
            "SELECT r.id, r.created_at, r.author, r.note, r.article_json FROM revisions r
             JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1 ORDER BY r.id",
        )?;
        let rows = st.query_map([slug.as_str()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, who, note, json) = row?;
            out.push(Revision { id, at: from_unix(at)?, who, note, article: parse_json(&json)? });
        }
        Ok(out)
    }

    /// Replaces the editorial findings kept with an article (a JSON array, as the checker serialises them).
    pub fn set_findings(&self, slug: &Slug, findings_json: &str) -> Result<(), StoreError> {
        self.write().execute(
            "UPDATE articles SET findings_json = ?2 WHERE slug = ?1",
            params![slug.as_str(), findings_json],
        )?;
        Ok(())
    }

    /// The editorial findings kept with an article (a JSON array), if it exists.
    pub fn findings(&self, slug: &Slug) -> Result<Option<String>, StoreError> {
        Ok(self
            .read()
            .query_row("SELECT findings_json FROM articles WHERE slug = ?1", [slug.as_str()], |r| r.get(0))
            .optional()?)
    }

    /// Every slug in the store, whatever the status (for internal-link checks).
    pub fn slugs(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let conn = self.read();
        let mut st = conn.prepare("SELECT slug FROM articles")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The newest change-log sequence number (0 when empty). Cheap: servers poll it.
    pub fn change_seq(&self) -> Result<i64, StoreError> {
        Ok(self.read().query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?)
    }

    /// Change-log entries after `seq`, oldest first.
    pub fn changes_since(&self, seq: i64) -> Result<Vec<Change>, StoreError> {
        let conn = self.read();
        let mut st =
            conn.prepare_cached("SELECT seq, kind, slug FROM changes WHERE seq > ?1 ORDER BY seq")?;
        let rows = st.query_map([seq], |r| {
            let kind: String = r.get(1)?;
            Ok(Change { seq: r.get(0)?, kind: ChangeKind::parse(&kind), slug: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn parse_json(json: &str) -> Result<Article, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("article_json: {e}")))
}

fn from_unix(s: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn stored(r: &Row<'_>) -> rusqlite::Result<Result<StoredArticle, StoreError>> {
    let json: String = r.get(0)?;
    let html: String = r.get(1)?;
    let (c, u, s): (i64, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
    Ok((|| {
        Ok(StoredArticle {
            article: parse_json(&json)?,
            body_html: html,
            created: from_unix(c)?,
            updated: from_unix(u)?,
            sort_at: from_unix(s)?,
        })
    })())
}

fn summary(r: &Row<'_>) -> rusqlite::Result<Result<ArticleSummary, StoreError>> {
    let json: String = r.get(0)?;
    let sort_at: i64 = r.get(1)?;
    Ok((|| {
        let a = parse_json(&json)?;
        let description = a.summary().to_owned();
        Ok(ArticleSummary {
            slug: a.slug,
            title: a.title,
            description,
            question: a.question,
            tags: a.tags,
            published: from_unix(sort_at)?,
        })
    })())
}
