//! E-mail notifications to editors over SMTP (lettre): building, sending, and retry back-off.
//!
//! A notification says that a message arrived, its kind and id; never the reader's text or address,
//! so an intercepted or forwarded e-mail leaks nothing they wrote.

use crate::config::SmtpConfig;
use crate::store::StoredMessage;
use lettre::{SmtpTransport, Transport};
use std::time::Duration;

/// Longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Delay before attempt `attempts + 1`: base × 2^attempts, capped at an hour.
pub fn backoff(attempts: i64, base: Duration) -> Duration {
    let factor = 1u32 << attempts.clamp(0, 20) as u32;
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Sends the notification for `m`; the error is a sentence for the outbox's `last_error`.
pub fn send(cfg: &SmtpConfig, base_url: &str, m: &StoredMessage) -> Result<(), String> {
    // A stable Message-ID: should a notification ever be sent twice (an instance died between
    // sending and recording it), mail clients show it once.
    let host =
        base_url.split("://").nth(1).unwrap_or(base_url).split(['/', ':']).next().unwrap_or("localhost");
    let id = format!("<message-{}@{host}>", m.id);
    let mut builder = lettre::Message::builder()
        .message_id(Some(id))
        .from(cfg.from.clone())
        .subject(format!("New {} message #{} on ZeroOpposite", m.kind.as_str(), m.id));
    for to in &cfg.to {
        builder = builder.to(to.clone());
    }
    let body = format!(
        "A reader sent a {} message (#{}).\n\nRead it in the inbox: {base_url}/admin/inbox/{}\n\
         (Until the web inbox is set up: zeroopposite messages show {})\n",
        m.kind.as_str(),
        m.id,
        m.id,
        m.id
    );
    let email = builder.body(body).map_err(|e| format!("cannot build e-mail: {e}"))?;
    let transport = SmtpTransport::builder_dangerous(&cfg.host)
        .port(cfg.port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    transport.send(&email).map(|_| ()).map_err(|e| format!("SMTP: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Duration::from_secs(30);
        assert_eq!(backoff(0, b), Duration::from_secs(30));
        assert_eq!(backoff(3, b), Duration::from_secs(240));
        assert_eq!(backoff(40, b), MAX_BACKOFF);
    }
}
