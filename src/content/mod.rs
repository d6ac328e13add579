//! Pure content processing: front matter, article files, Markdown rendering, editorial checks. No I/O.

pub mod article_file;
pub mod checks;
pub mod editorial;
pub mod front_matter;
pub mod markdown;
pub mod writer;

pub use article_file::{ParsedArticle, parse_article};
pub use front_matter::ContentError;
