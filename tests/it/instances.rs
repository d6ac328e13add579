//! Several `serve` processes on one PostgreSQL database, as behind a load balancer: what one
//! instance (or another process) writes, the others serve and find; sessions, form tokens,
//! throttling and the contact limit hold across them; killing an instance or the database mid-burst
//! loses no acknowledged message.

use crate::helpers::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A site on a fresh database: its config file, shared key and the database URL.
struct Shared {
    dir: tempfile::TempDir,
    config: PathBuf,
    url: String,
}

fn shared_site(url: String, extra: &str) -> Shared {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("site.toml");
    let key = dir.path().join("shared.key");
    std::fs::write(
        &config,
        format!(
            "database_url = {url:?}\nsecret_key_file = {:?}\ntrusted_proxies = [\"127.0.0.1/32\"]\n{extra}",
            key.display().to_string()
        ),
    )
    .unwrap();
    Shared { dir, config, url }
}

impl Shared {
    /// Starts instance `name` (its own data dir: its own search index) and returns it with its URL.
    fn start(&self, name: &str) -> (Child, String) {
        let data = self.dir.path().join(name);
        start_server(&data, &self.config)
    }

    /// Runs the binary against the shared database.
    fn cli(&self, args: &[&str], stdin: &str) -> (bool, String) {
        use std::io::Write;
        let mut child = Command::new(bin())
            .arg("--config")
            .arg(&self.config)
            .arg("--data")
            .arg(self.dir.path().join("cli"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Waits until `check` holds, failing after `secs`.
async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn hidden(html: &str, name: &str) -> String {
    let pat = format!(r#"name="{name}" value=""#);
    let start = html.find(&pat).unwrap_or_else(|| panic!("no hidden {name} in {html}")) + pat.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn login(c: &reqwest::Client, base: &str, name: &str, password: &str, from: &str) -> reqwest::Response {
    let form = c.get(format!("{base}/admin/login")).send().await.unwrap().text().await.unwrap();
    let token = hidden(&form, "token");
    c.post(format!("{base}/admin/login"))
        .header("x-forwarded-for", from)
        .form(&[("token", token.as_str()), ("name", name), ("password", password)])
        .send()
        .await
        .unwrap()
}

async fn post_contact(c: &reqwest::Client, token_from: &str, post_to: &str, text: &str, from: &str) -> u16 {
    let html = c.get(format!("{token_from}/contact")).send().await.unwrap().text().await.unwrap();
    let token = token_of(&html);
    c.post(format!("{post_to}/contact"))
        .header("x-forwarded-for", from)
        .form(&[("token", token.as_str()), ("kind", "question"), ("message", text)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_on_one_database_serve_and_find_each_others_writes() {
    let site = shared_site(fresh_database(), "[contact]\nmin_fill_secs = 0\nper_ip_per_hour = 3\n");
    // Three instances starting together: one migrates and imports the demo content, once.
    let starts: Vec<_> = ["a", "b", "c"]
        .into_iter()
        .map(|n| {
            let data = site.dir.path().join(n);
            let config = site.config.clone();
            std::thread::spawn(move || start_server(&data, &config))
        })
        .collect();
    let mut servers: Vec<(Child, String)> = starts.into_iter().map(|t| t.join().unwrap()).collect();
    let bases: Vec<String> = servers.iter().map(|s| s.1.clone()).collect();
    let store =
        zeroopposite::store::Store::open_at(&zeroopposite::store::Location::Postgres(site.url.clone()))
            .unwrap();
    let sample = zeroopposite::domain::Slug::parse("what-consent-means").unwrap();
    let revisions = store.revisions(&sample).unwrap();
    assert_eq!(revisions.len(), 1, "the demo content was imported once, not once per instance");

    // A write by another process reaches every instance's pages and search.
    let file = site.dir.path().join("new.md");
    std::fs::write(&file, article_md("shared-news", "Shared news", &["instances"], "zeppelinword is here"))
        .unwrap();
    let (ok, out) = site.cli(&["import", file.to_str().unwrap()], "");
    assert!(ok, "{out}");
    let c = client();
    for base in &bases {
        eventually(20, &format!("{base} never served or found the import"), || {
            let c = c.clone();
            let base = base.clone();
            async move {
                let page = c.get(format!("{base}/articles/shared-news")).send().await.unwrap().status();
                let found = c.get(format!("{base}/api/search?q=zeppelinword")).send().await.unwrap();
                page == 200 && found.text().await.unwrap().contains("shared-news")
            }
        })
        .await;
    }

    // Every instance gives the same bytes and ETag, and lets a CDN absorb spikes and outages.
    let mut seen = Vec::new();
    for base in &bases {
        let r = c.get(format!("{base}/articles/what-consent-means")).send().await.unwrap();
        let cache = r.headers()["cache-control"].to_str().unwrap().to_owned();
        assert!(cache.contains("stale-while-revalidate") && cache.contains("stale-if-error"), "{cache}");
        let etag = r.headers()["etag"].to_str().unwrap().to_owned();
        seen.push((etag, r.bytes().await.unwrap()));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "instances differ");

    // A session made on A works on B and C.
    let (ok, out) =
        site.cli(&["user", "add", "ana", "--role", "admin", "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(ok, "{out}");
    let r = login(&c, &bases[0], "ana", PASSWORD, "198.51.100.1").await;
    assert_eq!(r.status().as_u16(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut csrf = String::new();
    for base in &bases[1..] {
        let r = c.get(format!("{base}/admin/articles")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("Signed in as ana"));
        csrf = hidden(&html, "csrf");
    }
    // Published through A's editor (with the CSRF token B handed out): B and C serve and find it.
    let fields = [
        ("csrf", csrf.as_str()),
        ("title", "Published on A"),
        ("slug", ""),
        ("question", "Does every instance see this?"),
        ("answer", "Yes, within a moment."),
        ("body", "Quillfeather is the word only this article has.\n"),
        ("tags", "instances"),
        ("author", "The editors"),
        ("action", "publish"),
    ];
    let r = c.post(format!("{}/admin/articles/new", bases[0])).header("cookie", &cookie).form(&fields);
    let r = r.send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    for base in &bases[1..] {
        eventually(20, &format!("{base} never served or found the article published on A"), || {
            let (c, base) = (c.clone(), base.clone());
            async move {
                let page = c.get(format!("{base}/articles/published-on-a")).send().await.unwrap().status();
                let found = c.get(format!("{base}/api/search?q=quillfeather")).send().await.unwrap();
                page == 200 && found.text().await.unwrap().contains("published-on-a")
            }
        })
        .await;
    }

    // Throttling: five failures from one address spread over the instances, then every instance makes
    // that address's sixth try for the name wait.
    for i in 0..5 {
        let r = login(&c, &bases[i % 3], "ana", "wrong", "203.0.113.5").await;
        assert_eq!(r.status().as_u16(), 401, "try {i}");
    }
    for base in &bases {
        assert_eq!(login(&c, base, "ana", PASSWORD, "203.0.113.5").await.status().as_u16(), 429);
    }
    // Thirty tries at once, from one address, for an account nobody tried: five passwords checked.
    let mut tries = Vec::new();
    for i in 0..30 {
        let (c, base) = (c.clone(), bases[i % 3].clone());
        tries.push(tokio::spawn(async move {
            login(&c, &base, "ben", "wrong", "192.0.2.44").await.status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.unwrap());
    }
    // At most five passwords checked over the three instances; the rest wait (429), or find every
    // password-check slot of their instance taken (503, nothing counted).
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!((1..=5).contains(&checked), "{statuses:?}");
    assert!(statuses.iter().all(|s| matches!(s, 401 | 429 | 503)), "{statuses:?}");

    // Form tokens from A are good on B; the contact limit (3 an hour) counts posts on every instance;
    // two readers behind the trusted proxy are two addresses.
    for (i, base) in bases.iter().enumerate() {
        let from = &bases[(i + 1) % 3];
        assert_eq!(post_contact(&c, from, base, &format!("hello {i}"), "198.51.100.20").await, 303);
    }
    assert_eq!(post_contact(&c, &bases[0], &bases[1], "one too many", "198.51.100.20").await, 429);
    assert_eq!(post_contact(&c, &bases[0], &bases[1], "another reader", "198.51.100.21").await, 303);
    assert_eq!(store.messages(None).unwrap().len(), 4);

    for (child, _) in &mut servers {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

/// A cluster of the test's own, so crashing it disturbs no other test.
struct OwnCluster {
    dir: tempfile::TempDir,
    url: String,
}

impl OwnCluster {
    fn start() -> OwnCluster {
        let dir = tempfile::tempdir().unwrap();
        let out = pg_script(&["start", dir.path().join("pg").to_str().unwrap()]);
        OwnCluster { url: out.trim().to_owned(), dir }
    }

    fn crash(&self) {
        pg_script(&["crash", self.dir.path().join("pg").to_str().unwrap()]);
    }

    fn restart(&self) {
        pg_script(&["restart", self.dir.path().join("pg").to_str().unwrap()]);
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        pg_script(&["stop", self.dir.path().join("pg").to_str().unwrap()]);
    }
}

fn pg_script(args: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/pg");
    let out = Command::new("bash").arg(script).args(args).output().unwrap();
    assert!(out.status.success(), ".ci/pg {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_an_instance_or_the_database_mid_burst_loses_no_acknowledged_message() {
    let cluster = OwnCluster::start();
    let site = shared_site(
        cluster.url.clone(),
        "demo_content = false\n[contact]\nmin_fill_secs = 0\nper_ip_per_hour = 1000000\n",
    );
    let (mut a, base_a) = site.start("a");
    let (mut b, base_b) = site.start("b");
    let c = client();
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let statuses = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u16>::new()));
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for worker in 0..6 {
        let (c, acked, statuses, sent) = (c.clone(), acked.clone(), statuses.clone(), sent.clone());
        let base = if worker % 2 == 0 { base_a.clone() } else { base_b.clone() };
        tasks.push(tokio::spawn(async move {
            for i in 0..60 {
                let marker = format!("burst-{worker}-{i}");
                sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Ok(r) = c.get(format!("{base}/contact")).send().await else { continue };
                let Ok(html) = r.text().await else { continue };
                if !html.contains("name=\"token\"") {
                    continue;
                }
                let token = token_of(&html);
                let Ok(r) = c
                    .post(format!("{base}/contact"))
                    .form(&[("token", token.as_str()), ("kind", "question"), ("message", marker.as_str())])
                    .send()
                    .await
                else {
                    continue; // the instance was killed: no answer is no promise
                };
                let status = r.status().as_u16();
                statuses.lock().unwrap().push(status);
                if status == 303 {
                    acked.lock().unwrap().push(marker);
                }
            }
        }));
    }
    // Mid-burst: kill A outright, then cut the database's power and bring it back.
    let progress = |n: usize| {
        let sent = sent.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(60);
            while sent.load(std::sync::atomic::Ordering::SeqCst) < n {
                assert!(Instant::now() < deadline, "the burst stalled");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    progress(60).await;
    a.kill().unwrap();
    a.wait().unwrap();
    progress(150).await;
    cluster.crash();
    progress(200).await;
    cluster.restart();
    for t in tasks {
        t.await.unwrap();
    }
    let statuses = statuses.lock().unwrap().clone();
    assert!(statuses.iter().all(|s| *s == 303 || *s == 503), "only thanks or 'try again': {statuses:?}");
    assert!(statuses.contains(&503), "the database outage was seen: {statuses:?}");

    // B recovers without a restart.
    eventually(30, "B never recovered after the database came back", || {
        let (c, base) = (c.clone(), base_b.clone());
        async move { post_contact(&c, &base, &base, "after the outage", "192.0.2.1").await == 303 }
    })
    .await;
    let store =
        zeroopposite::store::Store::open_at(&zeroopposite::store::Location::Postgres(site.url.clone()))
            .unwrap();
    let bodies: Vec<String> = store.messages(None).unwrap().into_iter().map(|m| m.body).collect();
    for marker in acked.lock().unwrap().iter() {
        assert_eq!(bodies.iter().filter(|b| *b == marker).count(), 1, "{marker} stored exactly once");
    }
    b.kill().unwrap();
    b.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_three_instances_each_notification_is_sent_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut smtp = start_smtp(port);
    let site = shared_site(
        fresh_database(),
        &format!(
            "demo_content = false\n[contact]\nmin_fill_secs = 0\nper_ip_per_hour = 1000\n\
             [contact.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nfrom = \"site@example.org\"\n\
             to = [\"editors@example.org\"]\npoll_ms = 20\n"
        ),
    );
    let store =
        zeroopposite::store::Store::open_at(&zeroopposite::store::Location::Postgres(site.url.clone()))
            .unwrap();
    let mut servers: Vec<(Child, String)> = ["a", "b", "c"].iter().map(|n| site.start(n)).collect();
    let c = client();
    for i in 0..9 {
        let base = &servers[i % 3].1;
        assert_eq!(post_contact(&c, base, base, &format!("note {i}"), "192.0.2.9").await, 303);
    }
    eventually(30, "notifications were never all sent", || async { store.outbox_pending().unwrap() == 0 })
        .await;
    for (child, _) in &mut servers {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    smtp.kill().unwrap();
    let printed = String::from_utf8_lossy(&smtp.wait_with_output().unwrap().stdout).into_owned();
    for m in store.messages(None).unwrap() {
        let subject = format!("message #{} on ZeroOpposite", m.id);
        assert_eq!(printed.matches(&subject).count(), 1, "message {} notified once:\n{printed}", m.id);
        assert_eq!(printed.matches(&format!("Message-ID: <message-{}@", m.id)).count(), 1, "{printed}");
    }
}

/// nginx in front of `upstream`, on a port of its own; stopped when dropped.
struct Nginx {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(upstream: &str) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let upstream = upstream.trim_start_matches("http://");
        let conf = format!(
            "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {d};\n  proxy_temp_path {d};\n\
             server {{\n    listen 127.0.0.1:{port};\n    location / {{\n      proxy_pass http://{upstream};\n\
             proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }}\n  }}\n}}\n",
            d = dir.path().display()
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .args(["-p", dir.path().to_str().unwrap(), "-c", dir.path().join("nginx.conf").to_str().unwrap()])
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx is installed by .ci/run");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx never listened");
            std::thread::yield_now();
        }
        Nginx { child, base, _dir: dir }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client whose connections come from `ip` (any 127.x.y.z works on loopback).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn post_via(c: &reqwest::Client, base: &str, text: &str) -> u16 {
    let html = c.get(format!("{base}/contact")).send().await.unwrap().text().await.unwrap();
    let token = token_of(&html);
    let form = [("token", token.as_str()), ("kind", "question"), ("message", text)];
    c.post(format!("{base}/contact")).form(&form).send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn behind_nginx_two_readers_are_two_addresses_only_with_trusted_proxies() {
    let limit = "demo_content = false\n[contact]\nmin_fill_secs = 0\nper_ip_per_hour = 1\n";
    // Trusting nginx (127.0.0.1): each reader has their own limit.
    let site = shared_site(fresh_database(), limit);
    let (mut server, base) = site.start("a");
    let nginx = Nginx::start(&base);
    let (one, two) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    assert_eq!(post_via(&one, &nginx.base, "first from one").await, 303);
    assert_eq!(post_via(&one, &nginx.base, "second from one").await, 429);
    assert_eq!(post_via(&two, &nginx.base, "first from two").await, 303, "another reader is not limited");
    // A forged header from a reader is no way round the limit.
    let html = one.get(format!("{}/contact", nginx.base)).send().await.unwrap().text().await.unwrap();
    let form = [("token", token_of(&html)), ("kind", "question".into()), ("message", "forged".into())];
    let r = one.post(format!("{}/contact", nginx.base)).header("x-forwarded-for", "203.0.113.99").form(&form);
    assert_eq!(r.send().await.unwrap().status().as_u16(), 429);
    server.kill().unwrap();
    server.wait().unwrap();
    drop(nginx);

    // Without trusted_proxies every reader behind nginx is nginx's one address.
    let site = shared_site(fresh_database(), limit);
    std::fs::write(
        &site.config,
        std::fs::read_to_string(&site.config).unwrap().replace("trusted_proxies = [\"127.0.0.1/32\"]\n", ""),
    )
    .unwrap();
    let (mut server, base) = site.start("a");
    let nginx = Nginx::start(&base);
    assert_eq!(post_via(&one, &nginx.base, "first from one").await, 303);
    assert_eq!(post_via(&two, &nginx.base, "first from two").await, 429, "both readers count as nginx");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn on_postgresql_a_server_without_the_shared_key_refuses_to_start() {
    let url = fresh_database();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = Command::new(bin())
        .args(["--data", data.to_str().unwrap(), "--database-url", &url, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("ZO_SECRET_KEY_FILE")
        .env_remove("ZO_CONFIG")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("secret_key_file (or ZO_SECRET_KEY_FILE) must be set"), "{err}");
    assert!(!data.join("secret.key").exists(), "no key of its own was made");
}
