//! Revisions for editors: the history with what each save changed, a line diff of any revision against
//! the current text, and restoring a revision (which is itself a new revision).

use super::auth::SignedIn;
use super::editor::EditError;
use super::{App, AppError};
use crate::content::writer;
use crate::domain::{Article, Slug, Status};
use similar::{ChangeTag, TextDiff};
use time::OffsetDateTime;

/// One line of the history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RevisionSummary {
    /// Revision id.
    pub id: i64,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub who: String,
    /// Why (action, override reason, file name).
    pub note: String,
    /// Fields that differ from the revision before ("title", "body", "status" …).
    pub changed: Vec<String>,
    /// Whether this is the current text.
    pub current: bool,
}

/// A line of a diff.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DiffLine {
    /// "del" (only in the revision), "ins" (only in the current text) or "eq".
    pub kind: &'static str,
    /// Line number in the revision.
    pub old: Option<usize>,
    /// Line number in the current text.
    pub new: Option<usize>,
    /// The line, without its newline.
    pub text: String,
}

/// Names of the fields that differ between `a` and `b` ("title", "content notes" …), in the
/// order of the stored format. Computed from the serialised articles, so a new field is covered.
pub fn changed_fields(a: &Article, b: &Article) -> Vec<String> {
    let fields = |x: &Article| match serde_json::to_value(x) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (fields(a), fields(b));
    let mut keys: Vec<&String> = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))).collect();
    keys.dedup();
    keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).map(|k| k.replace('_', " ")).collect()
}

/// Hunks of a line diff from `old` to `new` with `context` unchanged lines around each change.
pub fn line_diff(old: &str, new: &str, context: usize) -> Vec<Vec<DiffLine>> {
    let diff = TextDiff::from_lines(old, new);
    diff.grouped_ops(context)
        .iter()
        .map(|group| {
            group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|c| DiffLine {
                    kind: match c.tag() {
                        ChangeTag::Delete => "del",
                        ChangeTag::Insert => "ins",
                        ChangeTag::Equal => "eq",
                    },
                    old: c.old_index().map(|i| i + 1),
                    new: c.new_index().map(|i| i + 1),
                    text: c.value().trim_end_matches(['\n', '\r']).to_owned(),
                })
                .collect()
        })
        .collect()
}

impl App {
    /// An article's revisions, newest first, each with what it changed.
    pub fn history(&self, slug: &Slug) -> Result<Vec<RevisionSummary>, AppError> {
        let revisions = self.store.revisions(slug)?;
        let last = revisions.last().map(|r| r.id);
        let mut out = Vec::with_capacity(revisions.len());
        let mut previous: Option<&Article> = None;
        for r in &revisions {
            let changed = match previous {
                Some(p) => changed_fields(p, &r.article),
                None => vec!["created".to_owned()],
            };
            out.push(RevisionSummary {
                id: r.id,
                at: r.at,
                who: r.who.clone(),
                note: r.note.clone(),
                changed,
                current: Some(r.id) == last,
            });
            previous = Some(&r.article);
        }
        out.reverse();
        Ok(out)
    }

    /// Revision `id` with a diff from it to the current text (both in their Markdown file form, so every
    /// field shows).
    pub fn revision_diff(
        &self,
        slug: &Slug,
        id: i64,
    ) -> Result<(crate::store::Revision, Vec<Vec<DiffLine>>), AppError> {
        let current = self.store.article(slug)?.ok_or(AppError::NotFound)?;
        let rev = self.store.revision(slug, id)?.ok_or(AppError::NotFound)?;
        let old = writer::to_markdown_file(&rev.article);
        let new = writer::to_markdown_file(&current.article);
        let hunks = line_diff(&old, &new, 3);
        Ok((rev, hunks))
    }

    /// Makes revision `id`'s text the current text, as a new revision. The article keeps its status and
    /// publication time; when readers can see it, error-level findings need an override as for any save.
    pub fn restore_revision(
        &self,
        slug: &Slug,
        id: i64,
        who: &SignedIn,
        override_reason: Option<&str>,
    ) -> Result<(), EditError> {
        let current = self.store.article(slug)?.ok_or(AppError::NotFound)?.article;
        let rev = self.store.revision(slug, id)?.ok_or(AppError::NotFound)?;
        if current.status == Status::Trashed {
            return Err(EditError::Invalid(super::editor::FieldErrors::from([(
                "form".to_owned(),
                "This article is in the trash. Restore it from the trash first.".to_owned(),
            )])));
        }
        let now = self.now();
        let mut a = rev.article;
        a.status = current.status;
        a.published = current.published;
        a.created = current.created;
        a.updated = if current.status == Status::Published { Some(now) } else { current.updated };
        let note = self.override_note(&a, format!("restored revision #{id}"), override_reason)?;
        self.write_article(&a, who.who(), &note)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_marks_removed_and_added_lines_with_their_numbers() {
        let hunks = line_diff("a\nb\nc\n", "a\nB\nc\nd\n", 1);
        assert_eq!(hunks.len(), 1);
        let kinds: Vec<_> = hunks[0].iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(kinds, [("eq", "a"), ("del", "b"), ("ins", "B"), ("eq", "c"), ("ins", "d")]);
        assert_eq!(hunks[0][1].old, Some(2));
        assert_eq!(hunks[0][2].new, Some(2));
    }

    #[test]
    fn identical_texts_have_no_hunks() {
        assert!(line_diff("same\n", "same\n", 3).is_empty());
    }
}
