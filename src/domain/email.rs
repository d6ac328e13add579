//! `Email`: a reply address that is plausibly deliverable.

/// An e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces or angle brackets.
///
/// Deliberately not full RFC 5322: readers type ordinary addresses and a strict parser only
/// produces confusing errors. It only ever holds a value that passed [`Email::parse`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EmailError(&'static str);

impl Email {
    /// Longest address SMTP allows.
    pub const MAX_LEN: usize = 254;

    /// Parses an address, trimming surrounding white space.
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let s = raw.trim();
        if s.len() > Self::MAX_LEN {
            return Err(EmailError("This address is too long."));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(EmailError("An e-mail address needs an @, like name@example.org."));
        };
        let bad = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"@".contains(c);
        if local.is_empty() || local.len() > 64 || local.chars().any(bad) {
            return Err(EmailError("The part before the @ is not valid."));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(EmailError("The part after the @ should be a domain, like example.org."));
        }
        Ok(Email(s.to_owned()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        for ok in ["a@b.org", " reader.name+tag@mail.example.co.uk ", "ü@exämple.de"] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "a",
            "a@",
            "@b.org",
            "a@b",
            "a b@c.org",
            "a@b..org",
            "<a@b.org>",
            "a@-b.org",
            "a@b.org@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
