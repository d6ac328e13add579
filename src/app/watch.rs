//! Following the store's change log, so a server sees what another process (an `import`, another
//! instance) wrote, including what was written while it was not running: search is caught up from
//! the position its index recorded, then cached pages are dropped.

use super::{App, AppError};
use crate::search::SearchError;
use crate::store::ChangeKind;
use std::sync::atomic::Ordering;

impl App {
    /// Checks the change log; when it moved past what search or the page cache reflect, applies
    /// the new entries to search and drops cached pages. Returns whether the cache was dropped.
    /// Cheap enough to call a few times a second (one indexed `max()`).
    ///
    /// A failed search update is retried by the next call (the index records how far it got);
    /// the page cache is refreshed regardless. When another process holds the index's writer,
    /// that process keeps it current and this one only reads it.
    pub fn refresh_if_changed(&self) -> Result<bool, AppError> {
        // One caller at a time: the poller and a test may both call this.
        let _guard = self.refresh_lock.lock().unwrap_or_else(|p| p.into_inner());
        let latest = self.store.change_seq()?;
        let search_from = self.search_seq.load(Ordering::Acquire);
        let seen = self.seen_seq.load(Ordering::Acquire);
        // One read of the log serves both search and the page cache.
        let oldest = search_from.min(seen);
        let changes = if latest > oldest { self.store.changes_since(oldest)? } else { Vec::new() };
        let after = |seq: i64| &changes[changes.partition_point(|c| c.seq <= seq)..];
        let search_error = match self.catch_up_search(search_from, latest, after(search_from)) {
            Ok(()) => None,
            // Another process owns the index and commits to it; searches here follow its commits.
            Err(AppError::Search(SearchError::Locked)) => self.search.reload().err().map(AppError::from),
            Err(e) => Some(e),
        };
        let moved = latest != seen;
        if moved {
            self.invalidate(seen, latest, after(seen));
            self.seen_seq.store(latest, Ordering::Release);
        }
        match search_error {
            Some(e) => Err(e),
            None => Ok(moved),
        }
    }

    /// Drops the cached pages the change-log entries after `seen` can have changed: for a saved or
    /// deleted article, its page, the listings and the pages showing it; for anything else (a
    /// re-render, an unknown kind, a log that went backwards, a long gap) every page.
    fn invalidate(&self, seen: i64, latest: i64, changes: &[crate::store::Change]) {
        /// Past this many entries at once, starting again is cheaper than picking pages.
        const MAX_PICKED: usize = 1000;
        let changes = if latest > seen { changes } else { &[] };
        let picked = !changes.is_empty()
            && changes.len() <= MAX_PICKED
            && changes
                .iter()
                .all(|c| matches!(c.kind, ChangeKind::Article | ChangeKind::Delete) && c.slug.is_some());
        if picked {
            let mut slugs: Vec<&str> = changes.iter().filter_map(|c| c.slug.as_deref()).collect();
            slugs.sort_unstable();
            slugs.dedup();
            self.refresh_tag_lists(&slugs);
            for slug in &slugs {
                self.cache.invalidate_article(slug);
            }
            tracing::info!(
                from = seen,
                to = latest,
                changes = changes.len(),
                "content changed; affected pages dropped"
            );
        } else {
            match self.store.tag_links(None) {
                Ok(links) => self.tag_lists.reload(&links),
                Err(e) => tracing::warn!(error = %e, "could not reload the tag lists"),
            }
            self.cache.clear();
            tracing::info!(from = seen, to = latest, "content changed; page cache cleared");
        }
    }

    /// Re-reads the tags of the articles `slugs` for the tag lists (related articles, tag pages).
    fn refresh_tag_lists(&self, slugs: &[&str]) {
        let mut links = Vec::new();
        for slug in slugs {
            let Ok(parsed) = crate::domain::Slug::parse(slug) else { continue };
            match self.store.tag_links(Some(&parsed)) {
                Ok(rows) => links.extend(rows),
                Err(e) => tracing::warn!(error = %e, slug, "could not re-read an article's tags"),
            }
        }
        self.tag_lists.update(slugs, &links);
    }

    /// Applies `changes` (the log's entries after `from`, the index's recorded position, up to at
    /// least `latest`) to search.
    fn catch_up_search(
        &self,
        from: i64,
        latest: i64,
        changes: &[crate::store::Change],
    ) -> Result<(), AppError> {
        if from >= latest {
            return Ok(());
        }
        self.apply_to_search(changes, self.now())?;
        let to = self.search.position()?.unwrap_or(from);
        self.search_seq.store(to, Ordering::Release);
        tracing::info!(from, to, "search caught up with the change log");
        Ok(())
    }

    /// Calls `wake` whenever a change-log entry commits, where the store can announce it
    /// (PostgreSQL); elsewhere polling alone finds changes.
    pub fn on_store_change(&self, wake: impl Fn() + Send + Sync + 'static) {
        self.store.on_change(wake);
    }

    /// Where the store is, for the start-up log (no password).
    pub fn store_description(&self) -> String {
        self.store.describe()
    }

    /// The change-log position the page cache reflects.
    pub fn seen_seq(&self) -> i64 {
        self.seen_seq.load(Ordering::Acquire)
    }

    /// The change-log position the search index reflects.
    pub fn search_seq(&self) -> i64 {
        self.search_seq.load(Ordering::Acquire)
    }
}
