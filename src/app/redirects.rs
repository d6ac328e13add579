//! Old addresses from a site we moved in from: which article a request for one should go to.

use super::{App, AppError};
use crate::domain::{OldPath, Slug};

impl App {
    /// The article an old address (`/2019/05/my-post/`, `/?p=123`) moved to, if one was kept for it.
    /// A redirect to the address asked for itself is never given (it would loop).
    pub fn moved_to(&self, path: &str, query: Option<&str>) -> Result<Option<Slug>, AppError> {
        let candidates = OldPath::candidates(path, query);
        if candidates.is_empty() {
            return Ok(None);
        }
        let slug = self.store.redirect_target(&candidates)?;
        Ok(slug.filter(|s| path.trim_end_matches('/') != format!("/articles/{s}")))
    }
}
