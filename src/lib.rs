//! ZeroOpposite: a single-binary publishing platform for a question-and-answer publication on
//! sexuality, relationships, trauma and mental health.
//!
//! # Layout
//! Dependencies point one way: `domain ← content ← {store, search, render, contact} ← app ← {http, cmd}`.
//! - [`domain`]: pure types (`Slug`, `Tag`, `Article`, `Email`, messages) that only hold valid values.
//! - [`content`]: front matter, article files, Markdown to safe HTML, export writer, and what we import from
//!   (WordPress WXR, Hugo and Zola content folders). No I/O.
//! - [`store`]: all SQL (SQLite), migrations, the change log.
//! - [`search`]: the tantivy full-text index: analyzers, queries, snippets, suggestions.
//! - [`render`]: templates, view models, the in-memory page cache, static assets.
//! - [`contact`]: Contact Us spam defences, form tokens, address hashes, the notification outbox.
//! - [`app`]: the use cases wiring store and render together (show a page, import a file, sign in, edit,
//!   publish and schedule, revisions, the inbox), and the [`app::Clock`] every use case takes time from.
//! - [`http`]: router, the one error type, thin handlers (the reader site, and `/admin` for editors), the hyper
//!   server loop.
//! - [`cmd`] and [`cli`]: one module per subcommand.
//! - [`config`]: TOML file + environment + flags into one `Config`.

pub mod app;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod contact;
pub mod content;
pub mod domain;
pub mod http;
pub mod render;
pub mod search;
pub mod store;
