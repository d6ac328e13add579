//! Output: templates, the in-memory page cache, and view models for each page type.
//!
//! Pure with respect to storage: it is handed domain values and returns bytes.

pub mod assets;
pub mod cache;
pub mod compress;
pub mod feeds;
pub mod offline_index;
pub mod relative;
pub mod search_view;
pub mod templates;
pub mod views;

pub use cache::{CachedPage, PageCache};
pub use templates::Templates;

/// Errors of the rendering layer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to load or render (a theme bug, or ours).
    #[error("template error: {0}")]
    Template(#[from] minijinja::Error),
}
