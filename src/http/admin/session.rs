//! The session at the HTTP edge: the cookie, the [`Editor`] extractor (signed in, or redirected to the
//! sign-in page), and [`AdminForm`], which every admin POST uses, so none can skip the CSRF check.

use super::super::{AppState, Error};
use crate::app::auth::{COOKIE, SignedIn};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

/// Largest admin form body. Stays under the site-wide limit in `layers`.
const MAX_FORM_BYTES: usize = 250 * 1024;

/// What a failed CSRF check says.
const CSRF_REFUSED: &str = "This form could not be verified: it may have expired, or it did not come from \
                            this site. Go back, reload the page and try again. Nothing was changed.";

/// A signed-in editor. Signed-out requests are redirected to `/admin/login`.
pub struct Editor(pub SignedIn);

impl FromRequestParts<AppState> for Editor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let Some(token) = session_cookie(&parts.headers) else {
            return Err(to_login(false));
        };
        let a = app.clone();
        match tokio::task::spawn_blocking(move || a.session(&token)).await {
            Ok(Ok(Some(who))) => Ok(Editor(who)),
            // Unknown, forged, expired or ended: start again, and drop the stale cookie.
            Ok(Ok(None)) => Err(to_login(true)),
            Ok(Err(e)) => Err(Error::from(e).into_response()),
            Err(e) => Err(Error::from(e).into_response()),
        }
    }
}

/// A POSTed admin form from a signed-in editor whose CSRF token (field `csrf`) matched the session's.
pub struct AdminForm<T> {
    /// Who sent it.
    pub who: SignedIn,
    /// The form's fields.
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for AdminForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Editor(who) = Editor::from_request_parts(&mut parts, app).await?;
        let bytes =
            axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| Error::TooLarge.into_response())?;
        let unreadable = || Error::BadRequest("The form data could not be read.".into()).into_response();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| unreadable())?;
        let sent = pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
        if !who.csrf_matches(sent) {
            tracing::warn!(target: "zeroopposite::auth", user = %who.name, "CSRF check failed");
            return Err(Error::Forbidden(CSRF_REFUSED.into()).into_response());
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| unreadable())?;
        Ok(AdminForm { who, form })
    }
}

/// The session token from the request's cookies, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// `Set-Cookie` for a new session: only sent to `/admin`, never readable by script, never sent from
/// another site, and only over https when the site is served over https. No `Max-Age`: it ends with
/// the browser, and the server ends it earlier (idle and absolute expiry).
pub fn set_session(token: &str, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Strict{secure}"))
        .expect("a hex token makes a valid header")
}

/// `Set-Cookie` that deletes the session cookie.
pub fn clear_session() -> HeaderValue {
    HeaderValue::from_static("zo_session=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// A redirect to the sign-in page (303), dropping the cookie when `clear`.
pub fn to_login(clear: bool) -> Response {
    let mut r = Redirect::to("/admin/login").into_response();
    if clear {
        r.headers_mut().insert(header::SET_COOKIE, clear_session());
    }
    r
}
