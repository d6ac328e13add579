//! `backup` while the server takes Contact Us messages, and `restore` into another data dir.

use crate::helpers::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use zeroopposite::store::Store;

#[tokio::test]
async fn a_backup_taken_during_a_contact_burst_restores_every_message_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("zeroopposite.toml");
    std::fs::write(&config, "demo_content = false\n[contact]\nmin_fill_secs = 0\nper_ip_per_hour = 100000\n")
        .unwrap();
    let (d, c) = (data.clone(), config.clone());
    let (mut server, base) = tokio::task::spawn_blocking(move || start_server(&d, &c)).await.unwrap();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut senders = Vec::new();
    for w in 0..4 {
        let (client, base, acked, stop) = (client.clone(), base.clone(), acked.clone(), stop.clone());
        senders.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let form = client.get(format!("{base}/contact")).send().await.unwrap().text().await.unwrap();
                let text = format!("message {w}-{n} for the backup");
                let r = client
                    .post(format!("{base}/contact"))
                    .form(&[("token", token_of(&form).as_str()), ("kind", "general"), ("message", &text)])
                    .send()
                    .await
                    .unwrap();
                if r.status().as_u16() == 303 {
                    acked.lock().unwrap().push(text);
                }
                n += 1;
            }
        }));
    }
    // Wait (by count, not by time) until the burst is under way.
    while acked.lock().unwrap().len() < 20 {
        tokio::task::yield_now().await;
    }
    let before: Vec<String> = acked.lock().unwrap().clone();
    let backup_dir = dir.path().join("backup");
    let (d, b) = (data.clone(), backup_dir.clone());
    let (ok, out, err) = tokio::task::spawn_blocking(move || {
        run_cli(&["--data", d.to_str().unwrap(), "backup", b.to_str().unwrap()])
    })
    .await
    .unwrap();
    stop.store(true, Ordering::Relaxed);
    for s in senders {
        s.await.unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("integrity ok") && out.contains("with the secret key"), "{out}");
    assert!(backup_dir.join("secret.key").is_file());

    let restored = dir.path().join("restored");
    let (ok, out, err) =
        run_cli(&["--data", restored.to_str().unwrap(), "restore", backup_dir.to_str().unwrap()]);

    assert!(ok, "{out}\n{err}");
    assert_eq!(Store::integrity(&restored.join("zeroopposite.db")).unwrap(), "ok");
    let store = Store::open(&restored).unwrap();
    let kept: Vec<String> = store.messages(None).unwrap().into_iter().map(|m| m.body).collect();
    let lost: Vec<&String> = before.iter().filter(|t| !kept.contains(t)).collect();
    assert!(lost.is_empty(), "acknowledged before the backup but missing: {lost:?}");
    assert_eq!(
        std::fs::read(restored.join("secret.key")).unwrap(),
        std::fs::read(data.join("secret.key")).unwrap(),
        "the key comes back too"
    );
}

#[test]
fn restore_refuses_a_data_dir_with_a_site_in_it_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (site, backup) = (dir.path().join("site"), dir.path().join("backup"));
    assert!(run_cli(&["--data", site.to_str().unwrap(), "import", "content/demo"]).0);
    assert!(run_cli(&["--data", site.to_str().unwrap(), "backup", backup.to_str().unwrap()]).0);
    let (ok, _, err) = run_cli(&["--data", site.to_str().unwrap(), "backup", backup.to_str().unwrap()]);
    assert!(!ok && err.contains("cannot back up"), "an old backup is never overwritten: {err}");

    let (ok, _, err) = run_cli(&["--data", site.to_str().unwrap(), "restore", backup.to_str().unwrap()]);
    assert!(!ok, "refused without --force");
    assert!(err.contains("is not empty") && err.contains("--force"), "{err}");
    let (ok, out, err) =
        run_cli(&["--data", site.to_str().unwrap(), "restore", "--force", backup.to_str().unwrap()]);
    assert!(ok, "{out}\n{err}");
    assert!(Store::open(&site).unwrap().article_count().unwrap() > 0);
}
