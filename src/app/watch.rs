//! Following the store's change log, so a server sees what another process (an `import`) wrote:
//! search is updated, then cached pages are dropped.

use super::App;
use std::sync::atomic::Ordering;

impl App {
    /// Checks the change log; when it moved, drops cached pages and returns true.
    /// Cheap enough to call a few times a second (one indexed `max()`).
    /// The search index follows the same entries, so an import by another process is searchable too.
    pub fn refresh_if_changed(&self) -> Result<bool, super::AppError> {
        // One caller at a time: the poller and a test may both call this.
        let _guard = self.refresh_lock.lock().unwrap_or_else(|p| p.into_inner());
        let seen = self.seen_seq.load(Ordering::Acquire);
        let changes = self.store.changes_since(seen)?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(false);
        };
        self.apply_to_search(&changes, self.now())?;
        self.cache.clear();
        self.seen_seq.store(last, Ordering::Release);
        tracing::info!(from = seen, to = last, "content changed; search updated and page cache cleared");
        Ok(true)
    }

    /// The change-log position the caches reflect.
    pub fn seen_seq(&self) -> i64 {
        self.seen_seq.load(Ordering::Acquire)
    }
}
