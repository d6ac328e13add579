//! Configuration: one TOML file, overridden by environment variables and flags, into one typed [`Config`].
//!
//! Flows one way: `cli` parses flags (clap also reads `ZO_*` variables) → [`Config::load`] → `AppState`.
//!
//! Loading validates (`validate`): a number that cannot work (zero, negative, too large to compute with)
//! or a misspelt check rule id stops the program at start with the file, the line and the setting,
//! instead of being clamped or ignored where it is used. Settings that can only be positive are
//! `NonZero*`, so code that uses them has nothing to clamp.

mod locate;
mod validate;

pub use ipnet::IpNet;
pub use lettre::message::Mailbox;
use serde::Deserialize;
use std::net::SocketAddr;
use std::num::{NonZeroU32, NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};
pub use validate::Invalid;
use validate::{mailbox, mailboxes, networks, positive};

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_FILE: &str = "zeroopposite.toml";

/// Everything the program can be told.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the database, search index and keys live.
    pub data_dir: PathBuf,
    /// Address `serve` listens on.
    pub addr: SocketAddr,
    /// Public base URL, e.g. `https://zeroopposite.example`; used for canonical links and HSTS.
    pub base_url: String,
    /// Site name shown in the header.
    pub site_name: String,
    /// The site's language (a BCP 47 tag such as `en` or `pt-BR`): `<html lang>`, feeds and search
    /// engines, for every article that does not say its own.
    pub language: String,
    /// A folder whose `templates/` and `static/` override the built-in ones.
    pub theme_dir: Option<PathBuf>,
    /// Articles per listing page.
    #[serde(deserialize_with = "positive")]
    pub page_size: NonZeroU64,
    /// Import the bundled demo articles into an empty database on first start.
    pub demo_content: bool,
    /// Where "Leave this page quickly" goes: a neutral site.
    pub exit_url: String,
    /// Support boxes shown on articles with the given tags.
    pub support: Vec<SupportBox>,
    /// Contact Us settings.
    pub contact: ContactConfig,
    /// Seconds a header or body may take to arrive before the connection is closed.
    #[serde(deserialize_with = "positive")]
    pub read_timeout_secs: NonZeroU64,
    /// Editorial checks: disabled rules, severities, extra phrases, sensitive tags.
    pub checks: crate::content::checks::CheckConfig,
    /// Search and search insights.
    pub search: SearchConfig,
    /// The editors' side: sessions and sign-in throttling.
    pub admin: AdminConfig,
    /// `postgres://user:password@host:port/db` to keep the site in PostgreSQL, so several `serve`
    /// instances can share it; absent: SQLite in the data dir.
    pub database_url: Option<String>,
    /// The file holding the secret key (form tokens, address hashes) every instance must share.
    /// Absent: `secret.key` in the data dir, created on first start (SQLite only: on PostgreSQL
    /// each instance would otherwise make its own).
    pub secret_key_file: Option<PathBuf>,
    /// Load balancers and proxies whose `X-Forwarded-For` is believed, as networks
    /// (`"127.0.0.1/32"`, `"10.0.0.0/8"`). Empty: the peer address is the client.
    #[serde(deserialize_with = "networks")]
    pub trusted_proxies: Vec<IpNet>,
}

/// Session lifetimes and sign-in throttling for `/admin`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminConfig {
    /// A session unused for this long ends.
    #[serde(deserialize_with = "positive")]
    pub session_idle_minutes: NonZeroU32,
    /// A session ends this long after sign-in, however busy.
    #[serde(deserialize_with = "positive")]
    pub session_max_hours: NonZeroU32,
    /// Failed sign-ins for one name from one address within the window before its tries must wait
    /// (one address gets four times as many over all names; a name is only slowed, never locked).
    #[serde(deserialize_with = "positive")]
    pub login_max_failures: NonZeroUsize,
    /// The throttling window.
    #[serde(deserialize_with = "positive")]
    pub login_window_minutes: NonZeroU32,
    /// Password checks run at once by this process (each takes about 19 MiB of memory for argon2);
    /// a sign-in beyond it is answered 503, so a burst cannot exhaust memory.
    #[serde(deserialize_with = "positive")]
    pub max_concurrent_password_checks: NonZeroU32,
}

