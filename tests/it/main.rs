//! The one integration-test binary: real server on port 0, real SQLite file, real CLI.
#![allow(clippy::unwrap_used)]
// Tests build their own times (often "now" on a test's own terms).
#![allow(clippy::disallowed_methods)]

mod admin;
mod backup;
mod checks;
mod concurrency;
mod config;
mod contact;
mod durability;
mod feeds;
mod helpers;
mod import_export;
mod instances;
mod migrate;
mod migration;
mod moving_in;
mod reader_site;
mod search;
mod security;
mod static_export;
mod stored_format;
