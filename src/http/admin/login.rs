//! Signing in (`GET`/`POST /admin/login`) and out (`POST /admin/logout`).

use super::session::{self, AdminForm};
use super::{AppState, Error, blocking, page, see_other};
use crate::app::auth::Login;
use crate::http::client_ip::ClientIp;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

/// The sign-in form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    name: String,
    password: String,
    token: String,
}

/// The one answer to a wrong name or password, and to a throttled try: neither says whether the
/// account exists.
const REFUSED: &str = "That name and password do not match an account. Please try again.";

/// `GET /admin/login`
pub async fn form(State(app): State<AppState>) -> Result<Response, Error> {
    render(&app, "", None, StatusCode::OK)
}

/// `POST /admin/login`
pub async fn submit(
    State(app): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    axum::Form(f): axum::Form<LoginForm>,
) -> Result<Response, Error> {
    if cross_site(&headers, &app.config().base_url) {
        // Login CSRF: another site's page signing this browser in to an account of the attacker's.
        let msg = "This sign-in came from another site, so it was refused. Please sign in on this page.";
        return render(&app, "", Some(msg), StatusCode::FORBIDDEN);
    }
    if !app.login_form_token_ok(&f.token) {
        let msg = "This sign-in form has expired. Please sign in again.";
        return render(&app, &f.name, Some(msg), StatusCode::FORBIDDEN);
    }
    let previous = session::session_cookie(&headers);
    let a = app.clone();
    let (name, password) = (f.name.clone(), f.password);
    let outcome = blocking(move || a.login(&name, &password, client, previous.as_deref())).await??;
    match outcome {
        Login::SignedIn { token } => {
            let mut r = see_other("/admin/articles");
            r.headers_mut().insert(header::SET_COOKIE, session::set_session(&token, app.config().is_https()));
            Ok(r)
        }
        Login::Refused => render(&app, &f.name, Some(REFUSED), StatusCode::UNAUTHORIZED),
        Login::Busy => {
            let msg = "Many people are signing in right now. Please try again in a few seconds.";
            let mut r = render(&app, &f.name, Some(msg), StatusCode::SERVICE_UNAVAILABLE)?;
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            Ok(r)
        }
        Login::Throttled { retry_after } => {
            let minutes = retry_after.whole_minutes().max(1);
            let msg = format!(
                "Too many sign-in attempts. For safety, please wait about {minutes} minute{} and try again.",
                if minutes == 1 { "" } else { "s" }
            );
            let mut r = render(&app, &f.name, Some(&msg), StatusCode::TOO_MANY_REQUESTS)?;
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.whole_seconds().max(1)));
            Ok(r)
        }
    }
}

/// `POST /admin/logout`: ends the session on the server and drops the cookie.
pub async fn logout(
    State(app): State<AppState>,
    form: AdminForm<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let a = app.clone();
    blocking(move || a.logout(&form.who)).await??;
    let mut r = see_other("/admin/login");
    r.headers_mut().insert(header::SET_COOKIE, session::clear_session());
    Ok(r)
}

/// Whether a browser says the form was posted from another site: `Sec-Fetch-Site` other than
/// `same-origin` or `none` (every current browser sends it, and it is decisive), or, from a browser
/// without it, an `Origin` that is neither the site's base URL nor the `Host` asked for. `Origin:
/// null` is what our own pages send (their `Referrer-Policy` is `no-referrer`), so it decides
/// nothing. Clients that send neither (scripts, `curl`) cannot be made to sign in by a page.
fn cross_site(headers: &HeaderMap, base_url: &str) -> bool {
    let get = |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = get(header::ORIGIN).filter(|o| *o != "null") else { return false };
    let own = base_url.trim_end_matches('/');
    let host = get(header::HOST).unwrap_or("");
    let same = origin.eq_ignore_ascii_case(own)
        || (!host.is_empty()
            && (origin.eq_ignore_ascii_case(&format!("http://{host}"))
                || origin.eq_ignore_ascii_case(&format!("https://{host}"))));
    !same
}

fn render(app: &AppState, name: &str, error: Option<&str>, status: StatusCode) -> Result<Response, Error> {
    let token = app.login_form_token();
    page(app, None, "admin/login.html", context! { name, error, token }, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_posts_from_this_site_or_from_no_browser_sign_in() {
        let base = "https://zo.example";
        assert!(!cross_site(&headers(&[]), base));
        assert!(!cross_site(
            &headers(&[("origin", "https://zo.example"), ("sec-fetch-site", "same-origin")]),
            base
        ));
        assert!(!cross_site(
            &headers(&[("origin", "http://127.0.0.1:9000"), ("host", "127.0.0.1:9000")]),
            base
        ));
        assert!(cross_site(&headers(&[("origin", "https://evil.example")]), base));
        assert!(!cross_site(&headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]), base));
        assert!(cross_site(&headers(&[("origin", "null"), ("sec-fetch-site", "cross-site")]), base));
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")]), base));
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")]), base));
    }
}