/// `n` as a `NonZero` constant; `n` must not be 0 (checked when the constant is built).
const fn nz32(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("a non-zero default")
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig {
            session_idle_minutes: nz32(60),
            session_max_hours: nz32(12),
            login_max_failures: NonZeroUsize::new(5).expect("5 is not zero"),
            login_window_minutes: nz32(15),
            max_concurrent_password_checks: nz32(4),
        }
    }
}

/// Search settings, including the privacy rules of search insights.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Results per page (at least 1; the search caps it at 25).
    pub per_page: usize,
    /// Count queries for editors at all.
    pub insights: bool,
    /// A query is reported only once searched at least this many times.
    pub insights_min_count: i64,
    /// Daily counts older than this many days are deleted.
    pub insights_retention_days: i64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { per_page: 10, insights: true, insights_min_count: 3, insights_retention_days: 90 }
    }
}

/// A box of support resources for articles with any of `tags` (text and links come only from here).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupportBox {
    /// Tags (normalised when compared) that bring this box.
    pub tags: Vec<String>,
    /// Heading of the box.
    pub title: String,
    /// One or two sentences.
    pub text: String,
    /// Links to services.
    #[serde(default)]
    pub links: Vec<SupportLink>,
}

/// One link in a support box.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupportLink {
    /// Link text.
    pub label: String,
    /// Address (http, https or tel).
    pub url: String,
}

/// Contact Us: spam defences, retention and notification.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContactConfig {
    /// A form submitted sooner than this after it was served is taken for a bot.
    pub min_fill_secs: u64,
    /// A form older than this must be reloaded.
    pub max_age_secs: u64,
    /// Messages allowed per address per hour.
    #[serde(deserialize_with = "positive")]
    pub per_ip_per_hour: NonZeroU32,
    /// Longest message, in characters.
    pub max_message_chars: usize,
    /// Most links a message may hold before it counts as spam.
    pub max_links: usize,
    /// Handled messages are deleted after this many days.
    pub retention_days: u64,
    /// Messages held as spam are deleted this many days after they arrived (or were marked spam):
    /// spam is kept long enough for an editor to rescue a real message, not for ever.
    pub spam_retention_days: u64,
    /// Optional SMTP notification.
    pub smtp: Option<SmtpConfig>,
}

/// Where and to whom notifications go.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    /// SMTP host.
    pub host: String,
    /// SMTP port.
    pub port: u16,
    /// From address, parsed at load so a typo stops the program at start, not at the first message.
    #[serde(deserialize_with = "mailbox")]
    pub from: Mailbox,
    /// Editors' addresses (at least one), parsed at load like `from`.
    #[serde(deserialize_with = "mailboxes")]
    pub to: Vec<Mailbox>,
    /// How often the outbox is checked, in milliseconds (at least [`SmtpConfig::MIN_POLL_MS`]).
    #[serde(default = "default_poll_ms", deserialize_with = "positive")]
    pub poll_ms: NonZeroU64,
    /// First retry delay in milliseconds; doubles on each failure.
    #[serde(default = "default_retry_ms")]
    pub retry_base_ms: u64,
}

impl SmtpConfig {
    /// The shortest outbox poll interval accepted: a shorter one would only keep a thread busy.
    pub const MIN_POLL_MS: u64 = 10;
}

fn default_poll_ms() -> NonZeroU64 {
    NonZeroU64::new(5_000).expect("5000 is not zero")
}

