//! The Contact Us form: raw fields in, a valid [`Message`] or per-field errors out (parse, don't validate).

use crate::domain::{Email, Message, MessageKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest name accepted.
pub const MAX_NAME: usize = 200;

/// The form as posted: every field a raw string, so nothing the reader typed is lost on error.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ContactForm {
    /// Optional name.
    pub name: String,
    /// Optional reply address.
    pub email: String,
    /// `question`, `correction` or `general`.
    pub kind: String,
    /// The message.
    pub message: String,
    /// Signed form token.
    pub token: String,
    /// Honeypot: hidden from people, filled by bots.
    pub website: String,
}

/// Field name → error sentence.
pub type FieldErrors = BTreeMap<&'static str, String>;

impl ContactForm {
    /// Validates the reader's fields into a [`Message`], or says what to fix, field by field.
    pub fn to_message(&self, max_chars: usize) -> Result<Message, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.chars().count() > MAX_NAME {
            errors.insert("name", format!("Please keep the name under {MAX_NAME} characters."));
        }
        let email = match self.email.trim() {
            "" => None,
            e => match Email::parse(e) {
                Ok(e) => Some(e),
                Err(err) => {
                    errors.insert("email", format!("{err} You can also leave it empty."));
                    None
                }
            },
        };
        let kind = MessageKind::parse(&self.kind);
        if kind.is_none() {
            errors.insert("kind", "Please choose what kind of message this is.".to_owned());
        }
        let len = self.message.chars().count();
        if self.message.trim().is_empty() {
            errors.insert("message", "Please write your message.".to_owned());
        } else if len > max_chars {
            errors.insert(
                "message",
                format!(
                    "Your message is {len} characters long; the limit is {max_chars}. Please shorten it."
                ),
            );
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Message {
                name: Some(name.to_owned()).filter(|n| !n.is_empty()),
                email,
                kind,
                body: self.message.clone(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str, email: &str, message: &str) -> ContactForm {
        ContactForm { kind: kind.into(), email: email.into(), message: message.into(), ..Default::default() }
    }

    #[test]
    fn a_good_form_becomes_a_message_kept_exactly() {
        let m = form("question", "", "  <b>hi</b>\n").to_message(100).unwrap();
        assert_eq!(m.kind, MessageKind::Question);
        assert_eq!(m.body, "  <b>hi</b>\n");
        assert!(m.email.is_none());
    }

    #[test]
    fn each_invalid_field_gets_its_own_error() {
        let mut f = form("nonsense", "not-an-address", "");
        f.name = "x".repeat(300);
        let e = f.to_message(100).unwrap_err();
        assert_eq!(e.keys().copied().collect::<Vec<_>>(), ["email", "kind", "message", "name"]);
    }

    #[test]
    fn an_overlong_message_is_refused() {
        let e = form("general", "", &"a".repeat(101)).to_message(100).unwrap_err();
        assert!(e["message"].contains("101"));
    }
}
