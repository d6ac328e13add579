//! Security headers and limits: CSP, HSTS, URI and header size, slow headers and bodies, traversal.

use crate::helpers::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or `limit` passes); returns what arrived.
fn read_until_closed(mut s: TcpStream, limit: Duration) -> (String, bool) {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&out).into_owned(), true),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (String::from_utf8_lossy(&out).into_owned(), true);
            }
            Err(_) => return (String::from_utf8_lossy(&out).into_owned(), false),
        }
    }
}

#[tokio::test]
async fn every_page_type_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/articles/sexual-intimacy-and-posttraumatic-growth",
        "/tags",
        "/search?q=x",
        "/contact",
        "/nowhere",
        "/static/style.css",
    ] {
        let r = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(h.get("strict-transport-security").is_none(), "{path}: no HSTS over http");
        assert!(h.get("set-cookie").is_none(), "{path}: no cookies");
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_base_url_is_https() {
    let app = spawn_with(|c| c.base_url = "https://zeroopposite.example".into()).await;
    let r = app.client.get(format!("{}/", app.base)).send().await.unwrap();
    assert!(r.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
}

#[tokio::test]
async fn an_overlong_url_gets_414_and_oversized_headers_are_refused() {
    let app = spawn_app().await;
    let (status, html) = app.get(&format!("/search?q={}", "a".repeat(40_000))).await;
    assert_eq!(status, 414);
    assert!(html.contains("too long"));
    let a = addr(&app);
    let status = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(a).unwrap();
        let big = "x".repeat(80 * 1024);
        let _ = s.write_all(format!("GET / HTTP/1.1\r\nHost: t\r\nX-Big: {big}\r\n\r\n").as_bytes());
        read_until_closed(s, Duration::from_secs(10)).0
    })
    .await
    .unwrap();
    assert!(status.starts_with("HTTP/1.1 431"), "{status}");
}

#[tokio::test]
async fn a_client_that_sends_headers_slowly_is_cut_off_while_others_are_served() {
    let app = spawn_with(|c| c.read_timeout_secs = std::num::NonZeroU64::MIN).await;
    let a = addr(&app);
    let slow = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(a).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n").unwrap();
        let start = Instant::now();
        let (_, closed) = read_until_closed(s, Duration::from_secs(15));
        (closed, start.elapsed())
    });
    assert_eq!(app.get("/").await.0, 200, "a normal client is served meanwhile");
    let (closed, took) = slow.await.unwrap();
    assert!(closed, "the server closed the slow connection");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_times_out_with_408() {
    let app = spawn_with(|c| c.read_timeout_secs = std::num::NonZeroU64::MIN).await;
    let a = addr(&app);
    let out = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(a).unwrap();
        s.write_all(b"POST /contact HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nkind=gen").unwrap();
        read_until_closed(s, Duration::from_secs(15)).0
    })
    .await
    .unwrap();
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(app.store.messages(None).unwrap().is_empty());
}

