//! Search use cases: keep the index in step with the store, answer queries, count insights.

use super::{App, AppError, Site};
use crate::content::markdown;
use crate::render::views;
use crate::search::{OpenOutcome, SearchDoc, SearchError, SearchIndex, SearchRequest, SearchResults};
use crate::store::{Change, ChangeKind, QueryCount, Store, StoredArticle};
use time::OffsetDateTime;

/// Longest query searched; longer ones are cut (and the page says so).
pub use crate::search::MAX_QUERY_CHARS;

/// What the search index holds of an article.
fn search_doc(a: &StoredArticle) -> SearchDoc {
    let art = &a.article;
    SearchDoc {
        slug: art.slug.to_string(),
        title: art.title.clone(),
        question: art.question.clone().unwrap_or_default(),
        answer: art.answer.clone().unwrap_or_default(),
        description: art.description.clone(),
        tags: art.tags.iter().map(|t| t.to_string()).collect(),
        body_text: markdown::to_plain_text(&art.body),
        published_unix: a.sort_at.unix_timestamp(),
    }
}

/// Fills `index` with every public article of `store`; `progress` gets the count so far.
/// Records the change-log position read before the articles, so a write that lands during the
/// rebuild is applied again by the next catch-up rather than missed.
fn rebuild(
    store: &Store,
    index: &SearchIndex,
    now: OffsetDateTime,
    progress: &dyn Fn(u64),
) -> Result<u64, AppError> {
    /// Articles read from the store at a time: the rebuild holds one chunk, not the whole site.
    const CHUNK: u64 = 500;
    let position = store.change_seq()?;
    let count = std::cell::Cell::new(0u64);
    let mut buffered = std::collections::VecDeque::new();
    let mut after: Option<crate::domain::Slug> = None;
    let mut done = false;
    let docs = std::iter::from_fn(|| {
        loop {
            if let Some(doc) = buffered.pop_front() {
                count.set(count.get() + 1);
                return Some(Ok(doc));
            }
            if done {
                return None;
            }
            match store.articles_after(after.as_ref(), CHUNK) {
                Ok(chunk) => {
                    done = (chunk.len() as u64) < CHUNK;
                    after = chunk.last().map(|a| a.article.slug.clone());
                    buffered.extend(chunk.iter().filter(|a| a.article.is_public(now)).map(search_doc));
                }
                Err(e) => {
                    done = true;
                    return Some(Err(SearchError::Source(e.to_string())));
                }
            }
        }
    });
    index.replace_all(docs, Some(position), progress)?;
    Ok(count.get())
}

/// Applies change-log entries to `index`: re-reads each changed article and indexes it if public,
/// and records the last entry's position in the same commit. A reindex request rebuilds it all.
fn apply_changes(
    store: &Store,
    index: &SearchIndex,
    changes: &[Change],
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Some(position) = changes.last().map(|c| c.seq) else {
        return Ok(());
    };
    if changes.iter().any(|c| c.kind == ChangeKind::Reindex) {
        let n = rebuild(store, index, now, &|_| {})?;
        tracing::info!(articles = n, "search index rebuilt on request");
        return Ok(());
    }
    let mut upserts = Vec::new();
    let mut deletes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in changes.iter().rev() {
        let Some(slug) = &c.slug else { continue };
        if !seen.insert(slug.clone()) {
            continue;
        }
        let stored = match crate::domain::Slug::parse(slug) {
            Ok(s) => store.article(&s)?,
            Err(_) => None,
        };
        match stored {
            Some(a) if a.article.is_public(now) => upserts.push(search_doc(&a)),
            _ => deletes.push(slug.clone()),
        }
    }
    index.apply(&upserts, &deletes, Some(position))?;
    Ok(())
}

