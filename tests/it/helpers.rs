//! Test support: a real server on port 0 with its own temporary data dir.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;
use zeroopposite::app::App;
use zeroopposite::config::Config;

/// A running site.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The app behind the server (its use cases).
    pub app: Arc<App>,
    /// A connection of the test's own to the server's database, to look at what was stored.
    pub store: zeroopposite::store::Store,
    /// HTTP client that does not follow redirects.
    pub client: reqwest::Client,
    /// Keeps the data dir alive.
    pub dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// A config for a fresh temp data dir with the demo content, on the backend the run tests
/// (`ZO_TEST_BACKEND=postgres`: a fresh PostgreSQL database; else SQLite in the data dir).
pub fn test_config(dir: &Path) -> Config {
    let mut c = Config::parse(include_str!("../../zeroopposite.toml")).expect("the demo config parses");
    c.data_dir = dir.to_owned();
    if on_postgres() {
        let url = fresh_database();
        // So that `run_cli` and `start_server` given this data dir use the same database.
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(DATABASE_MARKER), &url).unwrap();
        c.database_url = Some(url);
        c.secret_key_file = Some(dir.join("shared.key"));
    }
    c
}

/// Whether this run tests the PostgreSQL backend (`ZO_TEST_BACKEND=postgres`, as `.ci/run`'s
/// second pass sets it). Tests of SQLite's own behaviour (a locked file, fixtures of old SQLite
/// databases) return early then: they ran in the first pass.
pub fn on_postgres() -> bool {
    std::env::var("ZO_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// The file in a test's data dir that names its PostgreSQL database.
const DATABASE_MARKER: &str = ".test-database-url";

/// The environment that points a child process given `--data dir` at the test's database.
fn database_env(args: &[&str]) -> Vec<(String, String)> {
    let Some(i) = args.iter().position(|a| *a == "--data") else { return Vec::new() };
    let dir = Path::new(args[i + 1]);
    match std::fs::read_to_string(dir.join(DATABASE_MARKER)) {
        Ok(url) => vec![
            ("ZO_DATABASE_URL".to_owned(), url),
            ("ZO_SECRET_KEY_FILE".to_owned(), dir.join("shared.key").display().to_string()),
        ],
        Err(_) => Vec::new(),
    }
}

/// The server `.ci/pg start` started (`ZO_TEST_POSTGRES_URL`, a URL to its `postgres` database).
/// A test that needs PostgreSQL fails without one: it never skips.
pub fn postgres_admin_url() -> String {
    std::env::var("ZO_TEST_POSTGRES_URL").expect(
        "ZO_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server \
         (bash .ci/run starts one; by hand: export ZO_TEST_POSTGRES_URL=$(bash .ci/pg start /tmp/zo-pg))",
    )
}

/// A new, empty PostgreSQL database on the test server; returns its URL.
pub fn fresh_database() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = postgres_admin_url();
    let name = format!("zo_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    // A database of the same name is left from an earlier run with the same process id.
    postgres_admin(&format!("DROP DATABASE IF EXISTS {name}"));
    postgres_admin(&format!("CREATE DATABASE {name}"));
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

/// Runs `sql` on the test server's `postgres` database (on a thread of its own, so an async test
/// may call it).
pub fn postgres_admin(sql: &str) {
    let (url, sql) = (postgres_admin_url(), sql.to_owned());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("the test PostgreSQL server answers");
            tokio::spawn(conn);
            client.batch_execute(&sql).await.unwrap();
        });
    })
    .join()
    .unwrap();
}

/// Opens the store `config` names (the test's own connection to what a server stores).
pub fn open_store(config: &Config) -> zeroopposite::store::Store {
    let at = zeroopposite::store::Location::new(config.database_url.as_deref(), &config.data_dir).unwrap();
    zeroopposite::store::Store::open_at(&at).unwrap()
}

/// Starts the site with the demo content.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// Starts the site after `adjust` changed its config.
pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_with_clock(adjust, Arc::new(zeroopposite::app::SystemClock)).await
}

/// Starts the site with a time source the test controls (e.g. a `FixedClock`).
pub async fn spawn_with_clock(
    adjust: impl FnOnce(&mut Config),
    clock: Arc<dyn zeroopposite::app::Clock>,
) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(dir.path());
    adjust(&mut config);
    let app = Arc::new(
        tokio::task::spawn_blocking(move || App::open_with_clock(config, clock))
            .await
            .unwrap()
            .expect("app opens"),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel::<()>();
    let a = app.clone();
    tokio::spawn(async move {
        zeroopposite::cmd::serve::run(a, listener, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let store = open_store(app.config());
    TestApp { base, app, store, client, dir, stop: Some(tx) }
}

impl TestApp {
    /// GET `path`; returns status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Imports `text` as file `name` (as `zeroopposite import` does), then refreshes caches.
    pub fn import(&self, name: &str, text: &str) {
        self.app.import_text(&|_| true, name, text).unwrap();
        self.app.refresh_if_changed().unwrap();
    }
}

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zeroopposite"))
}

/// Runs the binary with `args`; returns (exit ok, stdout, stderr).
pub fn run_cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(bin())
        .args(args)
        .envs(database_env(args))
        .env("NO_COLOR", "1")
        .env_remove("ZO_CONFIG")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Starts `zeroopposite serve` on port 0 and returns the child and its base URL (read from its log).
pub fn start_server(data: &std::path::Path, config: &std::path::Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(bin())
        .args([
            "--data",
            data.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "serve",
            "--addr",
            "127.0.0.1:0",
        ])
        .envs(database_env(&["--data", data.to_str().unwrap()]))
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "warn,zeroopposite=info")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    let base = loop {
        let line = lines.next().expect("server exited before listening").unwrap();
        if let Some(rest) = line.split("serving ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// A minimal article file.
pub fn article_md(slug: &str, title: &str, tags: &[&str], body: &str) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
    format!(
        "+++\ntitle = {title:?}\nslug = {slug:?}\ntags = [{}]\npublished = 2026-01-01T00:00:00Z\n+++\n{body}\n",
        tags.join(", ")
    )
}

/// The signed token in a served Contact Us form.
pub fn token_of(html: &str) -> String {
    let key = r#"name="token" value=""#;
    let start = html.find(key).expect("form has a token") + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// A real SMTP server (aiosmtpd, printing every message it receives on stdout) on `port`.
pub fn start_smtp(port: u16) -> std::process::Child {
    std::process::Command::new("/usr/bin/python3")
        .args(["-u", "-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3-aiosmtpd is installed by .ci/run")
}
