//! HTTP: the router, the error type, thin handlers, and the hyper server loop.

mod admin;
mod client_ip;
mod contact;
mod error;
mod fast;
mod layers;
mod pages;
mod redirects;
mod respond;
mod search;
mod serve;

pub use error::Error;
pub use serve::{serve, shutdown_signal};

use crate::app::App;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;

/// Shared handler state.
pub type AppState = Arc<App>;

/// Builds the router for `app`: every route, the fallback 404, and the layers.
pub fn router(app: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(pages::home))
        .route("/articles/{slug}", get(pages::article))
        .route("/tags", get(pages::tags))
        .route("/tags/{tag}", get(pages::tag))
        .route("/tags/{tag}/{file}", get(pages::tag_feed))
        .route("/{file}", get(pages::site_file))
        .route("/static/{*name}", get(pages::asset))
        .route("/healthz", get(pages::healthz))
        .route("/search", get(search::page))
        .route("/api/search", get(search::api))
        .route("/contact", get(contact::form).post(contact::submit))
        .route("/contact/thanks", get(contact::thanks))
        .merge(admin::routes())
        .fallback(pages::not_found);
    layers::apply(routes, app.clone()).with_state(app)
}
