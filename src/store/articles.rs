//! Articles, tags, revisions and the change log.

use super::sql::{Conn, Dialect, Param, Row, p};
use super::{Store, StoreError, unix};
use crate::domain::{Article, ArticleSummary, OldPath, Slug, Tag, TagCount, Translation};
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

/// One tag of one article, with what decides whether and where the article is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagLink {
    /// The article.
    pub slug: String,
    /// Its status as stored (`published`, `scheduled`, …).
    pub status: String,
    /// Its publication time (unix seconds), if any.
    pub published_at: Option<i64>,
    /// Its place in listings (unix seconds).
    pub sort_at: i64,
    /// The tag.
    pub tag: String,
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

/// Appends a change-log entry in the current write transaction; on PostgreSQL also announces it to
/// the other instances (delivered when the transaction commits, not before).
pub(super) fn log_change(
    c: &mut dyn Conn,
    kind: ChangeKind,
    slug: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO changes (at, kind, slug) VALUES (?1, ?2, ?3)",
        p![unix(now), kind.as_str(), slug],
    )?;
    if c.dialect() == Dialect::Postgres {
        c.execute(&format!("SELECT pg_notify('{}', '')", super::pg::CHANNEL), p![])?;
    }
    Ok(())
}

impl Store {
    /// Saves `article` (insert or update by slug) with its rendered HTML, in one write transaction,
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
        self.save_article_based_on(article, body_html, renderer_version, who, note, now, None)
    }

    /// [`Store::save_article`], refused with [`StoreError::Conflict`] when `base` is given and is not
    /// the article's newest revision any more: someone saved in between. The check and the write
    /// are one write transaction, so of two saves from the same revision exactly one wins, on one
    /// instance or several.
    #[allow(clippy::too_many_arguments, reason = "save_article's arguments plus the base it was edited from")]
    pub fn save_article_based_on(
        &self,
        article: &Article,
        body_html: &str,
        renderer_version: i64,
        who: &str,
        note: &str,
        now: OffsetDateTime,
        base: Option<i64>,
    ) -> Result<SaveOutcome, StoreError> {
        let item = ArticleWrite {
            article,
            body_html,
            renderer_version,
            who,
            note,
            findings_json: None,
            old_paths: &[],
        };
        self.write(|tx| save_in(tx, &item, now, base))
    }

    /// Saves many articles in one write transaction with one durable commit, each inside a
    /// savepoint of its own: an article the store refuses is rolled back alone and reported at its
    /// place in the result, and the others are kept. This is how an import writes thousands of files
    /// without a disk flush per file.
    pub fn save_articles(
        &self,
        items: &[ArticleWrite<'_>],
        now: OffsetDateTime,
    ) -> Result<Vec<Result<SaveOutcome, StoreError>>, StoreError> {
        self.write(|tx| {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                tx.execute("SAVEPOINT article", p![])?;
                let saved = save_in(tx, item, now, None).and_then(|outcome| {
                    super::redirects::insert(tx, &item.article.slug, item.old_paths, item.note, now)?;
                    Ok(outcome)
                });
                match saved {
                    Ok(outcome) => {
                        tx.execute("RELEASE SAVEPOINT article", p![])?;
                        out.push(Ok(outcome));
                    }
                    Err(e) => {
                        tx.execute("ROLLBACK TO SAVEPOINT article", p![])?;
                        tx.execute("RELEASE SAVEPOINT article", p![])?;
                        out.push(Err(e));
                    }
                }
            }
            Ok(out)
        })
    }

    /// Replaces derived HTML for articles rendered by an older renderer; `render` maps Markdown to HTML.
    pub fn rerender_stale(
        &self,
        version: i64,
        now: OffsetDateTime,
        render: impl Fn(&str) -> String,
    ) -> Result<usize, StoreError> {
        let stale = self.read(|c| {
            let rows =
                c.query("SELECT id, article_json FROM articles WHERE renderer_version <> ?1", p![version])?;
            rows.iter()
                .map(|r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        if stale.is_empty() {
            return Ok(0);
        }
        self.write(|tx| {
            for (id, json) in &stale {
                let a = parse_json(json)?;
                tx.execute(
                    "UPDATE articles SET body_html = ?2, renderer_version = ?3 WHERE id = ?1",
                    p![id, render(&a.body), version],
                )?;
            }
            log_change(tx, ChangeKind::Rerender, None, now)
        })?;
        Ok(stale.len())
    }

    /// One article by slug, whatever its status.
    pub fn article(&self, slug: &Slug) -> Result<Option<StoredArticle>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT article_json, body_html, created_at, updated_at, sort_at FROM articles WHERE slug = ?1",
                p![slug.as_str()],
            )?
            .as_ref()
            .map(stored)
            .transpose()
        })
    }

    /// Every article, in slug order, whatever its status (export, reindex, checks).
    pub fn all_articles(&self) -> Result<Vec<StoredArticle>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                "SELECT article_json, body_html, created_at, updated_at, sort_at FROM articles ORDER BY slug",
                p![],
            )?;
            rows.iter().map(stored).collect()
        })
    }

    /// Up to `limit` articles after `after` in slug order (from the first when `None`), whatever
    /// their status: for walking the whole site a chunk at a time (the search rebuild).
    pub fn articles_after(&self, after: Option<&Slug>, limit: u64) -> Result<Vec<StoredArticle>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                "SELECT article_json, body_html, created_at, updated_at, sort_at FROM articles
                 WHERE CAST(?1 AS TEXT) IS NULL OR slug > ?1 ORDER BY slug LIMIT ?2",
                p![after.map(Slug::as_str), limit as i64],
            )?;
            rows.iter().map(stored).collect()
        })
    }

    /// Number of articles of any status.
    pub fn article_count(&self) -> Result<u64, StoreError> {
        self.read(|c| Ok(c.query_one("SELECT count(*) FROM articles", p![])?.get::<i64>(0)? as u64))
    }

    /// A page of public articles, newest first, with the total count.
    pub fn public_articles(
        &self,
        now: OffsetDateTime,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<ArticleSummary>, u64), StoreError> {
        self.read(|c| {
            let total =
                c.query_one(&format!("SELECT count(*) FROM articles a WHERE {PUBLIC}"), p![unix(now)])?;
            // The page's ids from the covering index first, then only those rows' text.
            let rows = c.query(
                &format!(
                    "SELECT a.article_json, a.sort_at FROM articles a WHERE a.id IN (
                       SELECT a.id FROM articles a WHERE {PUBLIC} ORDER BY a.sort_at DESC, a.slug LIMIT ?2 OFFSET ?3)
                     ORDER BY a.sort_at DESC, a.slug"
                ),
                p![unix(now), limit as i64, offset as i64],
            )?;
            Ok((rows.iter().map(summary).collect::<Result<_, _>>()?, total.get::<i64>(0)? as u64))
        })
    }

    /// The newest public articles with their bodies (the site feeds; the static export).
    pub fn recent_public(&self, now: OffsetDateTime, limit: u64) -> Result<Vec<StoredArticle>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                &format!(
                    "SELECT a.article_json, a.body_html, a.created_at, a.updated_at, a.sort_at FROM articles a
                     WHERE {PUBLIC} ORDER BY a.sort_at DESC, a.slug LIMIT ?2"
                ),
                p![unix(now), limit as i64],
            )?;
            rows.iter().map(stored).collect()
        })
    }

    /// Every public article's slug and last change, for the sitemap.
    pub fn public_slugs(&self, now: OffsetDateTime) -> Result<Vec<(String, OffsetDateTime)>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                &format!(
                    "SELECT a.slug, CASE WHEN a.updated_at > a.sort_at THEN a.updated_at ELSE a.sort_at END
                     FROM articles a WHERE {PUBLIC} ORDER BY a.sort_at DESC, a.slug"
                ),
                p![unix(now)],
            )?;
            rows.iter().map(|r| Ok((r.get::<String>(0)?, from_unix(r.get(1)?)?))).collect()
        })
    }

    /// Every tag with at least one public article, with counts, by name.
    pub fn tag_counts(&self, now: OffsetDateTime) -> Result<Vec<TagCount>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                &format!(
                    "SELECT t.name, count(*) FROM tags t JOIN article_tags at ON at.tag_id = t.id
                     JOIN articles a ON a.id = at.article_id WHERE {PUBLIC} GROUP BY t.name ORDER BY t.name"
                ),
                p![unix(now)],
            )?;
            rows.iter()
                .map(|r| {
                    let name: String = r.get(0)?;
                    let tag = Tag::parse(&name).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    Ok(TagCount { tag, count: r.get::<i64>(1)? as u64 })
                })
                .collect()
        })
    }

    /// Every tag of `slug` (every article's when `None`) with the article's status and order, one
    /// row per tag, an article's rows together: what the related-articles ranking keeps in memory.
    pub fn tag_links(&self, slug: Option<&Slug>) -> Result<Vec<TagLink>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                "SELECT a.slug, a.status, a.published_at, a.sort_at, t.name
                 FROM articles a JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id
                 WHERE CAST(?1 AS TEXT) IS NULL OR a.slug = ?1
                 ORDER BY a.id, at.position",
                p![slug.map(Slug::as_str)],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(TagLink {
                        slug: r.get(0)?,
                        status: r.get(1)?,
                        published_at: r.get(2)?,
                        sort_at: r.get(3)?,
                        tag: r.get(4)?,
                    })
                })
                .collect()
        })
    }

    /// The public articles among `slugs`, in that order (a slug not public or not found is left out).
    pub fn summaries(
        &self,
        slugs: &[String],
        now: OffsetDateTime,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let mut found = self.public_among(slugs, now, "a.article_json, a.sort_at", summary)?;
        found.sort_by_key(|a| slugs.iter().position(|s| s == a.slug.as_str()));
        Ok(found)
    }

    /// The public articles among `slugs`, whole, in that order (as [`Store::summaries`]).
    pub fn public_articles_among(
        &self,
        slugs: &[String],
        now: OffsetDateTime,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let columns = "a.article_json, a.body_html, a.created_at, a.updated_at, a.sort_at";
        let mut found = self.public_among(slugs, now, columns, stored)?;
        found.sort_by_key(|a| slugs.iter().position(|s| s == a.article.slug.as_str()));
        Ok(found)
    }

    /// `columns` of the public articles among `slugs`, each row made into a `T` by `make`.
    fn public_among<T>(
        &self,
        slugs: &[String],
        now: OffsetDateTime,
        columns: &str,
        make: fn(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let now = unix(now);
        let marks: Vec<String> = (2..slugs.len() + 2).map(|i| format!("?{i}")).collect();
        let mut params: Vec<&dyn Param> = vec![&now];
        params.extend(slugs.iter().map(|s| s as &dyn Param));
        self.read(|c| {
            let sql = format!(
                "SELECT {columns} FROM articles a WHERE a.slug IN ({}) AND {PUBLIC}",
                marks.join(", ")
            );
            c.query(&sql, &params)?.iter().map(make).collect()
        })
    }

    /// The public articles that share `key` (translations of one page, `slug`'s own included), by
    /// language.
    pub fn translations(&self, key: &str, now: OffsetDateTime) -> Result<Vec<Translation>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                &format!("SELECT a.article_json FROM articles a WHERE a.translation_key = ?2 AND {PUBLIC}"),
                p![unix(now), key],
            )?;
            let mut out = rows
                .iter()
                .map(|r| {
                    let a = parse_json(&r.get::<String>(0)?)?;
                    Ok(Translation { language: a.language, slug: a.slug, title: a.title })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            out.sort_by(|a, b| (&a.language, &a.slug).cmp(&(&b.language, &b.slug)));
            Ok(out)
        })
    }

    /// Revisions of an article, oldest first.
    pub fn revisions(&self, slug: &Slug) -> Result<Vec<Revision>, StoreError> {
        self.read(|c| {
            let rows = c.query(
                "SELECT r.id, r.created_at, r.author, r.note, r.article_json FROM revisions r
                 JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1 ORDER BY r.id",
                p![slug.as_str()],
            )?;
            rows.iter().map(revision).collect()
        })
    }

    /// Replaces the editorial findings kept with an article (a JSON array, as the checker serialises them).
    pub fn set_findings(&self, slug: &Slug, findings_json: &str) -> Result<(), StoreError> {
        self.write(|c| {
            c.execute(
                "UPDATE articles SET findings_json = ?2 WHERE slug = ?1",
                p![slug.as_str(), findings_json],
            )
        })?;
        Ok(())
    }

    /// The editorial findings kept with an article (a JSON array), if it exists.
    pub fn findings(&self, slug: &Slug) -> Result<Option<String>, StoreError> {
        self.read(|c| {
            c.query_opt("SELECT findings_json FROM articles WHERE slug = ?1", p![slug.as_str()])?
                .map(|r| r.get(0))
                .transpose()
        })
    }

    /// Every slug in the store, whatever the status (for internal-link checks).
    pub fn slugs(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        self.read(|c| c.query("SELECT slug FROM articles", p![])?.iter().map(|r| r.get(0)).collect())
    }

    /// The newest change-log sequence number (0 when empty). Cheap: servers poll it.
    pub fn change_seq(&self) -> Result<i64, StoreError> {
        self.read(|c| c.query_one("SELECT coalesce(max(seq), 0) FROM changes", p![])?.get(0))
    }

    /// Change-log entries after `seq`, oldest first.
    pub fn changes_since(&self, seq: i64) -> Result<Vec<Change>, StoreError> {
        self.read(|c| {
            let rows = c.query("SELECT seq, kind, slug FROM changes WHERE seq > ?1 ORDER BY seq", p![seq])?;
            rows.iter()
                .map(|r| {
                    let kind: String = r.get(1)?;
                    Ok(Change { seq: r.get(0)?, kind: ChangeKind::parse(&kind), slug: r.get(2)? })
                })
                .collect()
        })
    }
}

