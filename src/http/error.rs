//! The one HTTP error type: every failure becomes a human page with the right status, in one place.

use crate::app::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A failed request. Rendered into the site's error page by the `layers` module, which has the templates.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 404.
    #[error("not found")]
    NotFound,
    /// 400 with a message for the reader.
    #[error("{0}")]
    BadRequest(String),
    /// 413: the request body is over the limit.
    #[error("request body too large")]
    TooLarge,
    /// 408: the body stopped arriving.
    #[error("request body timed out")]
    Timeout,
    /// 503: try again later (database busy or full).
    #[error("unavailable: {0}")]
    Unavailable(#[source] AppError),
    /// 500; the detail is logged, never shown.
    #[error("internal: {0}")]
    Internal(#[source] AppError),
    /// 500: the blocking task that served the request panicked or was cancelled.
    #[error("request task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// 403 with a sentence saying why (an editor asking for an admin's action, a failed CSRF check).
    #[error("forbidden: {0}")]
    Forbidden(String),
}

/// Marker put on error responses so the page layer can render the human page.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// Heading.
    pub heading: &'static str,
    /// Sentence for the reader.
    pub message: String,
}

impl From<AppError> for Error {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => Error::NotFound,
            AppError::BadRequest(m) => Error::BadRequest(m),
            AppError::Forbidden(m) => Error::Forbidden(m),
            AppError::Store(s) if s.is_temporary() => Error::Unavailable(AppError::Store(s)),
            other => Error::Internal(other),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            Error::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is no page at this address. It may have moved, or the link may be mistyped."
                    .to_owned(),
            ),
            Error::BadRequest(m) => {
                (StatusCode::BAD_REQUEST, "That request could not be understood", m.clone())
            }
            Error::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "That was too much to send at once",
                "Please shorten your message and try again. Messages can be up to 10,000 characters."
                    .to_owned(),
            ),
            Error::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "That took too long",
                "Your message arrived too slowly, so it was not saved. Please try again.".to_owned(),
            ),
            Error::Unavailable(detail) => {
                tracing::warn!(%detail, "request could not be served for now");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Please try again in a moment",
                    "The site is busy right now. Nothing is wrong with your request.".to_owned(),
                )
            }
            Error::Internal(_) | Error::Task(_) => {
                tracing::error!(detail = %self, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The page could not be shown because of a fault on our side. It has been logged."
                        .to_owned(),
                )
            }
            Error::Forbidden(m) => (StatusCode::FORBIDDEN, "That is not allowed", m.clone()),
        };
        let mut r = status.into_response();
        r.extensions_mut().insert(ErrorPage { heading, message });
        r
    }
}