#[tokio::test]
async fn path_traversal_on_static_is_refused() {
    let app = spawn_app().await;
    let a = addr(&app);
    for path in [
        "/static/../zeroopposite.db",
        "/static/..%2fzeroopposite.db",
        "/static/%2e%2e/secret.key",
        "/static/....//secret.key",
        "/static/.%2e/secret.key",
        "/static//etc/passwd",
    ] {
        let p = path.to_owned();
        let a = a.clone();
        let out = tokio::task::spawn_blocking(move || {
            let mut s = TcpStream::connect(a).unwrap();
            s.write_all(format!("GET {p} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes())
                .unwrap();
            read_until_closed(s, Duration::from_secs(10)).0
        })
        .await
        .unwrap();
        assert!(out.starts_with("HTTP/1.1 404") || out.starts_with("HTTP/1.1 400"), "{path}: {out}");
        assert!(!out.contains("SQLite format"), "{path}");
    }
}

/// A general message as the contact form stores it, held as spam when `spam` says why.
fn new_message(body: &str, id: &str, spam: Option<&str>) -> zeroopposite::store::NewMessage {
    zeroopposite::store::NewMessage {
        message: zeroopposite::domain::Message {
            name: None,
            email: None,
            kind: zeroopposite::domain::MessageKind::General,
            body: body.into(),
        },
        ip_hash: "h".into(),
        submission_id: id.into(),
        spam_reason: spam.map(str::to_owned),
        notify: false,
    }
}

#[tokio::test]
async fn handled_messages_past_retention_are_deleted_and_others_kept() {
    let app = spawn_with(|c| c.contact.retention_days = 30).await;
    let store = &app.store;
    let msg = |body: &str, id: &str| new_message(body, id, None);
    let now = time::OffsetDateTime::now_utc();
    let (old, _) = store.insert_message(&msg("old handled", "1"), now).unwrap();
    let (fresh, _) = store.insert_message(&msg("new handled", "2"), now).unwrap();
    store.insert_message(&msg("unhandled", "3"), now).unwrap();
    store
        .set_message_status(old, zeroopposite::domain::MessageStatus::Handled, now - time::Duration::days(31))
        .unwrap();
    store.set_message_status(fresh, zeroopposite::domain::MessageStatus::Handled, now).unwrap();
    assert_eq!(app.app.apply_retention(now).unwrap(), 1);
    let left: Vec<String> = store.messages(None).unwrap().into_iter().map(|m| m.body).collect();
    assert_eq!(left.len(), 2);
    assert!(!left.contains(&"old handled".to_owned()));
}

#[tokio::test]
async fn spam_is_deleted_after_its_own_retention_and_newer_spam_kept() {
    let app = spawn_with(|c| c.contact.spam_retention_days = 30).await;
    let store = &app.store;
    let spam = |body: &str, id: &str| new_message(body, id, Some("the hidden honeypot field was filled in"));
    let now = time::OffsetDateTime::now_utc();
    store.insert_message(&spam("old spam", "1"), now - time::Duration::days(31)).unwrap();
    store.insert_message(&spam("new spam", "2"), now - time::Duration::days(2)).unwrap();

    assert_eq!(app.app.apply_retention(now).unwrap(), 1);

    let left: Vec<String> = store.messages(None).unwrap().into_iter().map(|m| m.body).collect();
    assert_eq!(left, ["new spam"]);
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_database_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let (ok, _, err) = run_cli(&["--data", data.to_str().unwrap(), "import", "content/demo"]);

    assert!(ok, "{err}");
    assert_eq!(mode(&data), 0o700);
    let db = data.join("zeroopposite.db");
    assert_eq!(mode(&db), 0o600);
    for extra in ["zeroopposite.db-wal", "zeroopposite.db-shm"] {
        if data.join(extra).exists() {
            assert_eq!(mode(&data.join(extra)), 0o600, "{extra}");
        }
    }
    assert!(!err.contains("other local users"), "{err}");

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (ok, _, err) = run_cli(&["--data", data.to_str().unwrap(), "messages", "list"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("other local users can read") && err.contains("755") && err.contains("644"),
        "{err}"
    );
}

/// Peak resident memory of process `pid`, in KiB (Linux's VmHWM).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_burst_of_sign_ins_from_many_addresses_runs_few_password_checks_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("zeroopposite.toml");
    // Behind a proxy every request may claim its own address, so only the cap bounds the checks.
    std::fs::write(&config, "demo_content = false\ntrusted_proxies = [\"127.0.0.1/32\"]\n").unwrap();
    let (mut child, base) = tokio::task::spawn_blocking(move || start_server(&data, &config)).await.unwrap();
    let client = reqwest::Client::new();
    let form = client.get(format!("{base}/admin/login")).send().await.unwrap().text().await.unwrap();
    let token = token_of(&form);
    let before = peak_rss_kib(child.id());

    let tries: Vec<_> = (0..200)
        .map(|i| {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            tokio::spawn(async move {
                let r = client
                    .post(format!("{base}/admin/login"))
                    .header("x-forwarded-for", format!("10.0.{}.{}", i / 250, i % 250 + 1))
                    .form(&[
                        ("token", token.as_str()),
                        ("name", &format!("nobody{i}")),
                        ("password", "wrong"),
                    ])
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.headers().contains_key("retry-after"))
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tries {
        answers.push(t.await.unwrap());
    }

    let peak = peak_rss_kib(child.id());
    child.kill().unwrap();
    child.wait().unwrap();
    let refused = answers.iter().filter(|(s, _)| *s == 401).count();
    let busy: Vec<_> = answers.iter().filter(|(s, _)| *s == 503).collect();
    assert_eq!(refused + busy.len(), 200, "{answers:?}");
    assert!(refused >= 1 && !busy.is_empty(), "some checked, the rest told to wait: {answers:?}");
    assert!(busy.iter().all(|(_, retry)| *retry), "a busy answer says when to retry");
    // Four checks of 19 MiB at once, not two hundred (which took 1.8 GB before the cap).
    assert!(peak - before < 300 * 1024, "peak RSS grew by {} MiB", (peak - before) / 1024);
}

#[tokio::test]
async fn a_sign_in_body_trickled_byte_by_byte_is_cut_off_at_the_total_deadline() {
    let app = spawn_with(|c| c.read_timeout_secs = std::num::NonZeroU64::new(2).unwrap()).await;
    let a = addr(&app);
    let (out, written) = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(a).unwrap();
        s.write_all(b"POST /admin/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n").unwrap();
        let mut w = s.try_clone().unwrap();
        // One byte every 500 ms never trips the gap timeout (2 s); only a total deadline stops it.
        let writer = std::thread::spawn(move || {
            let mut n = 0;
            while n < 100 && w.write_all(b"a").is_ok() {
                n += 1;
                std::thread::sleep(Duration::from_millis(500));
            }
            n
        });
        let out = read_until_closed(s, Duration::from_secs(60)).0;
        (out, writer.join().unwrap())
    })
    .await
    .unwrap();
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(written < 100, "cut off while still trickling ({written} bytes sent)");
}
