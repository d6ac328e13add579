//! Pure content processing: front matter, article files, Markdown rendering, editorial checks, and the
//! formats we move in from (WordPress exports, Hugo and Zola content folders). No I/O.

pub mod article_file;
pub mod checks;
pub mod editorial;
pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod schema;
pub mod shortcodes;
pub mod site;
pub mod writer;
pub mod wxr;

pub use article_file::{ParsedArticle, parse_article, parse_page};
pub use front_matter::ContentError;
