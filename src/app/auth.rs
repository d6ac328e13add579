//! Signing in and out, sessions, CSRF tokens, throttling, and account management.
//!
//! A session is a random 256-bit token in a cookie; the store keeps only its SHA-256, with a CSRF
//! token of its own, its creation time (absolute expiry) and its last use (idle expiry). Failed
//! sign-ins are counted per name tried and per (keyed hash of the) address, whether or not the account
//! exists, and the answer to a throttled or refused try never says which accounts exist.

use super::{App, AppError, Site, password};
use crate::contact::secrets::hex;
use crate::domain::{Role, Username};
use crate::store::{StoredUser, users::LastAdmin};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use time::Duration;

/// The session cookie's name.
pub const COOKIE: &str = "zo_session";

/// The outcome of a sign-in attempt.
#[derive(Debug)]
pub enum Login {
    /// Signed in: set this token as the session cookie.
    SignedIn {
        /// The new session token (random; never stored in clear).
        token: String,
    },
    /// Wrong name or password (the same answer for both).
    Refused,
    /// Too many failures for this name or address: try again after this long.
    Throttled {
        /// Time until a try is accepted again.
        retry_after: Duration,
    },
    /// Every password-check slot is taken (a burst of sign-ins): try again in a moment. Nothing
    /// was counted against the name or the address.
    Busy,
}

/// A signed-in editor, as every admin handler sees them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Account name.
    pub name: Username,
    /// What they may do.
    pub role: Role,
    /// This session's CSRF token, put into every form.
    pub csrf: String,
    token_hash: String,
}

impl SignedIn {
    /// True when `token` is this session's CSRF token (compared in constant time).
    pub fn csrf_matches(&self, token: &str) -> bool {
        constant_time_eq(self.csrf.as_bytes(), token.trim().as_bytes())
    }

    /// True for admins.
    pub fn is_admin(&self) -> bool {
        self.role.is_admin()
    }

    /// Who, for revision notes.
    pub fn who(&self) -> &str {
        self.name.as_str()
    }
}

/// Why an account could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The name is not a valid user name.
    #[error("{0}")]
    Name(#[from] crate::domain::UsernameError),
    /// The password breaks the policy.
    #[error("{0}")]
    Password(String),
    /// That name is taken.
    #[error("there is already an account named {0}")]
    Exists(Username),
    /// No such account.
    #[error("there is no account named {0}")]
    NotFound(Username),
    /// It is the last admin.
    #[error("{0} is the only admin; make another admin first")]
    LastAdmin(Username),
    /// The store failed.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::store::StoreError> for UserError {
    fn from(e: crate::store::StoreError) -> Self {
        UserError::App(e.into())
    }
}

impl App {
    /// A signed token for the sign-in form (there is no session yet to tie a CSRF token to).
    pub fn login_form_token(&self) -> String {
        let now = self.now().unix_timestamp();
        let nonce = random_hex(16);
        let mac = self.secret.mac(&[b"admin-login", now.to_string().as_bytes(), nonce.as_bytes()]);
        format!("{now}.{nonce}.{}", hex(&mac))
    }