/// One article to save, with what is derived from it.
#[derive(Debug, Clone, Copy)]
pub struct ArticleWrite<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its rendered, sanitised body.
    pub body_html: &'a str,
    /// Which renderer made `body_html`.
    pub renderer_version: i64,
    /// Who saves it ("import", an editor's name).
    pub who: &'a str,
    /// Why (file name …), kept with the revision.
    pub note: &'a str,
    /// Editorial findings to keep with it (a JSON array), if any were computed.
    pub findings_json: Option<&'a str>,
    /// Old addresses (a moved-in site's) to answer `301` to it, kept in the same transaction; the
    /// redirects' source is `note`.
    pub old_paths: &'a [OldPath],
}

/// Saves `item` in the open write transaction (see [`Store::save_article_based_on`]).
fn save_in(
    tx: &mut dyn Conn,
    item: &ArticleWrite<'_>,
    now: OffsetDateTime,
    base: Option<i64>,
) -> Result<SaveOutcome, StoreError> {
    let ArticleWrite { article, body_html, renderer_version, who, note, findings_json, old_paths: _ } = *item;
    let json = serde_json::to_string(article).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if let Some(base) = base {
        let latest: Option<i64> = tx
            .query_one(
                "SELECT max(r.id) FROM revisions r JOIN articles a ON a.id = r.article_id WHERE a.slug = ?1",
                p![article.slug.as_str()],
            )?
            .get(0)?;
        if latest != Some(base) {
            return Err(StoreError::Conflict);
        }
    }
    let existing = tx.query_opt(
        "SELECT id, article_json, created_at FROM articles WHERE slug = ?1",
        p![article.slug.as_str()],
    )?;
    let now_s = unix(now);
    let published = article.published.map(unix);
    let (id, outcome) = match existing {
        Some(row) if row.get::<String>(1)? == json => {
            // The text is the same, but the checks may have changed since.
            if let Some(findings) = findings_json {
                tx.execute(
                    "UPDATE articles SET findings_json = ?2 WHERE slug = ?1",
                    p![article.slug.as_str(), findings],
                )?;
            }
            return Ok(SaveOutcome::Unchanged);
        }
        Some(row) => {
            let (id, created): (i64, i64) = (row.get(0)?, row.get(2)?);
            tx.execute(
                    "UPDATE articles SET title = ?2, status = ?3, published_at = ?4, sort_at = ?5, updated_at = ?6,
                     article_json = ?7, body_html = ?8, renderer_version = ?9, translation_key = ?10 WHERE id = ?1",
                    p![
                        id,
                        article.title,
                        article.status.as_str(),
                        published,
                        published.unwrap_or(created),
                        now_s,
                        json,
                        body_html,
                        renderer_version,
                        article.translation_key.as_deref()
                    ],
                )?;
            tx.execute("DELETE FROM article_tags WHERE article_id = ?1", p![id])?;
            (id, SaveOutcome::Updated)
        }
        None => {
            let created = article.created.map_or(now_s, unix);
            let row = tx.query_one(
                "INSERT INTO articles (slug, title, status, published_at, sort_at, created_at, updated_at,
                     article_json, body_html, renderer_version, translation_key)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                p![
                    article.slug.as_str(),
                    article.title,
                    article.status.as_str(),
                    published,
                    published.unwrap_or(created),
                    created,
                    now_s,
                    json,
                    body_html,
                    renderer_version,
                    article.translation_key.as_deref()
                ],
            )?;
            (row.get(0)?, SaveOutcome::Created)
        }
    };
    for (pos, tag) in article.tags.iter().enumerate() {
        tx.execute("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING", p![tag.as_str()])?;
        tx.execute(
                "INSERT INTO article_tags (article_id, tag_id, position) SELECT ?1, id, ?2 FROM tags WHERE name = ?3",
                p![id, pos as i64, tag.as_str()],
            )?;
    }
    tx.execute(
            "INSERT INTO revisions (article_id, created_at, author, note, article_json) VALUES (?1, ?2, ?3, ?4, ?5)",
            p![id, now_s, who, note, json],
        )?;
    if let Some(findings) = findings_json {
        tx.execute(
            "UPDATE articles SET findings_json = ?2 WHERE slug = ?1",
            p![article.slug.as_str(), findings],
        )?;
    }
    log_change(tx, ChangeKind::Article, Some(article.slug.as_str()), now)?;
    Ok(outcome)
}

pub(super) fn parse_json(json: &str) -> Result<Article, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("article_json: {e}")))
}

pub(super) fn from_unix(s: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A revision from `id, created_at, author, note, article_json`.
pub(super) fn revision(r: &Row) -> Result<Revision, StoreError> {
    Ok(Revision {
        id: r.get(0)?,
        at: from_unix(r.get(1)?)?,
        who: r.get(2)?,
        note: r.get(3)?,
        article: parse_json(&r.get::<String>(4)?)?,
    })
}

fn stored(r: &Row) -> Result<StoredArticle, StoreError> {
    Ok(StoredArticle {
        article: parse_json(&r.get::<String>(0)?)?,
        body_html: r.get(1)?,
        created: from_unix(r.get(2)?)?,
        updated: from_unix(r.get(3)?)?,
        sort_at: from_unix(r.get(4)?)?,
    })
}

fn summary(r: &Row) -> Result<ArticleSummary, StoreError> {
    let a = parse_json(&r.get::<String>(0)?)?;
    let description = a.summary().to_owned();
    Ok(ArticleSummary {
        slug: a.slug,
        title: a.title,
        description,
        question: a.question,
        tags: a.tags,
        published: from_unix(r.get(1)?)?,
    })
}
