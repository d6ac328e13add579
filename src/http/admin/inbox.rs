//! The inbox (Contact Us messages by kind and status, one message, its actions) and search insights.

use super::article_form::human_time;
use super::session::{AdminForm, Editor};
use super::{AppState, Error, blocking, page, see_other};
use crate::app::AppError;
use crate::app::inbox::MessageAction;
use crate::domain::{MessageKind, MessageStatus};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

/// `?kind=&status=&done=`
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    kind: String,
    status: String,
    done: String,
}

/// `GET /admin/inbox`: new messages by default.
pub async fn list(
    State(app): State<AppState>,
    Editor(who): Editor,
    Query(q): Query<InboxQuery>,
) -> Result<Response, Error> {
    let kind = MessageKind::parse(q.kind.trim());
    let status = match q.status.trim() {
        "" => Some(MessageStatus::New),
        "all" => None,
        s => MessageStatus::parse(s),
    };
    let a = app.clone();
    let messages = blocking(move || a.inbox(kind, status)).await??;
    let rows: Vec<_> = messages
        .iter()
        .map(|m| {
            let first = m.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let preview: String = first.chars().take(100).collect();
            context! {
                id => m.id, received => human_time(m.received_at), kind => m.kind.label(),
                status => m.status.as_str(), preview, more => first.chars().count() > 100,
            }
        })
        .collect();
    let kinds: Vec<_> =
        MessageKind::ALL.iter().map(|k| context! { value => k.as_str(), label => k.label() }).collect();
    let notice = match q.done.as_str() {
        "deleted" => Some("Message deleted."),
        _ => None,
    };
    let ctx = context! {
        rows, kinds, kind => kind.map(MessageKind::as_str), status => status.map_or("all", MessageStatus::as_str), notice,
    };
    page(&app, Some(&who), "admin/inbox.html", ctx, StatusCode::OK)
}

/// `GET /admin/inbox/{id}`
pub async fn show(
    State(app): State<AppState>,
    Editor(who): Editor,
    Path(id): Path<i64>,
    Query(q): Query<InboxQuery>,
) -> Result<Response, Error> {
    let a = app.clone();
    let (m, answer) = blocking(move || a.message_with_answer(id)).await??;
    let notice = match q.done.as_str() {
        "handled" => Some("Marked as handled."),
        "reopen" => Some("Marked as new."),
        "spam" => Some("Marked as spam."),
        "notspam" => Some("Marked as not spam: it is back in the inbox."),
        _ => None,
    };
    let ctx = context! {
        id => m.id, received => human_time(m.received_at), kind => m.kind.label(), is_question => m.kind == MessageKind::Question,
        status => m.status.as_str(), name => m.name, email => m.email, body => m.body, spam_reason => m.spam_reason,
        answer, notice,
    };
    page(&app, Some(&who), "admin/message.html", ctx, StatusCode::OK)
}

/// The action buttons' form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActForm {
    action: String,
}

/// `POST /admin/inbox/{id}`: handled, reopen, spam, notspam, delete, or answer (make a draft).
pub async fn act(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    f: AdminForm<ActForm>,
) -> Result<Response, Error> {
    let a = app.clone();
    if f.form.action == "answer" {
        let slug = blocking(move || a.answer_message(id, &f.who)).await??;
        return Ok(see_other(&format!("/admin/articles/{slug}?done=answer")));
    }
    let action =
        MessageAction::parse(&f.form.action).ok_or_else(|| Error::BadRequest("Unknown action.".into()))?;
    blocking(move || a.act_on_message(id, action, &f.who)).await??;
    Ok(match action {
        MessageAction::Delete => see_other("/admin/inbox?done=deleted"),
        _ => see_other(&format!("/admin/inbox/{id}?done={}", f.form.action)),
    })
}

/// `GET /admin/insights`: top searches and searches that found nothing, each only when made at least
/// `insights_min_count` times (counts only: nothing about who searched is kept).
pub async fn insights(State(app): State<AppState>, Editor(who): Editor) -> Result<Response, Error> {
    let cfg = app.config.search.clone();
    let days = 30.min(cfg.insights_retention_days);
    let since = (app.now().date() - time::Duration::days(days - 1)).to_string();
    let min = cfg.insights_min_count;
    let a = app.clone();
    let (top, zero) = blocking(move || -> Result<_, AppError> {
        Ok((a.store.top_searches(&since, min, false, 50)?, a.store.top_searches(&since, min, true, 50)?))
    })
    .await??;
    let ctx = context! { enabled => cfg.insights, days, min, top, zero };
    page(&app, Some(&who), "admin/insights.html", ctx, StatusCode::OK)
}
