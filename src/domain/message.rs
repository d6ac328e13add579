//! Contact Us messages: what a reader sends, as pure types.

use super::Email;

/// What the reader says the message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// A question they would like answered in an article.
    Question,
    /// A correction to something published.
    Correction,
    /// Anything else.
    General,
}

impl MessageKind {
    /// Every kind, in form order.
    pub const ALL: [MessageKind; 3] = [MessageKind::Question, MessageKind::Correction, MessageKind::General];

    /// Stable lower-case name (form value, store, CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Question => "question",
            MessageKind::Correction => "correction",
            MessageKind::General => "general",
        }
    }

    /// The label readers see.
    pub fn label(self) -> &'static str {
        match self {
            MessageKind::Question => "A question for an article",
            MessageKind::Correction => "A correction",
            MessageKind::General => "Something else",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a message is in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// Not yet dealt with.
    New,
    /// Answered or otherwise done; deleted after the retention period.
    Handled,
    /// Held back by the spam defences; an editor can rescue it.
    Spam,
}

impl MessageStatus {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::New => "new",
            MessageStatus::Handled => "handled",
            MessageStatus::Spam => "spam",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<MessageStatus> {
        [MessageStatus::New, MessageStatus::Handled, MessageStatus::Spam]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A message as the reader wrote it, after validation: every field here is acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Optional name.
    pub name: Option<String>,
    /// Optional reply address, valid when present.
    pub email: Option<Email>,
    /// What kind of message.
    pub kind: MessageKind,
    /// The text, kept exactly as sent.
    pub body: String,
}
