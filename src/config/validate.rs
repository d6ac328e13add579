//! Which configured values can be used: [`Config::validate`], run by every load, and the deserializers
//! that parse values into types that can only hold usable ones (`NonZero*`).
//!
//! The upper bounds are not taste: a retention period or session lifetime is subtracted from "now", and
//! one past the calendar's range would panic at the first use instead of failing at start.

use super::{Config, Mailbox, SmtpConfig};
use serde::{Deserialize, Deserializer, de::Error as _};
use std::fmt;
use std::num::NonZeroU64;
use std::ops::RangeInclusive;

/// A hundred years in days: the longest retention period accepted.
const CENTURY_DAYS: i128 = 36_525;

/// One setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The setting as a dotted TOML key, e.g. `admin.session_max_hours`; used to find its line.
    pub key: &'static str,
    /// What is wrong, as shown to the operator (it names the setting).
    pub message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Config {
    /// Everything wrong with the values of this configuration, in a fixed order. Loading
    /// ([`Config::parse`], [`Config::load`]) runs this, so a `Config` from a file is always valid; a
    /// `Config` built in code (tests) can call it too.
    pub fn validate(&self) -> Result<(), Vec<Invalid>> {
        let mut out = Vec::new();
        // The same function and message `zeroopposite check` used to apply on its own: a misspelt rule
        // id or phrase list would otherwise be silently ignored.
        let checks = self.checks.problems();
        if !checks.is_empty() {
            out.push(Invalid {
                key: "checks",
                message: format!("the [checks] configuration is invalid: {}", checks.join("; ")),
            });
        }
        if !crate::content::schema::is_language_tag(&self.language) {
            out.push(Invalid {
                key: "language",
                message: format!("language: {:?} is not a language tag such as en or pt-BR", self.language),
            });
        }
        let review = i128::from(self.checks.review_interval_days);
        within(&mut out, "checks.review_interval_days", review, 1..=CENTURY_DAYS);
        within(&mut out, "search.per_page", self.search.per_page as i128, 1..=i128::MAX);
        within(&mut out, "search.insights_min_count", self.search.insights_min_count.into(), 1..=i128::MAX);
        let days = self.search.insights_retention_days.into();
        within(&mut out, "search.insights_retention_days", days, 1..=CENTURY_DAYS);
        let contact = &self.contact;
        if contact.max_age_secs <= contact.min_fill_secs {
            out.push(Invalid {
                key: "contact.max_age_secs",
                message: format!(
                    "contact.max_age_secs: must be more than contact.min_fill_secs ({}), not {}; \
                     otherwise no form could ever be sent",
                    contact.min_fill_secs, contact.max_age_secs
                ),
            });
        }
        within(&mut out, "contact.max_message_chars", contact.max_message_chars as i128, 1..=i128::MAX);
        within(&mut out, "contact.retention_days", contact.retention_days.into(), 1..=CENTURY_DAYS);
        let spam_days = contact.spam_retention_days.into();
        within(&mut out, "contact.spam_retention_days", spam_days, 1..=CENTURY_DAYS);
        if let Some(smtp) = &contact.smtp {
            smtp.validate(&mut out);
        }
        let admin = &self.admin;
        let minutes = CENTURY_DAYS * 24 * 60;
        within(&mut out, "admin.session_idle_minutes", admin.session_idle_minutes.get().into(), 1..=minutes);
        within(
            &mut out,
            "admin.session_max_hours",
            admin.session_max_hours.get().into(),
            1..=CENTURY_DAYS * 24,
        );
        within(&mut out, "admin.login_window_minutes", admin.login_window_minutes.get().into(), 1..=minutes);
        if out.is_empty() { Ok(()) } else { Err(out) }
    }
}

impl SmtpConfig {
    fn validate(&self, out: &mut Vec<Invalid>) {
        if self.to.is_empty() {
            out.push(Invalid {
                key: "contact.smtp.to",
                message: "contact.smtp.to: needs at least one address to notify".to_owned(),
            });
        }
        let poll = self.poll_ms.get().into();
        within(out, "contact.smtp.poll_ms", poll, i128::from(Self::MIN_POLL_MS)..=i128::MAX);
        within(out, "contact.smtp.retry_base_ms", self.retry_base_ms.into(), 1..=i128::MAX);
    }
}

/// Records a problem unless `value` of setting `key` is in `range`.
fn within(out: &mut Vec<Invalid>, key: &'static str, value: i128, range: RangeInclusive<i128>) {
    let message = if value < *range.start() {
        format!("{key}: must be at least {}, not {value}", range.start())
    } else if value > *range.end() {
        format!("{key}: must be at most {}, not {value}", range.end())
    } else {
        return;
    };
    out.push(Invalid { key, message });
}

/// Deserializes a whole number of at least 1 into a `NonZero*` type, with a sentence an operator
/// understands ("must be at least 1, not 0") instead of serde's "expected a nonzero u64". The TOML
/// error adds the line and `Config::parse` the key.
pub(super) fn positive<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<NonZeroU64>,
{
    // TOML integers are i64, so a negative number arrives as such and is answered like zero.
    let n = i64::deserialize(d)?;
    let non_zero = u64::try_from(n)
        .ok()
        .and_then(NonZeroU64::new)
        .ok_or_else(|| D::Error::custom(format!("must be at least 1, not {n}")))?;
    T::try_from(non_zero).map_err(|_| D::Error::custom(format!("{n} is too large")))
}

