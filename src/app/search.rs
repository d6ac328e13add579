//! Search use cases: keep the index in step with the store, answer queries, count insights.

use super::{App, AppError};
use crate::content::markdown;
use crate::search::{OpenOutcome, SearchDoc, SearchIndex, SearchRequest, SearchResults};
use crate::store::{Change, Store, StoredArticle};
use time::OffsetDateTime;

/// Longest query searched; longer ones are cut (and the page says so).
pub use crate::search::MAX_QUERY_CHARS;

/// What the search index holds of an article.
pub fn search_doc(a: &StoredArticle) -> SearchDoc {
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
pub fn rebuild(
    store: &Store,
    index: &SearchIndex,
    now: OffsetDateTime,
    progress: &dyn Fn(u64),
) -> Result<u64, AppError> {
    let articles = store.all_articles()?;
    let public: Vec<SearchDoc> =
        articles.iter().filter(|a| a.article.is_public(now)).map(search_doc).collect();
    let n = public.len() as u64;
    index.replace_all(public.into_iter(), progress).map_err(|e| AppError::Search(e.to_string()))?;
    Ok(n)
}

/// Opens the index in the data dir, re-filling it from the store when it was missing, stale or corrupt.
pub fn open_index(
    store: &Store,
    data_dir: &std::path::Path,
    now: OffsetDateTime,
) -> Result<SearchIndex, AppError> {
    let dir = data_dir.join("search");
    let (index, outcome) = SearchIndex::open(&dir).map_err(|e| AppError::Search(e.to_string()))?;
    match outcome {
        OpenOutcome::Opened => {}
        OpenOutcome::Created => {
            let n = rebuild(store, &index, now, &|_| {})?;
            tracing::info!(articles = n, "built a new search index");
        }
        OpenOutcome::Rebuilt { reason } => {
            let n = rebuild(store, &index, now, &|_| {})?;
            tracing::warn!(%reason, articles = n, "search index was unusable and has been rebuilt");
        }
    }
    Ok(index)
}

/// Lower-cased, white space collapsed, cut to [`MAX_QUERY_CHARS`]: how insights count a query.
pub fn normalise_query(q: &str) -> String {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    words.join(" ").chars().filter(|c| !c.is_control()).take(MAX_QUERY_CHARS).collect()
}

impl App {
    /// Searches; counts the query for insights when enabled (first pages only, so paging is not counted twice).
    pub fn search(&self, req: &SearchRequest, now: OffsetDateTime) -> Result<SearchResults, AppError> {
        let results = self.search.search(req).map_err(|e| AppError::Search(e.to_string()))?;
        let q = normalise_query(&req.text);
        if self.config.search.insights && req.page <= 1 && !q.is_empty() {
            // Counted in memory and written in batches by `flush_insights`: a synchronous write per
            // search would cost an fsync on the hottest read path.
            let mut buf = self.insight_buffer.lock().unwrap_or_else(|p| p.into_inner());
            let entry = buf.entry((now.date().to_string(), q)).or_default();
            entry.0 += 1;
            entry.1 += i64::from(results.total == 0);
        }
        Ok(results)
    }

    /// Applies change-log entries to the search index: re-reads each changed article and indexes it if public.
    pub(super) fn apply_to_search(&self, changes: &[Change], now: OffsetDateTime) -> Result<(), AppError> {
        if changes.iter().any(|c| c.kind == "reindex") {
            let n = rebuild(&self.store, &self.search, now, &|_| {})?;
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
                Ok(s) => self.store.article(&s)?,
                Err(_) => None,
            };
            match stored {
                Some(a) if a.article.is_public(now) => upserts.push(search_doc(&a)),
                _ => deletes.push(slug.clone()),
            }
        }
        if !upserts.is_empty() {
            self.search.upsert(&upserts).map_err(|e| AppError::Search(e.to_string()))?;
        }
        if !deletes.is_empty() {
            self.search.delete(&deletes).map_err(|e| AppError::Search(e.to_string()))?;
        }
        Ok(())
    }

    /// Writes the searches counted since the last flush; the server calls this every few seconds and at shutdown.
    pub fn flush_insights(&self) -> Result<usize, AppError> {
        let counts: Vec<(String, String, i64, i64)> = {
            let mut buf = self.insight_buffer.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::take(&mut *buf).into_iter().map(|((d, q), (c, z))| (d, q, c, z)).collect()
        };
        if !counts.is_empty() {
            self.store.record_searches(&counts)?;
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
    fn queries_are_normalised_for_counting() {
        assert_eq!(normalise_query("  Post-Traumatic   GROWTH\t"), "post-traumatic growth");
        assert_eq!(normalise_query(&"a".repeat(300)).len(), MAX_QUERY_CHARS);
    }
}