/// Opens the index in the data dir, re-filling it from the store when it was missing, stale or
/// corrupt, or when it records no change-log position (written by an older build). An index
/// that records a position is caught up from it by [`App::refresh_if_changed`].
pub(super) fn open_index(
    store: &Store,
    data_dir: &std::path::Path,
    now: OffsetDateTime,
) -> Result<SearchIndex, AppError> {
    let dir = data_dir.join("search");
    let (index, outcome) = SearchIndex::open(&dir)?;
    // No position: written by a build that did not record one. Ahead of the store: the database
    // was replaced (a restore) under the index. Either way the index cannot be caught up.
    let unusable = || -> Result<bool, AppError> {
        let logged = store.change_seq()?;
        Ok(index.position()?.is_none_or(|p| p > logged))
    };
    let why = match outcome {
        OpenOutcome::Opened if unusable()? => Some("it did not match the store's change log".to_owned()),
        OpenOutcome::Opened => None,
        OpenOutcome::Created => Some("there was none".to_owned()),
        OpenOutcome::Rebuilt { reason } => Some(reason),
    };
    if let Some(why) = why {
        match rebuild(store, &index, now, &|_| {}) {
            Ok(n) => tracing::info!(articles = n, %why, "built the search index"),
            // Another process (the running server) owns the writer and keeps the index current.
            Err(AppError::Search(SearchError::Locked)) => {
                tracing::info!(%why, "the search index is another process's to rebuild")
            }
            Err(e) => return Err(e),
        }
    }
    Ok(index)
}

/// Most distinct (day, query) pairs held in memory between flushes. Normally a flush every few
/// seconds empties the buffer long before; while the database refuses writes, new queries beyond
/// this are not counted rather than growing memory without bound (known ones still are).
const MAX_PENDING_INSIGHTS: usize = 100_000;

/// Pending insight counts: (day, normalised query) → (searches, of which found nothing).
pub(super) type InsightBuffer = std::collections::HashMap<(String, String), (i64, i64)>;

/// Adds to the pending counts of `key`, unless the buffer is full and `key` is new.
fn add_count(buf: &mut InsightBuffer, key: (String, String), searches: i64, zero: i64) {
    if buf.len() >= MAX_PENDING_INSIGHTS && !buf.contains_key(&key) {
        return;
    }
    let entry = buf.entry(key).or_default();
    entry.0 += searches;
    entry.1 += zero;
}

/// Lower-cased, white space collapsed, cut to [`MAX_QUERY_CHARS`]: how insights count a query.
pub fn normalise_query(q: &str) -> String {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    words.join(" ").chars().filter(|c| !c.is_control()).take(MAX_QUERY_CHARS).collect()
}

/// What editors see of searches over some days: queries shown only once made at least `min` times.
#[derive(Debug, Clone)]
pub struct Insights {
    /// Days looked back (at most the retention period).
    pub days: i64,
    /// Fewest searches for a query to be shown.
    pub min: i64,
    /// The most frequent queries.
    pub top: Vec<QueryCount>,
    /// The most frequent queries that found nothing.
    pub zero: Vec<QueryCount>,
}

/// What `reindex` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reindexed {
    /// Rebuilt here, with this many articles.
    Done(u64),
    /// A running server owns the index; it was asked, through the change log, to rebuild it.
    AskedServer,
}

/// What [`Site::update_search_index`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexUpdate {
    /// Applied this many change-log entries.
    CaughtUp(u64),
    /// Built again from the store, with this many articles.
    Rebuilt(u64),
    /// A running server owns the index and catches up from the change log itself.
    LeftToServer,
}

impl Site {
    /// Opens the data dir's search index for writing, or `None` when another process (a running
    /// server) holds its writer; probed with an empty write before any real work.
    fn own_index(&self) -> Result<Option<(SearchIndex, OpenOutcome)>, AppError> {
        let (index, outcome) = SearchIndex::open(&self.config.data_dir.join("search"))?;
        match index.upsert(&[]) {
            Err(SearchError::Locked) => Ok(None),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(Some((index, outcome))),
        }
    }

