//! Preview: an article as readers will see it, rendered with the reader template itself (not a look-alike),
//! whatever its status and without touching the page cache.

use super::{App, AppError};
use crate::content::markdown;
use crate::domain::Article;
use crate::render::views;

impl App {
    /// The reader page for `article` as it stands in the editor. Blocking (related articles).
    pub fn preview(&self, article: &Article) -> Result<String, AppError> {
        let now = self.now();
        let body_html = markdown::to_html(&article.body);
        let related = self.related_to(article, now)?;
        let page = views::ArticlePage {
            article,
            body_html: &body_html,
            published: article.published.or(article.created).unwrap_or(now),
            related: &related,
            translations: &[],
        };
        let support = views::support_for(&self.config.support, article);
        Ok(views::article(&self.templates, &self.site_view, &page, &support, &self.config.exit_url)?)
    }
}
