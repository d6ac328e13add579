//! The editors' inbox: filtering messages, changing their status, deleting them, and turning a reader's
//! question into a draft article that links back to it.

use super::auth::SignedIn;
use super::{App, AppError, Site};
use crate::domain::{Article, MessageKind, MessageStatus, Slug, Status};
use crate::store::StoredMessage;

/// What an editor can do to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    /// Done with it.
    Handled,
    /// Back to new.
    Reopen,
    /// It is spam.
    Spam,
    /// It is not spam: back to new.
    NotSpam,
    /// Delete it for good.
    Delete,
}

impl MessageAction {
    /// Parses the form value.
    pub fn parse(s: &str) -> Option<MessageAction> {
        Some(match s {
            "handled" => MessageAction::Handled,
            "reopen" => MessageAction::Reopen,
            "spam" => MessageAction::Spam,
            "notspam" => MessageAction::NotSpam,
            "delete" => MessageAction::Delete,
            _ => return None,
        })
    }
}

impl Site {
    /// Messages of `kind` and `status` (either may be any), newest first.
    pub fn inbox(
        &self,
        kind: Option<MessageKind>,
        status: Option<MessageStatus>,
    ) -> Result<Vec<StoredMessage>, AppError> {
        let mut all = self.store.messages(status)?;
        all.retain(|m| kind.is_none_or(|k| m.kind == k));
        Ok(all)
    }

    /// One message with the slug of the draft that answers it, if any.
    pub fn message_with_answer(&self, id: i64) -> Result<(StoredMessage, Option<String>), AppError> {
        let m = self.store.message(id)?.ok_or(AppError::NotFound)?;
        Ok((m, self.store.message_article(id)?))
    }
}

impl App {
    /// Applies `action` to message `id`.
    pub fn act_on_message(&self, id: i64, action: MessageAction, who: &SignedIn) -> Result<(), AppError> {
        let now = self.now();
        let found = match action {
            MessageAction::Delete => self.store.delete_message(id)?,
            MessageAction::Handled => self.store.set_message_status(id, MessageStatus::Handled, now)?,
            MessageAction::Spam => self.store.set_message_status(id, MessageStatus::Spam, now)?,
            MessageAction::Reopen | MessageAction::NotSpam => {
                self.store.set_message_status(id, MessageStatus::New, now)?
            }
        };
        if !found {
            return Err(AppError::NotFound);
        }
        tracing::info!(user = %who.name, message = id, action = ?action, "inbox action");
        Ok(())
    }

    /// Turns message `id` into a draft whose question is the reader's text (never their name or address),
    /// links the message to it and marks it handled. Asking again returns the same draft.
    pub fn answer_message(&self, id: i64, who: &SignedIn) -> Result<Slug, AppError> {
        let m = self.store.message(id)?.ok_or(AppError::NotFound)?;
        if m.status == MessageStatus::Spam {
            return Err(AppError::BadRequest(
                "This message is marked as spam. Mark it as not spam first.".into(),
            ));
        }
        if let Some(existing) = self.store.message_article(id)?
            && let Ok(slug) = Slug::parse(&existing)
            && self.store.article(&slug)?.is_some()
        {
            return Ok(slug);
        }
        let question = m.body.trim().to_owned();
        let title = title_from(&question);
        let slug = self.free_slug(&title)?;
        let now = self.now();
        let article = Article {
            question: Some(question),
            created: Some(now),
            ..Article::new(slug.clone(), title, Status::Draft)
        };
        self.write_article(&article, who.who(), &format!("draft answering reader message #{id}"))?;
        self.store.link_message_article(id, &slug, now)?;
        Ok(slug)
    }

    /// A slug made from `title` that no article has yet (`-2`, `-3` … appended as needed).
    fn free_slug(&self, title: &str) -> Result<Slug, AppError> {
        let base = Slug::from_text(title)
            .or_else(|_| Slug::from_text("reader question"))
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let base: String =
            base.as_str().chars().take(80).collect::<String>().trim_end_matches('-').to_owned();
        for n in 1..1000 {
            let candidate = if n == 1 { base.clone() } else { format!("{base}-{n}") };
            let slug = Slug::parse(&candidate).map_err(|e| AppError::BadRequest(e.to_string()))?;
            if self.store.article(&slug)?.is_none() && slug.as_str() != "new" {
                return Ok(slug);
            }
        }
        Err(AppError::BadRequest("No free address could be made for this draft.".into()))
    }
}

/// A working title: the question's first sentence or line, cut to about 90 characters at a word.
fn title_from(question: &str) -> String {
    let first = question.lines().find(|l| !l.trim().is_empty()).unwrap_or("Reader question").trim();
    let sentence = match first.find(['?', '.', '!']) {
        Some(i) => &first[..=i],
        None => first,
    };
    if sentence.chars().count() <= 90 {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(90).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_first_sentence_cut_at_a_word() {
        assert_eq!(title_from("How do I talk about it? I have tried."), "How do I talk about it?");
        let long = "word ".repeat(40);
        let t = title_from(&long);
        assert!(t.ends_with('…') && t.chars().count() <= 91, "{t}");
        assert_eq!(title_from("\n\nSecond line first\nmore"), "Second line first");
    }
}
