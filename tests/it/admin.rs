//! The editors' side over real HTTP: accounts, sessions, CSRF, roles, the publishing workflow, revisions,
//! trash, and the inbox. Time comes from a `FixedClock` the tests move, so nothing sleeps.

use crate::helpers::*;
use std::net::IpAddr;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use zeroopposite::app::FixedClock;
use zeroopposite::app::auth::Login;
use zeroopposite::domain::{MessageStatus, Role, Slug, Status};

const PASSWORD: &str = "correct horse battery staple";

/// A signed-in browser: its cookie and the session's CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn clocked() -> (TestApp, Arc<FixedClock>) {
    clocked_with(|_| {}).await
}

async fn clocked_with(adjust: impl FnOnce(&mut zeroopposite::config::Config)) -> (TestApp, Arc<FixedClock>) {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let app = spawn_with_clock(adjust, clock.clone()).await;
    (app, clock)
}

async fn add_user(app: &TestApp, name: &str, role: Role) {
    let a = app.app.clone();
    let name = name.to_owned();
    tokio::task::spawn_blocking(move || a.add_user(&name, role, PASSWORD).unwrap()).await.unwrap();
}

fn hidden(html: &str, name: &str) -> String {
    let pat = format!(r#"name="{name}" value=""#);
    let start = html.find(&pat).unwrap_or_else(|| panic!("no hidden {name} in {html}")) + pat.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn login(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    let (_, form) = app.get("/admin/login").await;
    let token = hidden(&form, "token");
    app.client
        .post(format!("{}/admin/login", app.base))
        .form(&[("token", token.as_str()), ("name", name), ("password", password)])
        .send()
        .await
        .unwrap()
}

fn session_cookie(r: &reqwest::Response) -> String {
    let set = r.headers()["set-cookie"].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

async fn sign_in(app: &TestApp, name: &str) -> Session {
    let r = login(app, name, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303, "signed in");
    let cookie = session_cookie(&r);
    let (status, html) = get(app, &cookie, "/admin/articles").await;
    assert_eq!(status, 200);
    Session { csrf: hidden(&html, "csrf"), cookie }
}

async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let r = app.client.get(format!("{}{path}", app.base)).header("cookie", cookie).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = vec![("csrf", s.csrf.as_str())];
    all.extend_from_slice(fields);
    app.client
        .post(format!("{}{path}", app.base))
        .header("cookie", &s.cookie)
        .form(&all)
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn article(app: &TestApp, slug: &str) -> zeroopposite::domain::Article {
    app.store.article(&Slug::parse(slug).unwrap()).unwrap().expect("article exists").article
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_the_login_page() {
    let app = spawn_app().await;
    for path in ["/admin", "/admin/articles", "/admin/inbox", "/admin/users", "/admin/articles/new"] {
        let r = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 303, "{path}");
        assert_eq!(location(&r), "/admin/login", "{path}");
    }
    let (status, html) = app.get("/admin/login").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<label for="name">"#) && html.contains(r#"autocomplete="current-password""#));
}

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_logout_ends_the_session_for_good() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let r = login(&app, "Ana", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/admin/articles");
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
        assert!(set.contains(attr), "{set}");
    }
    assert!(!set.contains("Secure"), "plain http base URL: no Secure");
    let cookie = session_cookie(&r);
    let (status, html) = get(&app, &cookie, "/admin").await;
    assert_eq!(status, 303, "/admin goes to the article list when signed in: {html}");
    let (status, html) = get(&app, &cookie, "/admin/articles").await;
    assert_eq!(status, 200);
    assert!(html.contains("Signed in as ana"));
    let s = Session { csrf: hidden(&html, "csrf"), cookie: cookie.clone() };

    let r = post(&app, &s, "/admin/logout", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/admin/login");
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let (status, _) = get(&app, &cookie, "/admin/articles").await;
    assert_eq!(status, 303, "a replayed cookie after logout is refused");
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_site_is_served_over_https() {
    let app = spawn_with(|c| c.base_url = "https://zeroopposite.example".into()).await;
    add_user(&app, "ana", Role::Editor).await;
    let r = login(&app, "ana", PASSWORD).await;
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
}

#[tokio::test]
async fn every_login_gets_a_new_session_id_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let first = session_cookie(&login(&app, "ana", PASSWORD).await);
    let (_, form) = app.get("/admin/login").await;
    let token = hidden(&form, "token");
    let r = app
        .client
        .post(format!("{}/admin/login", app.base))
        .header("cookie", &first)
        .form(&[("token", token.as_str()), ("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let second = session_cookie(&r);
    assert_ne!(first, second);
    assert_eq!(get(&app, &first, "/admin/articles").await.0, 303, "the session the browser had is ended");
    assert_eq!(get(&app, &second, "/admin/articles").await.0, 200);
}

#[tokio::test]
async fn forged_and_malformed_session_cookies_are_refused() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Admin).await;
    let _real = sign_in(&app, "ana").await;
    let forged = format!("zo_session={}", "ab".repeat(32));
    for cookie in [forged.as_str(), "zo_session=../../etc/passwd", "zo_session=", "other=1"] {
        let r = app
            .client
            .get(format!("{}/admin/articles", app.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303, "{cookie}");
        assert_eq!(location(&r), "/admin/login");
    }
}

#[tokio::test]
async fn sessions_end_after_the_idle_time_and_after_the_absolute_limit() {
    let (app, clock) = clocked().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    clock.advance(Duration::minutes(59));
    assert_eq!(get(&app, &s.cookie, "/admin/articles").await.0, 200, "used within the idle time");
    clock.advance(Duration::minutes(61));
    assert_eq!(get(&app, &s.cookie, "/admin/articles").await.0, 303, "idle for over an hour");

    let s = sign_in(&app, "ana").await;
    for _ in 0..14 {
        clock.advance(Duration::minutes(50));
        assert_eq!(get(&app, &s.cookie, "/admin/articles").await.0, 200);
    }
    clock.advance(Duration::minutes(50));
    assert_eq!(get(&app, &s.cookie, "/admin/articles").await.0, 303, "over 12 hours since sign-in");
}

#[tokio::test]
async fn wrong_names_and_passwords_get_one_answer_and_the_sixth_try_waits() {
    let (app, clock) = clocked().await;
    add_user(&app, "ana", Role::Editor).await;
    let mut bodies = Vec::new();
    for (name, pw) in [("ana", "wrong password 1"), ("nobody", PASSWORD)] {
        let r = login(&app, name, pw).await;
        assert_eq!(r.status().as_u16(), 401);
        assert!(r.headers().get("set-cookie").is_none());
        let body = r.text().await.unwrap();
        bodies.push(body.replace(name, "NAME"));
    }
    assert_eq!(bodies[0], bodies[1].replace(&hidden(&bodies[1], "token"), &hidden(&bodies[0], "token")));
    for i in 0..4 {
        assert_eq!(login(&app, "ana", &format!("wrong {i}")).await.status().as_u16(), 401);
        assert_eq!(login(&app, "nobody", &format!("wrong {i}")).await.status().as_u16(), 401);
    }
    // Five failures for a name from this address: even the right password now waits, for a real or
    // an unknown account alike.
    let r = login(&app, "ana", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers()["retry-after"].to_str().unwrap().parse::<i64>().unwrap() > 0);
    let real = r.text().await.unwrap();
    let r = login(&app, "nobody", "x").await;
    assert_eq!(r.status().as_u16(), 429);
    let unknown = r.text().await.unwrap();
    let message =
        |h: &str| h[h.find("<p id=\"login-error\">").unwrap()..].split("</p>").next().unwrap().to_owned();
    assert_eq!(message(&real), message(&unknown), "the same message whether or not the account exists");
    clock.advance(Duration::minutes(16));
    assert_eq!(login(&app, "ana", PASSWORD).await.status().as_u16(), 303, "the window has passed");
}

#[tokio::test]
async fn throttling_counts_per_name_and_address_and_per_address_across_names() {
    let (app, _clock) = clocked().await;
    add_user(&app, "ana", Role::Editor).await;
    add_user(&app, "ben", Role::Editor).await;
    let a = app.app.clone();
    tokio::task::spawn_blocking(move || {
        let ip = |n: u8| -> IpAddr { format!("192.0.2.{n}").parse().unwrap() };
        for n in 1..=5 {
            assert!(matches!(a.login("ana", "wrong", ip(n), None).unwrap(), Login::Refused));
        }
        assert!(
            matches!(a.login("ana", PASSWORD, ip(9), None).unwrap(), Login::SignedIn { .. }),
            "failures from other addresses do not lock the name out"
        );
        for n in 0..20 {
            assert!(matches!(a.login(&format!("guess{n}"), "x", ip(20), None).unwrap(), Login::Refused));
        }
        assert!(
            matches!(a.login("ben", PASSWORD, ip(20), None).unwrap(), Login::Throttled { .. }),
            "one address guessing many names waits"
        );
        assert!(matches!(a.login("ben", PASSWORD, ip(21), None).unwrap(), Login::SignedIn { .. }));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn posts_without_the_sessions_csrf_token_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Admin).await;
    add_user(&app, "ben", Role::Editor).await;
    let ana = sign_in(&app, "ana").await;
    let ben = sign_in(&app, "ben").await;
    let before = app.store.article_count().unwrap();
    let fields = [("title", "Sneaky"), ("body", "x"), ("action", "publish")];
    let missing = app
        .client
        .post(format!("{}/admin/articles/new", app.base))
        .header("cookie", &ana.cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 403);
    let other = Session { cookie: ana.cookie.clone(), csrf: ben.csrf.clone() };
    assert_eq!(
        post(&app, &other, "/admin/articles/new", &fields).await.status().as_u16(),
        403,
        "another session's token"
    );
    let logout = app
        .client
        .post(format!("{}/admin/logout", app.base))
        .header("cookie", &ana.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status().as_u16(), 403, "even logout needs the token");
    assert_eq!(app.store.article_count().unwrap(), before);
    assert_eq!(get(&app, &ana.cookie, "/admin/articles").await.0, 200, "still signed in");
    let (_, form) = app.get("/admin/login").await;
    let forged = hidden(&form, "token").replace('1', "2");
    let r = app
        .client
        .post(format!("{}/admin/login", app.base))
        .form(&[("token", forged.as_str()), ("name", "ana"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "the login form's token is checked too");
}

#[tokio::test]
async fn an_editor_is_refused_account_management_and_emptying_the_trash() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Admin).await;
    add_user(&app, "ben", Role::Editor).await;
    let ben = sign_in(&app, "ben").await;
    assert_eq!(get(&app, &ben.cookie, "/admin/users").await.0, 403);
    let r =
        post(&app, &ben, "/admin/users", &[("name", "eve"), ("role", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(post(&app, &ben, "/admin/users/ana", &[("action", "remove")]).await.status().as_u16(), 403);
    assert_eq!(post(&app, &ben, "/admin/trash/empty", &[]).await.status().as_u16(), 403);
    assert_eq!(app.store.users().unwrap().len(), 2);

    let ana = sign_in(&app, "ana").await;
    let (status, html) = get(&app, &ana.cookie, "/admin/users").await;
    assert_eq!(status, 200);
    assert!(html.contains("ben"));
    let r = post(&app, &ana, "/admin/users", &[("name", "cleo"), ("role", "editor"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r =
        post(&app, &ana, "/admin/users", &[("name", "dan"), ("role", "editor"), ("password", "short")]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains(r#"id="password-error""#), "error next to the field");
    assert_eq!(
        post(&app, &ana, "/admin/users/ana", &[("action", "remove")]).await.status().as_u16(),
        422,
        "last admin"
    );
    assert_eq!(post(&app, &ana, "/admin/users/ben", &[("action", "remove")]).await.status().as_u16(), 303);
    assert_eq!(get(&app, &ben.cookie, "/admin/articles").await.0, 303, "a removed account's session ends");
}

const BODY: &str = "Trust after harm grows slowly (Herman, 1992).\n\nZephyrquill is our test word.\n";

fn new_article_fields<'a>(title: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", ""),
        ("question", "How can trust come back after harm?"),
        ("answer", "Slowly, and on the survivor's terms."),
        ("body", BODY),
        ("tags", "trauma, healing"),
        ("content_notes", "trauma"),
        ("ref-0-key", "Herman, 1992"),
        ("ref-0-text", "Herman, J. L. (1992). Trauma and recovery. Basic Books."),
        ("author", "The editors"),
        ("action", action),
    ]
}

#[tokio::test]
async fn a_draft_is_scheduled_then_published_on_time_and_shows_on_the_site_in_search_and_in_the_feed() {
    let (app, clock) = clocked().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;

    let r = post(&app, &s, "/admin/articles/new", &new_article_fields("Trust After Harm", "save")).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(location(&r), "/admin/articles/trust-after-harm?done=created");
    assert_eq!(article(&app, "trust-after-harm").status, Status::Draft);
    assert_eq!(app.get("/articles/trust-after-harm").await.0, 404, "a draft is not public");

    let (status, editor) = get(&app, &s.cookie, "/admin/articles/trust-after-harm?done=created").await;
    assert_eq!(status, 200);
    assert!(editor.contains("Draft created.") && editor.contains("Editorial checks"));
    let base = hidden(&editor, "base_revision");
    let at = clock.now_plus(Duration::hours(1));
    let mut fields = new_article_fields("Trust After Harm", "schedule");
    fields.push(("publish_at", &at));
    fields.push(("base_revision", &base));
    fields.retain(|(k, _)| *k != "slug");
    fields.push(("slug", "trust-after-harm"));
    let r = post(&app, &s, "/admin/articles/trust-after-harm", &fields).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(article(&app, "trust-after-harm").status, Status::Scheduled);

    assert!(app.app.publish_due(clock.now_plus_time(Duration::minutes(30))).unwrap().is_empty(), "not yet");
    // Called with a time rather than by moving the clock, so the background scheduler (which reads the
    // clock) cannot get there first.
    let done = app.app.publish_due(clock.now_plus_time(Duration::minutes(61))).unwrap();
    assert_eq!(done.iter().map(|s| s.as_str()).collect::<Vec<_>>(), ["trust-after-harm"]);
    assert_eq!(article(&app, "trust-after-harm").status, Status::Published);

    let (status, page) = app.get("/articles/trust-after-harm").await;
    assert_eq!(status, 200);
    assert!(page.contains("TRUST AFTER HARM"));
    // Publishing refreshes search at once; should that refresh fail (a busy disk), the change-log
    // poller retries within a second, which is the freshness the design asks for.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (status, found) = app.get("/search?q=zephyrquill").await;
        if status == 200 && found.contains("/articles/trust-after-harm") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not searchable once published (status {status})");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (_, feed) = app.get("/feed.atom").await;
    assert!(feed.contains("trust-after-harm"), "in the feed");
    let (_, home) = app.get("/").await;
    assert!(home.contains("/articles/trust-after-harm"), "the cached home page was refreshed");
    let history = app.app.history(&Slug::parse("trust-after-harm").unwrap()).unwrap();
    assert_eq!(history[0].who, "scheduler");
    assert!(history.iter().any(|r| r.who == "ana" && r.note.starts_with("scheduled for")));
}

trait ClockExt {
    fn now_plus(&self, d: Duration) -> String;
    fn now_plus_time(&self, d: Duration) -> OffsetDateTime;
}

impl ClockExt for FixedClock {
    fn now_plus(&self, d: Duration) -> String {
        let t = self.now_plus_time(d);
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), t.month() as u8, t.day(), t.hour(), t.minute())
    }
    fn now_plus_time(&self, d: Duration) -> OffsetDateTime {
        zeroopposite::app::Clock::now(self) + d
    }
}

#[tokio::test]
async fn publishing_with_error_level_findings_needs_an_override_whose_reason_is_kept() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    let mut fields = new_article_fields("Uncited Claims", "publish");
    fields.retain(|(k, _)| !k.starts_with("ref-"));
    let r = post(&app, &s, "/admin/articles/new", &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="override-error""#), "the override is asked for next to its box");
    assert!(html.contains("citation-without-reference"), "the findings are shown beside the editor");
    assert!(html.contains("Trust after harm grows slowly"), "the text is kept");
    assert!(app.store.article(&Slug::parse("uncited-claims").unwrap()).unwrap().is_none(), "nothing saved");

    fields.push(("override", "1"));
    let r = post(&app, &s, "/admin/articles/new", &fields).await;
    assert_eq!(r.status().as_u16(), 422, "a reason is required");
    assert!(r.text().await.unwrap().contains(r#"id="override_reason-error""#));

    fields.push(("override_reason", "The reference is being added by the author today."));
    let r = post(&app, &s, "/admin/articles/new", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(article(&app, "uncited-claims").status, Status::Published);
    let history = app.app.history(&Slug::parse("uncited-claims").unwrap()).unwrap();
    assert!(
        history[0].note.contains("overrode 1 error-level finding: The reference is being added"),
        "{}",
        history[0].note
    );
}

#[tokio::test]
async fn a_revision_shows_a_diff_and_restoring_it_makes_a_new_revision() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    post(&app, &s, "/admin/articles/new", &new_article_fields("Versions", "save")).await;
    let mut fields = new_article_fields("Versions", "save");
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", "A completely new body (Herman, 1992).\n"));
    let r = post(&app, &s, "/admin/articles/versions", &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let slug = Slug::parse("versions").unwrap();
    let history = app.app.history(&slug).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].changed, ["body"]);
    let first = history[1].id;

    let (status, list) = get(&app, &s.cookie, "/admin/articles/versions/revisions").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("/admin/articles/versions/revisions/{first}")));
    let (status, diff) = get(&app, &s.cookie, &format!("/admin/articles/versions/revisions/{first}")).await;
    assert_eq!(status, 200);
    assert!(
        diff.contains("<del><span class=\"visually-hidden\">removed: </span>Trust after harm grows slowly")
    );
    assert!(diff.contains("<ins><span class=\"visually-hidden\">added: </span>A completely new body"));

    let r = post(&app, &s, &format!("/admin/articles/versions/revisions/{first}/restore"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(article(&app, "versions").body, BODY);
    let history = app.app.history(&slug).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].note, format!("restored revision #{first}"));
    assert_eq!(history[0].who, "ana");
}

#[tokio::test]
async fn a_save_based_on_an_old_revision_is_refused_with_the_text_kept() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    post(&app, &s, "/admin/articles/new", &new_article_fields("Two Editors", "save")).await;
    let (_, editor) = get(&app, &s.cookie, "/admin/articles/two-editors").await;
    let base = hidden(&editor, "base_revision");
    let mut fields = new_article_fields("Two Editors", "save");
    fields.push(("base_revision", &base));
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", "First editor's text."));
    assert_eq!(post(&app, &s, "/admin/articles/two-editors", &fields).await.status().as_u16(), 303);
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", "Second editor's text."));
    let r = post(&app, &s, "/admin/articles/two-editors", &fields).await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.unwrap().contains("Second editor&#x27;s text."));
    assert_eq!(article(&app, "two-editors").body, "First editor's text.");
}

#[tokio::test]
async fn trash_takes_an_article_off_the_site_restore_brings_it_back_as_a_draft_and_only_admins_empty_it() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Admin).await;
    add_user(&app, "ben", Role::Editor).await;
    let ben = sign_in(&app, "ben").await;
    let mut fields = new_article_fields("Binned", "publish");
    fields.push(("override", "1"));
    fields.push(("override_reason", "test"));
    assert_eq!(post(&app, &ben, "/admin/articles/new", &fields).await.status().as_u16(), 303);
    assert_eq!(app.get("/articles/binned").await.0, 200);

    let r = post(&app, &ben, "/admin/articles/binned/trash", &[]).await;
    assert_eq!(location(&r), "/admin/trash?done=trashed");
    assert_eq!(app.get("/articles/binned").await.0, 404, "off the site at once");
    assert!(!app.get("/search?q=zephyrquill").await.1.contains("/articles/binned"), "and out of search");
    let (_, trash) = get(&app, &ben.cookie, "/admin/trash").await;
    assert!(trash.contains("Binned") && trash.contains("Only an admin can empty the trash"));
    let (_, list) = get(&app, &ben.cookie, "/admin/articles").await;
    assert!(!list.contains("/admin/articles/binned"), "the list leaves trashed articles out");

    let r = post(&app, &ben, "/admin/trash/restore", &[("slug", "binned")]).await;
    assert_eq!(location(&r), "/admin/articles/binned?done=untrashed");
    assert_eq!(article(&app, "binned").status, Status::Draft);

    post(&app, &ben, "/admin/articles/binned/trash", &[]).await;
    assert_eq!(post(&app, &ben, "/admin/trash/empty", &[]).await.status().as_u16(), 403);
    let ana = sign_in(&app, "ana").await;
    let (_, page) = get(&app, &ana.cookie, "/admin/trash").await;
    let form = &page[page.find("action=\"/admin/trash/empty\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let shown: Vec<String> = form
        .split("name=\"slug\" value=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect();
    assert_eq!(shown, ["binned"]);
    // Trashed after the admin's page was shown: emptying must not take it.
    let mut late = new_article_fields("Late Arrival", "save");
    late.push(("override", "1"));
    late.push(("override_reason", "test"));
    post(&app, &ben, "/admin/articles/new", &late).await;
    post(&app, &ben, "/admin/articles/late-arrival/trash", &[]).await;
    assert_eq!(article(&app, "late-arrival").status, Status::Trashed);
    let fields: Vec<(&str, &str)> = shown.iter().map(|s| ("slug", s.as_str())).collect();
    assert_eq!(post(&app, &ana, "/admin/trash/empty", &fields).await.status().as_u16(), 303);
    assert!(app.store.article(&Slug::parse("binned").unwrap()).unwrap().is_none(), "deleted for good");
    assert_eq!(article(&app, "late-arrival").status, Status::Trashed, "only what was shown is deleted");
}

#[tokio::test]
async fn the_list_filters_by_status_tag_and_text() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    post(&app, &s, "/admin/articles/new", &new_article_fields("Filter Me", "save")).await;
    let (_, drafts) = get(&app, &s.cookie, "/admin/articles?status=draft").await;
    assert!(drafts.contains("/admin/articles/filter-me") && drafts.contains("1 article."));
    let (_, published) = get(&app, &s.cookie, "/admin/articles?status=published").await;
    assert!(!published.contains("/admin/articles/filter-me"));
    let (_, tagged) = get(&app, &s.cookie, "/admin/articles?tag=healing&q=zephyrquill").await;
    assert!(tagged.contains("/admin/articles/filter-me") && tagged.contains("1 article."));
    let (_, none) = get(&app, &s.cookie, "/admin/articles?q=no+such+words+anywhere").await;
    assert!(none.contains("No articles match."));
}

#[tokio::test]
async fn preview_renders_the_reader_template_without_saving() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    let r = post(&app, &s, "/admin/preview", &new_article_fields("Only A Preview", "preview")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<h1 class="article-title">ONLY A PREVIEW</h1>"#));
    assert!(html.contains("reader-question") && html.contains("Content notes"));
    assert!(html.contains("Leave this page quickly"), "the support box of the trauma tag, as readers get it");
    assert!(app.store.article(&Slug::parse("only-a-preview").unwrap()).unwrap().is_none());
}

#[tokio::test]
async fn a_reader_question_becomes_a_draft_article_that_links_back_to_it() {
    let app = spawn_with(|c| c.contact.min_fill_secs = 0).await;
    add_user(&app, "ana", Role::Editor).await;
    let (_, form) = app.get("/contact").await;
    let token = hidden(&form, "token");
    let question = "How do I tell a new partner about my past without reliving it? I freeze every time.";
    let r = app
        .client
        .post(format!("{}/contact", app.base))
        .form(&[
            ("token", token.as_str()),
            ("name", "Robin Private"),
            ("email", "robin@example.org"),
            ("kind", "question"),
            ("message", question),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let id = app.store.messages(None).unwrap()[0].id;

    let s = sign_in(&app, "ana").await;
    let (_, inbox) = get(&app, &s.cookie, "/admin/inbox?kind=question").await;
    assert!(inbox.contains(&format!("/admin/inbox/{id}")));
    let (_, message) = get(&app, &s.cookie, &format!("/admin/inbox/{id}")).await;
    assert!(message.contains("Answer as article") && message.contains("I freeze every time."));

    let r = post(&app, &s, &format!("/admin/inbox/{id}"), &[("action", "answer")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let to = location(&r);
    let slug = to.trim_start_matches("/admin/articles/").trim_end_matches("?done=answer").to_owned();
    let a = article(&app, &slug);
    assert_eq!(a.status, Status::Draft);
    assert_eq!(a.question.as_deref(), Some(question));
    assert_eq!(a.title, "How do I tell a new partner about my past without reliving it?");
    let json = serde_json::to_string(&a).unwrap();
    assert!(!json.contains("Robin") && !json.contains("robin@"), "the reader's name and address stay out");
    let (_, editor) = get(&app, &s.cookie, &to).await;
    assert!(editor.contains(&format!(r#"href="/admin/inbox/{id}">reader message #{id}</a>"#)), "a link back");
    let m = app.store.message(id).unwrap().unwrap();
    assert_eq!(m.status, MessageStatus::Handled);
    let r = post(&app, &s, &format!("/admin/inbox/{id}"), &[("action", "answer")]).await;
    assert_eq!(location(&r), to, "answering again opens the same draft");
}

#[tokio::test]
async fn inbox_actions_move_messages_between_new_handled_and_spam_and_delete_them() {
    let app = spawn_with(|c| c.contact.min_fill_secs = 0).await;
    add_user(&app, "ana", Role::Editor).await;
    let (_, form) = app.get("/contact").await;
    let token = hidden(&form, "token");
    let fields = [("token", token.as_str()), ("kind", "general"), ("message", "Hello there")];
    app.client.post(format!("{}/contact", app.base)).form(&fields).send().await.unwrap();
    let id = app.store.messages(None).unwrap()[0].id;
    let s = sign_in(&app, "ana").await;
    let status = || app.store.message(id).unwrap().map(|m| m.status);
    for (action, expected) in
        [("spam", MessageStatus::Spam), ("notspam", MessageStatus::New), ("handled", MessageStatus::Handled)]
    {
        let r = post(&app, &s, &format!("/admin/inbox/{id}"), &[("action", action)]).await;
        assert_eq!(r.status().as_u16(), 303, "{action}");
        assert_eq!(status(), Some(expected), "{action}");
    }
    let (_, handled) = get(&app, &s.cookie, "/admin/inbox?status=handled").await;
    assert!(handled.contains("Hello there"));
    post(&app, &s, &format!("/admin/inbox/{id}"), &[("action", "delete")]).await;
    assert_eq!(status(), None);
}

#[tokio::test]
async fn the_insights_page_shows_searches_made_at_least_three_times() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    for _ in 0..3 {
        app.get("/search?q=qwertyuiop").await;
    }
    app.get("/search?q=onlyonce").await;
    app.app.flush_insights().unwrap();
    let s = sign_in(&app, "ana").await;
    let (status, html) = get(&app, &s.cookie, "/admin/insights").await;
    assert_eq!(status, 200);
    assert!(html.contains("qwertyuiop") && !html.contains("onlyonce"));
}

#[tokio::test]
async fn admin_pages_are_never_cached_and_keep_the_strict_csp() {
    let app = spawn_app().await;
    add_user(&app, "ana", Role::Editor).await;
    let s = sign_in(&app, "ana").await;
    for path in ["/admin/articles", "/admin/articles/new", "/admin/inbox", "/admin/trash", "/admin/insights"]
    {
        let r =
            app.client.get(format!("{}{path}", app.base)).header("cookie", &s.cookie).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        let html = r.text().await.unwrap();
        assert!(!html.contains("<script") && !html.contains("style="), "{path}: no inline script or style");
    }
}

#[test]
fn the_user_command_adds_lists_and_removes_accounts() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str], stdin: &str| {
        let mut child = std::process::Command::new(bin())
            .args(["--data", data])
            .args(args)
            .env_remove("ZO_CONFIG")
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let line = format!("{PASSWORD}\n");
    assert!(run(&["user", "add", "Ana", "--role", "admin", "--password-stdin"], &line).0);
    assert!(run(&["user", "add", "ben", "--role", "editor", "--password-stdin"], &line).0);
    let (ok, out) = run(&["user", "add", "ben", "--role", "editor", "--password-stdin"], &line);
    assert!(!ok && out.contains("already"), "{out}");
    let (ok, out) = run(&["user", "add", "cleo", "--role", "editor", "--password-stdin"], "short\n");
    assert!(!ok && out.contains("at least 12"), "{out}");
    let (ok, out) = run(&["user", "list"], "");
    assert!(ok && out.contains("ana") && out.contains("admin") && out.contains("ben"), "{out}");
    assert!(run(&["user", "passwd", "ben", "--password-stdin"], "another long password\n").0);
    let (ok, out) = run(&["user", "remove", "ana"], "");
    assert!(!ok && out.contains("only admin"), "{out}");
    assert!(run(&["user", "remove", "ben"], "").0);
    let store = zeroopposite::store::Store::open(dir.path()).unwrap();
    let users = store.users().unwrap();
    assert_eq!(users.len(), 1);
    assert!(users[0].password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
}

#[tokio::test]
async fn a_sign_in_posted_from_another_site_is_refused() {
    let (app, _) = clocked().await;
    add_user(&app, "sam", Role::Admin).await;
    let (_, form) = app.get("/admin/login").await;
    let token = hidden(&form, "token");
    let fields = [("token", token.as_str()), ("name", "sam"), ("password", PASSWORD)];

    for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let r = app
            .client
            .post(format!("{}/admin/login", app.base))
            .header(header, value)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{header}: {value}");
        assert!(r.headers().get("set-cookie").is_none(), "no session for a cross-site sign-in");
        assert!(r.text().await.unwrap().contains("came from another site"));
    }
    let r = app
        .client
        .post(format!("{}/admin/login", app.base))
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "the same site signs in");
}

#[tokio::test]
async fn nobody_can_lock_an_editor_out_from_other_addresses() {
    let (app, clock) = clocked_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    add_user(&app, "ana", Role::Admin).await;
    let from = |ip: &str, password: &str| {
        let (app, ip, password) = (&app, ip.to_owned(), password.to_owned());
        async move {
            let (_, form) = app.get("/admin/login").await;
            let token = hidden(&form, "token");
            app.client
                .post(format!("{}/admin/login", app.base))
                .header("x-forwarded-for", ip)
                .form(&[("token", token.as_str()), ("name", "ana"), ("password", password.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    // An attacker's five wrong passwords for ana from one address: that address waits ...
    for i in 0..5 {
        assert_eq!(from("203.0.113.9", &format!("guess {i}")).await.status().as_u16(), 401);
    }
    assert_eq!(from("203.0.113.9", PASSWORD).await.status().as_u16(), 429);
    // ... and ana, elsewhere, signs in at once.
    assert_eq!(from("198.51.100.7", PASSWORD).await.status().as_u16(), 303);

    // Guesses from many addresses only slow ana's name down, by at most half a minute.
    for i in 0..30 {
        from(&format!("192.0.2.{}", i + 1), "guess").await;
    }
    let r = from("198.51.100.7", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429);
    let wait: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    clock.advance(Duration::seconds(wait));
    assert_eq!(from("198.51.100.7", PASSWORD).await.status().as_u16(), 303);
}
