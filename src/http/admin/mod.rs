//! `/admin`: the editors' side. Server-rendered forms that work without JavaScript, under the same CSP
//! as the reader site. Every POST goes through [`session::AdminForm`] (signed in + CSRF token); every
//! response is `no-store` and `noindex`.

mod article_form;
mod articles;
mod inbox;
mod login;
mod revisions;
mod session;
mod users;

use super::{AppState, Error};
use crate::app::auth::SignedIn;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use session::Editor;

/// The admin routes, to be merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/", get(home))
        .route("/admin/login", get(login::form).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/admin/articles", get(articles::list))
        .route("/admin/articles/new", get(articles::new).post(articles::create))
        .route("/admin/articles/{slug}", get(articles::edit).post(articles::save))
        .route("/admin/articles/{slug}/trash", post(articles::trash))
        .route("/admin/preview", post(articles::preview))
        .route("/admin/articles/{slug}/revisions", get(revisions::list))
        .route("/admin/articles/{slug}/revisions/{id}", get(revisions::show))
        .route("/admin/articles/{slug}/revisions/{id}/restore", post(revisions::restore))
        .route("/admin/trash", get(articles::trash_list))
        .route("/admin/trash/restore", post(articles::untrash))
        .route("/admin/trash/empty", post(articles::empty_trash))
        .route("/admin/inbox", get(inbox::list))
        .route("/admin/inbox/{id}", get(inbox::show).post(inbox::act))
        .route("/admin/insights", get(inbox::insights))
        .route("/admin/users", get(users::list).post(users::add))
        .route("/admin/users/{name}", post(users::change))
}

/// `/admin`: the article list when signed in (the extractor sends everyone else to the sign-in page).
async fn home(Editor(_): Editor) -> Redirect {
    Redirect::to("/admin/articles")
}

/// Renders admin template `name` for `who`, with the site, the account and its CSRF token in context.
fn page(
    app: &AppState,
    who: Option<&SignedIn>,
    name: &str,
    ctx: Value,
    status: StatusCode,
) -> Result<Response, Error> {
    let account =
        who.map(|w| context! { name => w.name.as_str(), role => w.role.as_str(), is_admin => w.is_admin() });
    let csrf = who.map(|w| w.csrf.as_str());
    let nav = match name {
        "admin/articles.html" | "admin/editor.html" | "admin/revisions.html" | "admin/revision.html" => {
            "articles"
        }
        "admin/inbox.html" | "admin/message.html" => "inbox",
        "admin/trash.html" => "trash",
        "admin/insights.html" => "insights",
        "admin/users.html" => "users",
        _ => "",
    };
    let html = app.admin_page(name, context! { who => account, csrf, nav, ..ctx })?;
    Ok(private((status, Html(html)).into_response()))
}

/// Admin pages hold unpublished text and tokens: never cached, never indexed.
fn private(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    r
}

/// A 303 to `to` after a POST (post/redirect/get), so reloading never repeats an action.
fn see_other(to: &str) -> Response {
    private(Redirect::to(to).into_response())
}

/// Runs blocking app code off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    Ok(tokio::task::spawn_blocking(f).await?)
}

/// Admins only.
fn require_admin(who: &SignedIn) -> Result<(), Error> {
    if who.is_admin() { Ok(()) } else { Err(Error::Forbidden("Only an admin can manage accounts.".into())) }
}
