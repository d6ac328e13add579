//! The editors' use cases for articles: save, publish, schedule, unpublish, trash and restore, empty the
//! trash, and the scheduler's `publish_due`. Every write goes through `Store::save_article`, so each is a
//! revision and a change-log entry, and the site, search and feeds follow.
//!
//! The rule that matters most: content readers can see (published, or scheduled to be) with error-level
//! editorial findings needs an explicit override with a reason, and the reason is kept in the revision.

use super::auth::SignedIn;
use super::{App, AppError, Site};
use crate::content::checks::{Finding, Severity};
use crate::content::{editorial, markdown, parse_article, writer};
use crate::domain::{Article, Slug, Status};
use crate::store::{AdminListing, ArticleFilter, SaveOutcome, StoredArticle};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Problems to show next to form fields, by field name ("form" is about the whole form).
pub type FieldErrors = BTreeMap<String, String>;

/// What the editor asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Save; a new article becomes a draft, an existing one keeps its status.
    Save,
    /// Publish now.
    Publish,
    /// Publish automatically at this time.
    Schedule(OffsetDateTime),
    /// Take it off the site (it becomes a draft).
    Unpublish,
}

/// One save from the editor.
#[derive(Debug, Clone)]
pub struct Edit {
    /// The article as the form gives it; status and dates are decided here.
    pub article: Article,
    /// Whether this creates a new article.
    pub is_new: bool,
    /// What to do.
    pub action: Action,
    /// The override of error-level findings: `Some(reason)` when the box was ticked.
    pub override_reason: Option<String>,
    /// The newest revision when the editor was opened, to notice someone else's save.
    pub base_revision: Option<i64>,
}

/// Why an edit was not saved. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Something to fix, shown next to the fields.
    #[error("the article needs changes before it can be saved")]
    Invalid(FieldErrors),
    /// Someone else saved the article after this editor opened it.
    #[error("the article was changed by someone else")]
    Conflict,
    /// The store or another layer failed.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::store::StoreError> for EditError {
    fn from(e: crate::store::StoreError) -> Self {
        EditError::App(e.into())
    }
}

/// A finding as the editor shows it beside the text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FindingView {
    /// "error", "warning", "note".
    pub severity: &'static str,
    /// The rule id.
    pub rule: String,
    /// Where: "Body, line 3, column 5", or the field.
    pub place: String,
    /// What is wrong.
    pub message: String,
    /// The text concerned.
    pub excerpt: String,
    /// How to fix it.
    pub suggestion: Option<String>,
}

/// The findings of an article's current text.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Checked {
    /// For display, errors first.
    pub findings: Vec<FindingView>,
    /// How many are errors (which publishing needs an override for).
    pub errors: usize,
}

impl App {
    /// Runs the editorial checks on `article` as it would be saved, with positions in its body.
    pub fn check_article(&self, article: &Article) -> Checked {
        let (raw, body_first_line) = self.raw_findings(article);
        let mut findings: Vec<(Severity, FindingView)> = raw
            .into_iter()
            .map(|f| {
                let place = if f.line >= body_first_line {
                    format!("Body, line {}, column {}", f.line - body_first_line + 1, f.column)
                } else {
                    field_of(&f).to_owned()
                };
                let view = FindingView {
                    severity: f.severity.as_str(),
                    rule: f.rule.id().to_owned(),
                    place,
                    message: f.message,
                    excerpt: f.excerpt,
                    suggestion: f.suggestion,
                };
                (f.severity, view)
            })
            .collect();
        findings.sort_by_key(|(s, _)| *s);
        let errors = findings.iter().filter(|(s, _)| *s == Severity::Error).count();
        Checked { findings: findings.into_iter().map(|(_, v)| v).collect(), errors }
    }

