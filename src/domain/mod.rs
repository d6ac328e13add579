//! The content model: pure types with no I/O, no HTTP and no SQL.
//!
//! Every type here can only hold a valid value; raw strings are parsed into them at the edge.

mod article;
mod email;
pub mod fold;
mod listing;
mod message;
mod old_path;
mod slug;
mod tag;
mod user;

pub use article::{Article, Reference, Status, Translation};
pub use email::{Email, EmailError};
pub use listing::{ArticleSummary, TagCount};
pub use message::{Message, MessageKind, MessageStatus};
pub use old_path::OldPath;
pub use slug::{Slug, SlugError};
pub use tag::{Tag, TagError, push_unique};
pub use user::{Role, Username, UsernameError};

impl<'de> serde::Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl<'de> serde::Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Tag::parse(&s).map_err(serde::de::Error::custom)
    }
}