fn default_retry_ms() -> u64 {
    30_000
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            base_url: "http://127.0.0.1:8080".to_owned(),
            site_name: "ZeroOpposite".to_owned(),
            language: "en".to_owned(),
            theme_dir: None,
            page_size: NonZeroU64::new(10).expect("10 is not zero"),
            demo_content: true,
            exit_url: "https://www.bbc.co.uk/weather".to_owned(),
            support: Vec::new(),
            contact: ContactConfig::default(),
            read_timeout_secs: NonZeroU64::new(10).expect("10 is not zero"),
            checks: crate::content::checks::CheckConfig::default(),
            search: SearchConfig::default(),
            admin: AdminConfig::default(),
            database_url: None,
            secret_key_file: None,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for ContactConfig {
    fn default() -> Self {
        ContactConfig {
            min_fill_secs: 3,
            max_age_secs: 24 * 3600,
            per_ip_per_hour: nz32(10),
            max_message_chars: 10_000,
            max_links: 3,
            retention_days: 180,
            spam_retention_days: 30,
            smtp: None,
        }
    }
}

/// Values given on the command line or in `ZO_*` variables; they win over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--data` / `ZO_DATA`.
    pub data_dir: Option<PathBuf>,
    /// `--addr` / `ZO_ADDR`.
    pub addr: Option<SocketAddr>,
    /// `ZO_BASE_URL`.
    pub base_url: Option<String>,
    /// `--database-url` / `ZO_DATABASE_URL`.
    pub database_url: Option<String>,
    /// `ZO_SECRET_KEY_FILE`.
    pub secret_key_file: Option<PathBuf>,
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The named file could not be read.
    #[error("cannot read config file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The file is not valid for this program.
    #[error("{0}:{1}: {2}")]
    Parse(PathBuf, usize, String),
}

impl Config {
    /// Loads `file` (or [`DEFAULT_FILE`] if present when `file` is None), then applies `overrides`.
    pub fn load(file: Option<&Path>, overrides: Overrides) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new(DEFAULT_FILE).exists() => Self::from_file(Path::new(DEFAULT_FILE))?,
            None => Config::default(),
        };
        if let Some(d) = overrides.data_dir {
            config.data_dir = d;
        }
        if let Some(a) = overrides.addr {
            config.addr = a;
        }
        if let Some(b) = overrides.base_url {
            config.base_url = b;
        }
        if let Some(u) = overrides.database_url {
            config.database_url = Some(u);
        }
        if let Some(k) = overrides.secret_key_file {
            config.secret_key_file = Some(k);
        }
        config.base_url = config.base_url.trim_end_matches('/').to_owned();
        Ok(config)
    }

    fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_owned(), e))?;
        Self::parse(&text).map_err(|(line, msg)| ConfigError::Parse(path.to_owned(), line, msg))
    }

    /// Parses TOML text and validates the result ([`Config::validate`]); errors carry a 1-based line,
    /// and name the setting when the TOML itself is fine but a value is not. When several settings are
    /// invalid, the line is the first one's and the message names them all.
    pub fn parse(text: &str) -> Result<Config, (usize, String)> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let span = e.span();
            let line = span.as_ref().map_or(1, |s| locate::line_at(text, s.start));
            let message = match span.and_then(|s| locate::key_of_value_at(text, &s)) {
                Some(key) => format!("{key}: {}", e.message()),
                None => e.message().to_owned(),
            };
            (line, message)
        })?;
        config.validate().map_err(|problems| {
            let line = locate::line_of_key(text, problems[0].key).unwrap_or(1);
            let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
            (line, messages.join("; "))
        })?;
        Ok(config)
    }

    /// True when the site is served over https (then HSTS and `Secure` cookies apply).
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.page_size.get(), 10);
        assert!(c.demo_content);
    }

    #[test]
    fn an_unknown_key_is_an_error_with_its_line() {
        let (line, msg) = Config::parse("page_size = 5\nbogus = 1\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(msg.contains("bogus"), "{msg}");
    }

    #[test]
    fn overrides_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.toml");
        std::fs::write(&f, "data_dir = \"/from/file\"\n").unwrap();
        let c =
            Config::load(Some(&f), Overrides { data_dir: Some("/from/flag".into()), ..Overrides::default() })
                .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/from/flag"));
    }
}