    /// The checker's findings for `article` and the line its body starts on in the Markdown file form.
    fn raw_findings(&self, article: &Article) -> (Vec<Finding>, usize) {
        let now = self.now();
        let text = writer::to_markdown_file(article);
        let parsed = match parse_article(&text, None, now) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "an edited article does not parse back; findings skipped");
                return (Vec::new(), 1);
            }
        };
        let slugs = self.store.slugs().unwrap_or_default();
        let own = article.slug.as_str().to_owned();
        let known = |s: &str| s == own || slugs.contains(s);
        let checker = self.checker();
        (editorial::check_source(&checker, &text, &parsed, &known, now.date()), parsed.body_first_line)
    }

    /// Saves an edit: decides status and dates from the action, enforces the override rule, and writes
    /// one revision. Returns the slug and what the store did. Blocking.
    pub fn save_edit(&self, edit: Edit, who: &SignedIn) -> Result<(Slug, SaveOutcome), EditError> {
        let now = self.now();
        let slug = edit.article.slug.clone();
        let current = self.store.article(&slug)?.map(|s| s.article);
        match (&current, edit.is_new) {
            (Some(_), true) => {
                return Err(invalid("slug", "An article with this address already exists. Choose another."));
            }
            (None, false) => return Err(EditError::App(AppError::NotFound)),
            (Some(c), false) if c.status == Status::Trashed => {
                return Err(invalid("form", "This article is in the trash. Restore it before editing."));
            }
            _ => {}
        }
        if !edit.is_new
            && edit.base_revision.is_some()
            && self.store.latest_revision_id(&slug)? != edit.base_revision
        {
            return Err(EditError::Conflict);
        }
        let mut article = edit.article;
        let (status, published) = match (edit.action, &current) {
            (Action::Save, None) => (Status::Draft, None),
            (Action::Save, Some(c)) => (c.status, c.published),
            (Action::Publish, c) => {
                let kept = c.as_ref().and_then(|c| c.published).filter(|p| *p <= now);
                (Status::Published, Some(kept.unwrap_or(now)))
            }
            (Action::Schedule(at), _) if at <= now => {
                return Err(invalid("publish_at", "Choose a time in the future, or use Publish now."));
            }
            (Action::Schedule(at), _) => (Status::Scheduled, Some(at)),
            (Action::Unpublish, c) => (Status::Draft, c.as_ref().and_then(|c| c.published)),
        };
        article.status = status;
        article.published = published;
        article.created = current.as_ref().map_or(Some(now), |c| c.created);
        article.updated = current.as_ref().and_then(|c| c.updated);
        if let Some(c) = &current
            && c.status == Status::Published
            && !same_content(c, &article)
        {
            article.updated = Some(now);
        }
        let note = match edit.action {
            Action::Save if edit.is_new => "new draft".to_owned(),
            Action::Save => "saved".to_owned(),
            Action::Publish => "published".to_owned(),
            Action::Schedule(at) => format!("scheduled for {}", rfc3339(at)),
            Action::Unpublish => "unpublished: now a draft".to_owned(),
        };
        let note = self.override_note(&article, note, edit.override_reason.as_deref())?;
        let base = if edit.is_new { None } else { edit.base_revision };
        let outcome = match self.write_article_based_on(&article, who.who(), &note, base) {
            Err(AppError::Store(crate::store::StoreError::Conflict)) => return Err(EditError::Conflict),
            other => other?,
        };
        Ok((slug, outcome))
    }

    /// Appends the override to `note`, or refuses when readers would see error-level findings without one.
    pub(super) fn override_note(
        &self,
        article: &Article,
        note: String,
        reason: Option<&str>,
    ) -> Result<String, EditError> {
        if !matches!(article.status, Status::Published | Status::Scheduled) {
            return Ok(note);
        }
        let errors = self.check_article(article).errors;
        if errors == 0 {
            return Ok(note);
        }
        match reason.map(str::trim) {
            Some(r) if !r.is_empty() => {
                let s = if errors == 1 { "" } else { "s" };
                Ok(format!("{note}; overrode {errors} error-level finding{s}: {r}"))
            }
            Some(_) => Err(invalid("override_reason", "Say why this can be published despite the errors.")),
            None => {
                let (s, them) = if errors == 1 { ("", "it") } else { ("s", "them") };
                Err(invalid(
                    "override",
                    &format!(
                        "This article has {errors} error-level finding{s}. Fix {them}, or tick \"Publish despite \
                         the errors\" and give a reason."
                    ),
                ))
            }
        }
    }

    /// Renders, saves (one revision, one change-log entry), keeps the findings, and refreshes this
    /// server's caches and search at once.
    pub(super) fn write_article(
        &self,
        article: &Article,
        who: &str,
        note: &str,
    ) -> Result<SaveOutcome, AppError> {
        self.write_article_based_on(article, who, note, None)
    }

    /// [`App::write_article`] refused with a conflict unless `base` (when given) is still the
    /// newest revision when the save commits.
    fn write_article_based_on(
        &self,
        article: &Article,
        who: &str,
        note: &str,
        base: Option<i64>,
    ) -> Result<SaveOutcome, AppError> {
        let now = self.now();
        let html = markdown::to_html(&article.body);
        let rv = markdown::RENDERER_VERSION;
        let outcome = self.store.save_article_based_on(article, &html, rv, who, note, now, base)?;
        let (findings, _) = self.raw_findings(article);
        let json =
            serde_json::to_string(&findings).map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
        self.store.set_findings(&article.slug, &json)?;
        self.after_write();
        Ok(outcome)
    }

    /// Moves an article to the trash (off the site, restorable).
    pub fn trash(&self, slug: &Slug, who: &SignedIn) -> Result<(), AppError> {
        let mut a = self.store.article(slug)?.ok_or(AppError::NotFound)?.article;
        if a.status == Status::Trashed {
            return Ok(());
        }
        a.status = Status::Trashed;
        self.write_article(&a, who.who(), "moved to the trash")?;
        Ok(())
    }

    /// Restores an article from the trash as a draft (as WordPress does: nothing returns to the site
    /// without an editor publishing it again).
    pub fn restore_from_trash(&self, slug: &Slug, who: &SignedIn) -> Result<(), AppError> {
        let mut a = self.store.article(slug)?.ok_or(AppError::NotFound)?.article;
        if a.status != Status::Trashed {
            return Ok(());
        }
        a.status = Status::Draft;
        self.write_article(&a, who.who(), "restored from the trash as a draft")?;
        Ok(())
    }

    /// Deletes for good the trashed articles the admin was shown (`shown`; one trashed after the
    /// page was loaded, or restored since, is kept). Admins only. Returns the slugs deleted.
    pub fn empty_trash(&self, shown: &[Slug], who: &SignedIn) -> Result<Vec<String>, AppError> {
        if !who.is_admin() {
            return Err(AppError::Forbidden("Only an admin can empty the trash.".into()));
        }
        let gone = self.store.delete_trashed(shown, self.now())?;
        tracing::info!(user = %who.name, articles = gone.len(), "emptied the trash");
        self.after_write();
        Ok(gone)
    }

    /// Publishes every scheduled article whose time has come; returns their slugs. The scheduler task
    /// calls this every few seconds; tests call it with a fixed clock.
    pub fn publish_due(&self, now: OffsetDateTime) -> Result<Vec<Slug>, AppError> {
        let mut done = Vec::new();
        for stored in self.store.due_scheduled(now)? {
            let mut a = stored.article;
            a.status = Status::Published;
            let html = markdown::to_html(&a.body);
            let outcome = self.store.save_article(
                &a,
                &html,
                markdown::RENDERER_VERSION,
                "scheduler",
                "published at its scheduled time",
                now,
            )?;
            // Another instance's scheduler published it first (the save found it identical).
            if outcome == crate::store::SaveOutcome::Unchanged {
                continue;
            }
            tracing::info!(slug = %a.slug, "published a scheduled article");
            done.push(a.slug);
        }
        if !done.is_empty() {
            self.after_write();
        }
        Ok(done)
    }

    /// After a write: bring this server's page cache and search up to date now rather than at the next poll.
    pub(super) fn after_write(&self) {
        if let Err(e) = self.refresh_if_changed() {
            tracing::warn!(error = %e, "could not refresh after a write; the poller will retry");
        }
    }

    fn checker(&self) -> crate::content::checks::Checker {
        crate::content::checks::Checker::new(self.config.checks.clone())
    }
}