    /// Rebuilds the search index from the store, or, when a running server holds the index's writer,
    /// asks it to through the change log. `progress(done, total)` follows the rebuild.
    pub fn reindex(&self, progress: &dyn Fn(u64, u64)) -> Result<Reindexed, AppError> {
        let Some((index, _)) = self.own_index()? else {
            self.store.log_change(ChangeKind::Reindex, self.now())?;
            return Ok(Reindexed::AskedServer);
        };
        let now = self.now();
        let (_, total) = self.store.public_articles(now, 0, 0)?;
        let n = rebuild(&self.store, &index, now, &|done| progress(done, total))?;
        Ok(Reindexed::Done(n))
    }

    /// Brings the search index in the data dir up to date after this process wrote to the store
    /// (an import), so the next start serves at once instead of building it. Changes since the
    /// index's recorded position are applied; a missing or unusable index, or a change log too long
    /// to replay, is rebuilt. A running server that owns the index is left to catch up itself.
    pub fn update_search_index(&self, progress: &dyn Fn(u64, u64)) -> Result<IndexUpdate, AppError> {
        /// Past this many changes, one pass over the store is cheaper than one read per change.
        const MAX_REPLAYED: usize = 1_000;
        let Some((index, outcome)) = self.own_index()? else {
            return Ok(IndexUpdate::LeftToServer);
        };
        let now = self.now();
        let logged = self.store.change_seq()?;
        let from = match outcome {
            OpenOutcome::Opened => index.position()?.filter(|&p| p <= logged),
            OpenOutcome::Created | OpenOutcome::Rebuilt { .. } => None,
        };
        if let Some(from) = from {
            let changes = self.store.changes_since(from)?;
            if changes.len() <= MAX_REPLAYED {
                apply_changes(&self.store, &index, &changes, now)?;
                return Ok(IndexUpdate::CaughtUp(changes.len() as u64));
            }
        }
        let (_, total) = self.store.public_articles(now, 0, 0)?;
        let n = rebuild(&self.store, &index, now, &|done| progress(done, total))?;
        Ok(IndexUpdate::Rebuilt(n))
    }

    /// Top searches and searches that found nothing over the last `days` days, `limit` of each.
    pub fn insights(&self, days: i64, limit: i64) -> Result<Insights, AppError> {
        let cfg = &self.config.search;
        let days = days.clamp(1, cfg.insights_retention_days);
        let since = (self.now().date() - time::Duration::days(days - 1)).to_string();
        let min = cfg.insights_min_count;
        Ok(Insights {
            days,
            min,
            top: self.store.top_searches(&since, min, false, limit)?,
            zero: self.store.top_searches(&since, min, true, limit)?,
        })
    }
}

/// Most pages a search can be paged to (deeper pages are never useful and cost more).
pub const MAX_PAGE: usize = 100;

impl App {
    /// The search page with no query: every topic. Blocking (store).
    pub fn search_topics_page(&self) -> Result<String, AppError> {
        let tags = self.store.tag_counts(self.now())?;
        Ok(views::search_topics(&self.templates, &self.site_view, &tags, false)?)
    }

    /// Searches and renders the results page. Not blocking: the index is memory-mapped.
    pub fn search_results_page(&self, req: &SearchRequest) -> Result<String, AppError> {
        let results = self.search(req, self.now())?;
        let query: String = req.text.chars().take(MAX_QUERY_CHARS).collect();
        let page = views::SearchPage {
            query: &query,
            tag: req.tag.as_deref(),
            page: req.page,
            per_page: req.per_page,
            max_page: MAX_PAGE,
            max_chars: MAX_QUERY_CHARS,
        };
        Ok(views::search_results(&self.templates, &self.site_view, &page, results)?)
    }

    /// Searches; counts the query for insights when enabled (first pages only, so paging is not counted twice).
    pub fn search(&self, req: &SearchRequest, now: OffsetDateTime) -> Result<SearchResults, AppError> {
        let results = self.search.search(req)?;
        let q = normalise_query(&req.text);
        if self.config.search.insights && req.page <= 1 && !q.is_empty() {
            // Counted in memory and written in batches by `flush_insights`: a synchronous write per
            // search would cost an fsync on the hottest read path.
            let mut buf = self.insight_buffer.lock().unwrap_or_else(|p| p.into_inner());
            add_count(&mut buf, (now.date().to_string(), q), 1, i64::from(results.total == 0));
        }
        Ok(results)
    }

