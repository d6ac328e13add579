//! Following the store's change log, so a server sees what another process (an `import`) wrote.

use super::App;
use std::sync::atomic::Ordering;

impl App {
    /// Checks the change log; when it moved, drops cached pages and returns true.
    /// Cheap enough to call a few times a second (one indexed `max()`).
    pub fn refresh_if_changed(&self) -> Result<bool, super::AppError> {
        let seq = self.store.change_seq()?;
        let seen = self.seen_seq.swap(seq, Ordering::AcqRel);
        if seq != seen {
            self.cache.clear();
            tracing::info!(from = seen, to = seq, "content changed; page cache cleared");
            return Ok(true);
        }
        Ok(false)
    }

    /// The change-log position the caches reflect.
    pub fn seen_seq(&self) -> i64 {
        self.seen_seq.load(Ordering::Acquire)
    }
}