/// True when `a` and `b` differ at most in status and dates.
fn same_content(a: &Article, b: &Article) -> bool {
    let strip = |x: &Article| Article {
        status: Status::Draft,
        published: None,
        created: None,
        updated: None,
        ..x.clone()
    };
    strip(a) == strip(b)
}

/// Which editor field a front-matter finding belongs to.
fn field_of(f: &Finding) -> &'static str {
    f.rule.field().label()
}

fn invalid(field: &str, message: &str) -> EditError {
    EditError::Invalid(FieldErrors::from([(field.to_owned(), message.to_owned())]))
}

/// RFC 3339 in UTC.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Site {
    /// An article in any status, for the editors' side.
    pub fn article(&self, slug: &Slug) -> Result<StoredArticle, AppError> {
        self.store.article(slug)?.ok_or(AppError::NotFound)
    }

    /// An article with its newest revision's id (the editor's base, to notice another save).
    pub fn article_for_editing(&self, slug: &Slug) -> Result<(StoredArticle, Option<i64>), AppError> {
        Ok((self.article(slug)?, self.store.latest_revision_id(slug)?))
    }

    /// The newest revision's id of an article.
    pub fn latest_revision(&self, slug: &Slug) -> Result<Option<i64>, AppError> {
        Ok(self.store.latest_revision_id(slug)?)
    }

    /// The reader message an article answers, if it was made from one.
    pub fn answered_message(&self, slug: &Slug) -> Result<Option<i64>, AppError> {
        Ok(self.store.article_message(slug)?)
    }

    /// One page of the editors' article list.
    pub fn admin_articles(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
    ) -> Result<AdminListing, AppError> {
        Ok(self.store.admin_articles(filter, offset, limit)?)
    }

    /// Every article, whatever its status, in slug order (export, `check --all`).
    pub fn all_articles(&self) -> Result<Vec<StoredArticle>, AppError> {
        Ok(self.store.all_articles()?)
    }
}
