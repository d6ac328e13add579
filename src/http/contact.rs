//! `/contact`: the form (GET), its submission (POST, then 303 to the thank-you page), and `/contact/thanks`.

use super::{AppState, Error};
use crate::app::Submitted;
use crate::contact::form::{ContactForm, FieldErrors};
use crate::http::client_ip::ClientIp;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

/// Largest form body: 10,000 characters of any script, percent-encoded, with room for the other fields.
pub const MAX_FORM_BYTES: usize = 160 * 1024;

/// `GET /contact`
pub async fn form(State(app): State<AppState>) -> Result<Response, Error> {
    let form = ContactForm { kind: "question".into(), ..ContactForm::default() };
    render(&app, &form, &FieldErrors::new(), StatusCode::OK)
}

/// `POST /contact`
pub async fn submit(
    State(app): State<AppState>,
    ClientIp(client): ClientIp,
    body: Body,
) -> Result<Response, Error> {
    // The whole body has already arrived within the total deadline (`layers::whole_body_in_time`);
    // this only applies the form's own, smaller size limit.
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(body_error)?;
    let form: ContactForm = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| Error::BadRequest("The form data could not be read.".into()))?;
    let a = app.clone();
    let f = form.clone();
    let outcome = tokio::task::spawn_blocking(move || a.submit_contact(&f, client, a.now())).await?;
    match outcome {
        Submitted::Stored => Ok(Redirect::to("/contact/thanks").into_response()),
        Submitted::Invalid(errors) => render(&app, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
        Submitted::RateLimited(wait) => {
            let secs = wait.as_secs().max(1);
            let minutes = secs.div_ceil(60);
            let errors = FieldErrors::from([(
                "form",
                format!(
                    "Many messages have come from your connection recently. Your text is kept below: \
                     please try again in about {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
            )]);
            let mut r = render(&app, &form, &errors, StatusCode::TOO_MANY_REQUESTS)?;
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            Ok(r)
        }
        Submitted::Unavailable => {
            let errors = FieldErrors::from([(
                "form",
                "Your message could not be saved just now, so it has not been sent. Your text is kept below: \
                 please try again in a moment."
                    .to_owned(),
            )]);
            let mut r = render(&app, &form, &errors, StatusCode::SERVICE_UNAVAILABLE)?;
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            Ok(r)
        }
    }
}

/// `GET /contact/thanks`
pub async fn thanks(State(app): State<AppState>) -> Result<Response, Error> {
    Ok(no_store(Html(app.thanks_page()?).into_response()))
}

/// Renders the form with the reader's text, a fresh token and the errors next to their fields.
fn render(
    app: &AppState,
    form: &ContactForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, Error> {
    Ok(no_store((status, Html(app.contact_page(form, errors)?)).into_response()))
}

/// A body that is too large is a 413; one that stopped arriving (read timeout) or broke is a 408.
pub(super) fn body_error(e: axum::Error) -> Error {
    let inner = e.into_inner();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(inner.as_ref());
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return Error::TooLarge;
        }
        source = err.source();
    }
    Error::Timeout
}

/// Forms carry a one-time token and the reader's text: never cache them.
fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