    /// True when `token` came from [`App::login_form_token`] within the last two hours.
    pub fn login_form_token_ok(&self, token: &str) -> bool {
        let mut parts = token.trim().split('.');
        let (Some(issued), Some(nonce), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(at) = issued.parse::<i64>() else { return false };
        let expected = hex(&self.secret.mac(&[b"admin-login", issued.as_bytes(), nonce.as_bytes()]));
        let age = self.now().unix_timestamp() - at;
        constant_time_eq(expected.as_bytes(), mac.as_bytes()) && (0..=2 * 3600).contains(&age)
    }

    /// Tries to sign in `name` with `password` from `ip`. `previous` is a session token the browser
    /// already had: it is ended, so every sign-in gets a new session id. Blocking (argon2, store).
    pub fn login(
        &self,
        name: &str,
        password: &str,
        ip: IpAddr,
        previous: Option<&str>,
    ) -> Result<Login, AppError> {
        // Taken before the attempt is recorded, so a refusal here costs the real user no try.
        let Some(_slot) = self.password_slots.try_take() else { return Ok(Login::Busy) };
        let now = self.now();
        let cfg = &self.config.admin;
        let account: String = name.trim().to_lowercase().chars().take(64).collect();
        let ip_hash = self.secret.address_hash(ip, now.date());
        let window = Duration::minutes(cfg.login_window_minutes.get().into());
        // The attempt is reserved (counted as failed) before the password is checked, so however
        // many instances receive tries at once, at most `max` passwords are checked per window.
        let max = std::num::NonZeroU32::try_from(cfg.login_max_failures).unwrap_or(std::num::NonZeroU32::MAX);
        if let Some(wait) = self.store.reserve_login_attempt(&account, &ip_hash, max, window, now)? {
            return Ok(Login::Throttled { retry_after: Duration::seconds(wait.max(1)) });
        }
        let user: Option<StoredUser> = match Username::parse(name) {
            Ok(u) => self.store.user(&u)?,
            Err(_) => None,
        };
        let ok = match &user {
            Some(u) => password::verify(password, &u.password_hash),
            None => {
                // Same work as for a real account, so timing does not tell which names exist.
                let _ = password::verify(password, self.dummy_hash());
                false
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            // The reservation stays as the record of this failure.
            tracing::info!(target: "zeroopposite::auth", "failed sign-in");
            return Ok(Login::Refused);
        };
        self.store.clear_login_failures(&account)?;
        let token = random_hex(32);
        let old = previous.map(token_hash);
        self.store.create_session(&token_hash(&token), user.id, &random_hex(32), old.as_deref(), now)?;
        tracing::info!(target: "zeroopposite::auth", user = %user.name, "signed in");
        Ok(Login::SignedIn { token })
    }

    /// The signed-in editor for a session token, if the session exists and has not expired.
    /// Using a session moves its idle expiry on; an expired one is deleted.
    pub fn session(&self, token: &str) -> Result<Option<SignedIn>, AppError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let now = self.now();
        let h = token_hash(token);
        let Some(s) = self.store.session(&h)? else { return Ok(None) };
        let cfg = &self.config.admin;
        let idle = now.unix_timestamp() - s.last_seen > i64::from(cfg.session_idle_minutes.get()) * 60;
        let old = now.unix_timestamp() - s.created > i64::from(cfg.session_max_hours.get()) * 3600;
        if idle || old {
            self.store.delete_session(&h)?;
            return Ok(None);
        }
        self.store.touch_session(&h, now)?;
        Ok(Some(SignedIn { name: s.name, role: s.role, csrf: s.csrf, token_hash: h }))
    }

    /// Ends a session.
    pub fn logout(&self, who: &SignedIn) -> Result<(), AppError> {
        self.store.delete_session(&who.token_hash)?;
        tracing::info!(target: "zeroopposite::auth", user = %who.name, "signed out");
        Ok(())
    }

    /// Deletes expired sessions and failed sign-ins past the window; returns how many rows went.
    pub fn prune_sessions(&self) -> Result<usize, AppError> {
        let now = self.now();
        let cfg = &self.config.admin;
        Ok(self.store.prune_sessions(
            now - Duration::minutes(cfg.session_idle_minutes.get().into()),
            now - Duration::hours(cfg.session_max_hours.get().into()),
            now - Duration::minutes(cfg.login_window_minutes.get().into()),
        )?)
    }

    fn dummy_hash(&self) -> &str {
        self.dummy_hash
            .get_or_init(|| password::hash("no such account, no such password").unwrap_or_default())
    }
}

impl Site {
    /// Creates an account. Blocking (argon2).
    pub fn add_user(&self, name: &str, role: Role, password: &str) -> Result<Username, UserError> {
        let name = Username::parse(name)?;
        if let Some(p) = password::policy_problem(password) {
            return Err(UserError::Password(p));
        }
        let hash = password::hash(password).map_err(UserError::Password)?;
        if !self.store.create_user(&name, role, &hash, self.now())? {
            return Err(UserError::Exists(name));
        }
        Ok(name)
    }

    /// Sets an account's password and ends its sessions. Blocking (argon2).
    pub fn set_user_password(&self, name: &str, password: &str) -> Result<(), UserError> {
        let name = Username::parse(name)?;
        if let Some(p) = password::policy_problem(password) {
            return Err(UserError::Password(p));
        }
        let hash = password::hash(password).map_err(UserError::Password)?;
        if !self.store.set_password(&name, &hash, self.now())? {
            return Err(UserError::NotFound(name));
        }
        Ok(())
    }

    /// Removes an account (never the last admin).
    pub fn remove_user(&self, name: &str) -> Result<(), UserError> {
        let name = Username::parse(name)?;
        match self.store.remove_user(&name)? {
            Ok(true) => Ok(()),
            Ok(false) => Err(UserError::NotFound(name)),
            Err(LastAdmin) => Err(UserError::LastAdmin(name)),
        }
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<StoredUser>, AppError> {
        Ok(self.store.users()?)
    }

    /// Whether the database answers (for `/healthz`).
    pub fn check_health(&self) -> Result<(), AppError> {
        self.store.change_seq()?;
        Ok(())
    }
}

/// SHA-256 of a session token, as the store keeps it.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// `n` random bytes as hex.
fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).expect("the operating system provides random bytes");
    hex(&b)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