    /// Applies change-log entries to the search index (see [`apply_changes`]).
    pub(super) fn apply_to_search(&self, changes: &[Change], now: OffsetDateTime) -> Result<(), AppError> {
        apply_changes(&self.store, &self.search, changes, now)
    }

    /// Writes the searches counted since the last flush; the server calls this every few seconds and at shutdown.
    pub fn flush_insights(&self) -> Result<usize, AppError> {
        let counts: Vec<(String, String, i64, i64)> = {
            let mut buf = self.insight_buffer.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::take(&mut *buf).into_iter().map(|((d, q), (c, z))| (d, q, c, z)).collect()
        };
        if counts.is_empty() {
            return Ok(0);
        }
        if let Err(e) = self.store.record_searches(&counts) {
            // One transaction: nothing was written, so the counts wait for the next flush.
            let mut buf = self.insight_buffer.lock().unwrap_or_else(|p| p.into_inner());
            for (day, query, searches, zero) in counts {
                add_count(&mut buf, (day, query), searches, zero);
            }
            return Err(e.into());
        }
        Ok(counts.len())
    }

    /// Deletes insight counts past the retention period.
    pub fn apply_insights_retention(&self, now: OffsetDateTime) -> Result<usize, AppError> {
        let cutoff = now.date() - time::Duration::days(self.config.search.insights_retention_days);
        Ok(self.store.delete_searches_before(&cutoff.to_string())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods, reason = "a test of its own, on the real clock")]
    fn counts_survive_a_failed_flush_and_are_written_by_the_next() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config =
            crate::config::Config::parse(include_str!("../../zeroopposite.toml")).expect("config");
        config.data_dir = dir.path().to_owned();
        config.demo_content = false;
        let app = App::open(config).expect("open");
        let now = OffsetDateTime::now_utc();
        let req = SearchRequest { text: "Boundaries".into(), ..SearchRequest::default() };
        for _ in 0..3 {
            app.search(&req, now).expect("search");
        }
        let side = rusqlite::Connection::open(dir.path().join("zeroopposite.db")).expect("second connection");
        side.execute_batch("ALTER TABLE search_queries RENAME TO search_queries_away").expect("rename");
        assert!(app.flush_insights().is_err(), "the write fails while the table is gone");
        app.search(&req, now).expect("search");
        side.execute_batch("ALTER TABLE search_queries_away RENAME TO search_queries").expect("rename back");
        assert_eq!(app.flush_insights().expect("flush"), 1);
        let day = now.date().to_string();
        let top = app.store.top_searches(&day, 1, false, 10).expect("top");
        assert_eq!(top.len(), 1);
        assert_eq!((top[0].query.as_str(), top[0].count), ("boundaries", 4), "{top:?}");
        assert_eq!(app.flush_insights().expect("nothing left"), 0);
    }

    #[test]
    fn a_full_buffer_still_counts_known_queries_but_not_new_ones() {
        let mut buf = InsightBuffer::new();
        for i in 0..MAX_PENDING_INSIGHTS {
            add_count(&mut buf, ("d".into(), i.to_string()), 1, 0);
        }
        add_count(&mut buf, ("d".into(), "new".into()), 1, 0);
        add_count(&mut buf, ("d".into(), "7".into()), 1, 1);
        assert_eq!(buf.len(), MAX_PENDING_INSIGHTS);
        assert_eq!(buf[&("d".to_string(), "7".to_string())], (2, 1));
    }

    #[test]
    fn queries_are_normalised_for_counting() {
        assert_eq!(normalise_query("  Post-Traumatic   GROWTH\t"), "post-traumatic growth");
        assert_eq!(normalise_query(&"a".repeat(300)).len(), MAX_QUERY_CHARS);
    }
}