/// Deserializes one e-mail address (`a@b.org` or `Name <a@b.org>`), with the address in the message.
pub(super) fn mailbox<'de, D: Deserializer<'de>>(d: D) -> Result<Mailbox, D::Error> {
    let text = String::deserialize(d)?;
    parse_mailbox(&text).map_err(D::Error::custom)
}

/// Deserializes a list of e-mail addresses, as [`mailbox`] does each one.
pub(super) fn mailboxes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Mailbox>, D::Error> {
    let texts = Vec::<String>::deserialize(d)?;
    texts.iter().map(|t| parse_mailbox(t).map_err(D::Error::custom)).collect()
}

/// Deserializes a list of networks (`"10.0.0.0/8"`; a bare address is a network of one).
pub(super) fn networks<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::IpNet>, D::Error> {
    let texts = Vec::<String>::deserialize(d)?;
    texts
        .iter()
        .map(|t| {
            t.parse::<super::IpNet>()
                .or_else(|_| t.parse::<std::net::IpAddr>().map(super::IpNet::from))
                .map_err(|_| D::Error::custom(format!("{t:?} is not an address or network like 10.0.0.0/8")))
        })
        .collect()
}

fn parse_mailbox(text: &str) -> Result<Mailbox, String> {
    text.parse().map_err(|e| format!("{text:?} is not an e-mail address ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let config: Config = toml::from_str(text).unwrap();
        config.validate().err().unwrap_or_default().into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
    }

    #[test]
    fn a_misspelt_rule_id_gives_the_message_check_gave() {
        let found = problems("[checks]\ndisabled = [\"question-mising\"]\n");
        assert_eq!(found, ["the [checks] configuration is invalid: unknown check rule \"question-mising\""]);
        let found = problems("[checks.severity]\nreview-overdu = \"error\"\n");
        assert_eq!(found, ["the [checks] configuration is invalid: unknown check rule \"review-overdu\""]);
    }

    #[test]
    fn zero_and_negative_numbers_are_refused_with_their_key() {
        let found = problems(
            "[search]\nper_page = 0\ninsights_min_count = -1\ninsights_retention_days = 0\n\
             [contact]\nmax_message_chars = 0\nretention_days = 0\n",
        );
        assert_eq!(
            found,
            [
                "search.per_page: must be at least 1, not 0",
                "search.insights_min_count: must be at least 1, not -1",
                "search.insights_retention_days: must be at least 1, not 0",
                "contact.max_message_chars: must be at least 1, not 0",
                "contact.retention_days: must be at least 1, not 0",
            ]
        );
    }

    #[test]
    fn periods_past_the_calendar_are_refused_before_they_could_panic() {
        let found =
            problems("[admin]\nsession_max_hours = 4000000\n[search]\ninsights_retention_days = 99999999\n");
        assert_eq!(
            found,
            [
                "search.insights_retention_days: must be at most 36525, not 99999999",
                "admin.session_max_hours: must be at most 876600, not 4000000",
            ]
        );
    }

    #[test]
    fn a_form_that_expires_before_it_may_be_sent_is_refused() {
        let found = problems("[contact]\nmin_fill_secs = 30\nmax_age_secs = 30\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("contact.max_age_secs: must be more than contact.min_fill_secs (30)"));
    }

    #[test]
    fn smtp_needs_a_recipient_and_a_sensible_poll() {
        let found = problems(
            "[contact.smtp]\nhost = \"h\"\nport = 25\nfrom = \"a@b.org\"\nto = []\npoll_ms = 5\n\
             retry_base_ms = 0\n",
        );
        assert_eq!(
            found,
            [
                "contact.smtp.to: needs at least one address to notify",
                "contact.smtp.poll_ms: must be at least 10, not 5",
                "contact.smtp.retry_base_ms: must be at least 1, not 0",
            ]
        );
    }

    #[test]
    fn smtp_addresses_are_parsed_at_load() {
        let ok = "[contact.smtp]\nhost = \"h\"\nport = 25\nfrom = \"Site <site@example.org>\"\n\
                  to = [\"ed@example.org\"]\n";
        let config: Config = toml::from_str(ok).unwrap();
        let smtp = config.contact.smtp.unwrap();
        assert_eq!(smtp.from.email.to_string(), "site@example.org");
        assert_eq!(smtp.to[0].email.to_string(), "ed@example.org");
        let bad = ok.replace("ed@example.org", "editors at example");
        let err = toml::from_str::<Config>(&bad).unwrap_err();
        assert!(
            err.message().starts_with("\"editors at example\" is not an e-mail address"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn positive_settings_parse_into_non_zero_values() {
        let config: Config = toml::from_str("page_size = 7\n[admin]\nlogin_max_failures = 3\n").unwrap();
        assert_eq!(config.page_size.get(), 7);
        assert_eq!(config.admin.login_max_failures.get(), 3);
        let err = toml::from_str::<Config>("page_size = -2\n").unwrap_err();
        assert_eq!(err.message(), "must be at least 1, not -2");
        let err = toml::from_str::<Config>("[contact]\nper_ip_per_hour = 5000000000\n").unwrap_err();
        assert_eq!(err.message(), "5000000000 is too large");
    }
}
