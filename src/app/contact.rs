//! The Contact Us use case: check the form, hold back spam, store durably, or say what to fix.

use super::App;
use crate::contact::form::{ContactForm, FieldErrors};
use crate::contact::spam::link_count;
use crate::contact::token::{self, TokenCheck};
use crate::render::views;
use crate::store::NewMessage;
use std::net::IpAddr;
use std::time::Duration;
use time::OffsetDateTime;

/// What became of a submission.
#[derive(Debug)]
pub enum Submitted {
    /// Stored (as a message, or held as spam): thank the reader.
    Stored,
    /// Something to fix: show the form again with these errors (field "form" is about the whole form).
    Invalid(FieldErrors),
    /// Too many posts from this address: try again after this long.
    RateLimited(Duration),
    /// The database could not take it now; nothing was stored.
    Unavailable,
}

impl App {
    /// The Contact Us form showing what the reader wrote (`form`) with `errors` beside their
    /// fields and a fresh token.
    pub fn contact_page(&self, form: &ContactForm, errors: &FieldErrors) -> Result<String, super::AppError> {
        let token = self.contact_token(self.now());
        let max = self.config.contact.max_message_chars;
        Ok(views::contact(&self.templates, &self.site_view, form, errors, &token, max, None)?)
    }

    /// The thank-you page after a message was stored.
    pub fn thanks_page(&self) -> Result<String, super::AppError> {
        Ok(views::thanks(&self.templates, &self.site_view)?)
    }

    /// Forgets rate-limit windows that have ended (called every minute).
    pub fn prune_rate_limits(&self) {
        if let Err(e) = self.store.prune_rates(self.now() - RATE_WINDOW) {
            tracing::warn!(error = %e, "could not prune the contact rate limit; will retry");
        }
    }

    /// A fresh signed token for a form served at `now`.
    pub fn contact_token(&self, now: OffsetDateTime) -> String {
        token::issue(&self.secret, now.unix_timestamp())
    }

    /// Handles one posted form from `ip`. Blocking (stores the message with a synchronous commit).
    pub fn submit_contact(&self, form: &ContactForm, ip: IpAddr, now: OffsetDateTime) -> Submitted {
        let cfg = &self.config.contact;
        let ip_hash = self.secret.address_hash(ip, now.date());
        let (nonce, mut spam) = match token::check(
            &self.secret,
            &form.token,
            now.unix_timestamp(),
            cfg.min_fill_secs,
            cfg.max_age_secs,
        ) {
            TokenCheck::Valid { nonce } => (nonce, None),
            TokenCheck::TooFresh { nonce, secs } => {
                (nonce, Some(format!("sent {secs} s after the form was served")))
            }
            TokenCheck::Expired => {
                return Submitted::Invalid(one(
                    "This form was open for a long time, so for safety it has expired. Your text is kept \
                         below: please press Send again.",
                ));
            }
            TokenCheck::Forged => {
                return Submitted::Invalid(one(
                    "This form could not be verified. Your text is kept below: please press Send again.",
                ));
            }
        };
        // Only a form this site served counts against the address's quota: junk posts without a token
        // (from anyone behind the same proxy or network) cannot use up a reader's chance to write.
        let limit = cfg.per_ip_per_hour.get();
        match self.store.take_rate(&ip_hash, limit, RATE_WINDOW, now) {
            Ok(None) => {}
            Ok(Some(secs)) => return Submitted::RateLimited(Duration::from_secs(secs.unsigned_abs())),
            Err(e) => {
                tracing::error!(error = %e, "the contact rate limit could not be read");
                return Submitted::Unavailable;
            }
        }
        let message = match form.to_message(cfg.max_message_chars) {
            Ok(m) => m,
            Err(errors) => return Submitted::Invalid(errors),
        };
        if !form.website.is_empty() {
            spam = Some("the hidden honeypot field was filled in".to_owned());
        }
        let links = link_count(&message.body);
        if spam.is_none() && links > cfg.max_links {
            spam = Some(format!("{links} links (limit {})", cfg.max_links));
        }
        let new = NewMessage {
            message,
            ip_hash,
            submission_id: nonce,
            spam_reason: spam,
            notify: cfg.smtp.is_some(),
        };
        match self.store.insert_message(&new, now) {
            Ok(_) => Submitted::Stored,
            Err(e) => {
                tracing::error!(error = %e, "a contact message could not be stored");
                Submitted::Unavailable
            }
        }
    }

    /// Deletes handled messages and spam past their retention periods; returns how many.
    pub fn apply_retention(&self, now: OffsetDateTime) -> Result<usize, super::AppError> {
        let cfg = &self.config.contact;
        let handled =
            self.store.delete_handled_before(now - time::Duration::days(cfg.retention_days as i64))?;
        let spam =
            self.store.delete_spam_before(now - time::Duration::days(cfg.spam_retention_days as i64))?;
        Ok(handled + spam)
    }

    /// Sends due notifications once each, however many instances poll the outbox together: each
    /// claims its entries for `OUTBOX_LEASE` (two minutes) first. Returns (sent, failed).
    pub fn deliver_outbox(&self, now: OffsetDateTime) -> Result<(usize, usize), super::AppError> {
        let Some(smtp) = &self.config.contact.smtp else {
            return Ok((0, 0));
        };
        let (mut sent, mut failed) = (0, 0);
        for (id, attempts, m) in self.store.outbox_claim(now, OUTBOX_LEASE, 50)? {
            match crate::contact::outbox::send(smtp, &self.config.base_url, &m) {
                Ok(()) => {
                    self.store.outbox_sent(id, now)?;
                    sent += 1;
                }
                Err(e) => {
                    let wait =
                        crate::contact::outbox::backoff(attempts, Duration::from_millis(smtp.retry_base_ms));
                    tracing::warn!(message = m.id, attempts = attempts + 1, error = %e, "notification failed; will retry");
                    self.store.outbox_failed(id, &e, now + wait)?;
                    failed += 1;
                }
            }
        }
        Ok((sent, failed))
    }
}

/// The contact rate limit counts posts per address in windows of an hour.
const RATE_WINDOW: time::Duration = time::Duration::hours(1);

/// How long a claimed notification is left to the instance that claimed it before another may send
/// it (that instance died mid-send). Longer than an SMTP conversation with its 10 s timeout.
pub const OUTBOX_LEASE: time::Duration = time::Duration::minutes(2);

fn one(msg: &str) -> FieldErrors {
    FieldErrors::from([("form", msg.to_owned())])
}
