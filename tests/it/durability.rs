//! Contact Us durability and notification against real processes: SIGKILL mid-burst, and a real SMTP server.

use crate::helpers::*;
use std::time::{Duration, Instant};
use zeroopposite::store::Store;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_acknowledged_message_is_lost_when_the_server_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        "demo_content = false\n[contact]\nmin_fill_secs = 0\nper_ip_per_hour = 1000000\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    let (mut child, base) = start_server(&data, &config);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let total = 400;
    let kill_after = 150;
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let (client, base, acked) = (client.clone(), base.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..total / 8 {
                let marker = format!("kill-test-{worker}-{i}");
                let Ok(r) = client.get(format!("{base}/contact")).send().await else { return };
                let Ok(html) = r.text().await else { return };
                let token = token_of(&html);
                let form = [("token", token.as_str()), ("kind", "general"), ("message", marker.as_str())];
                match client.post(format!("{base}/contact")).form(&form).send().await {
                    Ok(r) if r.status().as_u16() == 303 => acked.lock().unwrap().push(marker),
                    _ => return, // the server is gone: this one was never acknowledged
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < kill_after {
        assert!(Instant::now() < deadline, "the burst never reached {kill_after} acknowledgements");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= kill_after && acked.len() < total,
        "killed part-way: {} acknowledged",
        acked.len()
    );

    let (mut child, base) = start_server(&data, &config);
    assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status().as_u16(), 200);
    child.kill().unwrap();
    child.wait().unwrap();

    let stored = Store::open(&data).unwrap().messages(None).unwrap();
    for marker in &acked {
        let n = stored.iter().filter(|m| &m.body == marker).count();
        assert_eq!(n, 1, "{marker} stored {n} times");
    }
    let mut bodies: Vec<_> = stored.iter().map(|m| m.body.clone()).collect();
    bodies.sort();
    bodies.dedup();
    assert_eq!(bodies.len(), stored.len(), "no message stored twice");
}

#[tokio::test]
async fn notifications_wait_out_an_smtp_outage_and_are_delivered_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = spawn_with(move |c| {
        c.contact.min_fill_secs = 0;
        c.contact.smtp = Some(zeroopposite::config::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            from: "site@example.org".parse().unwrap(),
            to: vec!["editors@example.org".parse().unwrap()],
            poll_ms: std::num::NonZeroU64::new(50).unwrap(),
            retry_base_ms: 100,
        });
    })
    .await;
    for i in 0..2 {
        let (_, html) = app.get("/contact").await;
        let token = token_of(&html);
        let r = app
            .client
            .post(format!("{}/contact", app.base))
            .form(&[
                ("token", token.as_str()),
                ("kind", "question"),
                ("message", &format!("secret text {i}")),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
    }
    // SMTP is down: entries wait, with failed attempts recorded.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let e = app.store.outbox_entries().unwrap();
        if e.len() == 2 && e.iter().all(|(_, attempts, sent)| *attempts >= 1 && !sent) {
            break;
        }
        assert!(Instant::now() < deadline, "outbox never recorded a failed attempt: {e:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut smtp = start_smtp(port);
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.store.outbox_pending().unwrap() > 0 {
        assert!(Instant::now() < deadline, "notifications were never delivered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    smtp.kill().unwrap();
    let out = smtp.wait_with_output().unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    let ids: Vec<i64> = app.store.messages(None).unwrap().iter().map(|m| m.id).collect();
    for id in ids {
        let subject = format!("message #{id} on ZeroOpposite");
        assert_eq!(printed.matches(&subject).count(), 1, "message {id} notified once:\n{printed}");
    }
    assert!(!printed.contains("secret text"), "the reader's text is not e-mailed");
}
