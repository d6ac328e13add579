//! Revisions: the history of an article, one revision with a diff against the current text, restore.

use super::article_form::human_time;
use super::session::{AdminForm, Editor};
use super::{AppState, Error, blocking, page, see_other};
use crate::app::AppError;
use crate::app::editor::EditError;
use crate::domain::{Slug, Status};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

/// `GET /admin/articles/{slug}/revisions`
pub async fn list(
    State(app): State<AppState>,
    Editor(who): Editor,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let slug = Slug::parse(&slug).map_err(|_| Error::NotFound)?;
    let a = app.clone();
    let s = slug.clone();
    let (article, history) = blocking(move || -> Result<_, AppError> {
        let article = a.article(&s)?.article;
        Ok((article, a.history(&s)?))
    })
    .await??;
    let revisions: Vec<_> = history
        .iter()
        .map(|r| context! { id => r.id, at => human_time(r.at), who => &r.who, note => &r.note, changed => &r.changed, current => r.current })
        .collect();
    page(
        &app,
        Some(&who),
        "admin/revisions.html",
        context! { slug => slug.as_str(), title => article.title, revisions },
        StatusCode::OK,
    )
}

/// `GET /admin/articles/{slug}/revisions/{id}`
pub async fn show(
    State(app): State<AppState>,
    Editor(who): Editor,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, Error> {
    render(&app, &who, &slug, id, None, None, StatusCode::OK).await
}

async fn render(
    app: &AppState,
    who: &crate::app::auth::SignedIn,
    slug: &str,
    id: i64,
    errors: Option<crate::app::editor::FieldErrors>,
    reason: Option<String>,
    status: StatusCode,
) -> Result<Response, Error> {
    let slug = Slug::parse(slug).map_err(|_| Error::NotFound)?;
    let a = app.clone();
    let s = slug.clone();
    let (rev, hunks, current, checked) = blocking(move || -> Result<_, AppError> {
        let (rev, hunks) = a.revision_diff(&s, id)?;
        let current = a.article(&s)?.article;
        let mut restored = rev.article.clone();
        restored.status = current.status;
        let checked = a.check_article(&restored);
        Ok((rev, hunks, current, checked))
    })
    .await??;
    let public = matches!(current.status, Status::Published | Status::Scheduled);
    let ctx = context! {
        slug => slug.as_str(), title => current.title, id => rev.id, at => human_time(rev.at), rev_who => rev.who,
        note => rev.note, hunks, checked, needs_override => public && checked.errors > 0,
        trashed => current.status == Status::Trashed, errors, reason,
    };
    page(app, Some(who), "admin/revision.html", ctx, status)
}

/// The restore form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RestoreForm {
    #[serde(rename = "override")]
    override_ticked: String,
    override_reason: String,
}

/// `POST /admin/articles/{slug}/revisions/{id}/restore`
pub async fn restore(
    State(app): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    f: AdminForm<RestoreForm>,
) -> Result<Response, Error> {
    let parsed = Slug::parse(&slug).map_err(|_| Error::NotFound)?;
    let reason = (!f.form.override_ticked.is_empty()).then(|| f.form.override_reason.clone());
    let a = app.clone();
    let w = f.who.clone();
    let r = reason.clone();
    match blocking(move || a.restore_revision(&parsed, id, &w, r.as_deref())).await? {
        Ok(()) => Ok(see_other(&format!("/admin/articles/{slug}?done=restored"))),
        Err(EditError::Invalid(errors)) => {
            render(&app, &f.who, &slug, id, Some(errors), reason, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(EditError::Conflict) => Err(Error::BadRequest("The article changed; please try again.".into())),
        Err(EditError::App(e)) => Err(e.into()),
    }
}
