//! Articles: the list with filters, the editor (new and existing), preview, trash.

use super::article_form::{ArticleFields, human_time};
use super::session::{AdminForm, Editor};
use super::{AppState, Error, blocking, page, private, see_other};
use crate::app::auth::SignedIn;
use crate::app::editor::{Checked, Edit, EditError, FieldErrors};
use crate::domain::{Article, Slug, Status, Tag};
use crate::store::{ArticleFilter, StoredArticle};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Rows per page of the list.
const PER_PAGE: u64 = 50;

type Pairs = Vec<(String, String)>;

/// `?status=&tag=&q=&page=&done=` on lists, all optional text.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    tag: String,
    q: String,
    page: String,
    done: String,
}

#[derive(Serialize)]
struct Row {
    slug: String,
    title: String,
    status: &'static str,
    published: Option<String>,
    updated: String,
    tags: Vec<String>,
}

/// `GET /admin/articles`
pub async fn list(
    State(app): State<AppState>,
    Editor(who): Editor,
    Query(q): Query<ListQuery>,
) -> Result<Response, Error> {
    let status = Status::parse(q.status.trim()).filter(|s| *s != Status::Trashed);
    let (tag, tag_error) = match q.tag.trim() {
        "" => (None, None),
        t => match Tag::parse(t) {
            Ok(t) => (Some(t), None),
            Err(e) => (None, Some(e.to_string())),
        },
    };
    let filter = ArticleFilter { status, tag, text: Some(q.q.clone()).filter(|t| !t.trim().is_empty()) };
    render_list(&app, &who, filter, &q, "admin/articles.html", tag_error).await
}

/// `GET /admin/trash`
pub async fn trash_list(
    State(app): State<AppState>,
    Editor(who): Editor,
    Query(q): Query<ListQuery>,
) -> Result<Response, Error> {
    let filter = ArticleFilter { status: Some(Status::Trashed), ..ArticleFilter::default() };
    render_list(&app, &who, filter, &q, "admin/trash.html", None).await
}

async fn render_list(
    app: &AppState,
    who: &SignedIn,
    filter: ArticleFilter,
    q: &ListQuery,
    template: &str,
    tag_error: Option<String>,
) -> Result<Response, Error> {
    let page_no: u64 = q.page.trim().parse().ok().filter(|n| (1..=100_000).contains(n)).unwrap_or(1);
    let a = app.clone();
    let listing = blocking(move || a.admin_articles(&filter, (page_no - 1) * PER_PAGE, PER_PAGE)).await??;
    let rows: Vec<Row> = listing
        .rows
        .iter()
        .map(|r| Row {
            slug: r.article.slug.to_string(),
            title: r.article.title.clone(),
            status: r.article.status.as_str(),
            published: r.article.published.map(human_time),
            updated: human_time(r.updated),
            tags: r.article.tags.iter().map(Tag::to_string).collect(),
        })
        .collect();
    let pages = listing.total.div_ceil(PER_PAGE).max(1);
    let link = |p: u64| {
        let query = serde_urlencoded::to_string([("status", &q.status), ("tag", &q.tag), ("q", &q.q)])
            .unwrap_or_default();
        format!("?{query}&page={p}")
    };
    let pager = context! {
        number => page_no, count => pages,
        prev => (page_no > 1).then(|| link(page_no - 1)),
        next => (page_no < pages).then(|| link(page_no + 1)),
    };
    let statuses = ["draft", "scheduled", "published"];
    let notice = notice(&q.done);
    page(
        app,
        Some(who),
        template,
        context! { rows, total => listing.total, pager, q, statuses, tag_error, notice },
        StatusCode::OK,
    )
}

/// `GET /admin/articles/new`
pub async fn new(State(app): State<AppState>, Editor(who): Editor) -> Result<Response, Error> {
    editor(&app, &who, &ArticleFields::blank(), None, None, &FieldErrors::new(), None, StatusCode::OK).await
}

/// `POST /admin/articles/new`
pub async fn create(State(app): State<AppState>, f: AdminForm<Pairs>) -> Result<Response, Error> {
    save_fields(app, f.who, ArticleFields::from_pairs(&f.form), None).await
}

/// `GET /admin/articles/{slug}`
pub async fn edit(
    State(app): State<AppState>,
    Editor(who): Editor,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, Error> {
    let slug = Slug::parse(&slug).map_err(|_| Error::NotFound)?;
    let a = app.clone();
    let (stored, base) = blocking(move || a.article_for_editing(&slug)).await??;
    let fields = ArticleFields::from_article(&stored.article, base);
    let check = Some(stored.article.clone());
    editor(&app, &who, &fields, Some(&stored), check, &FieldErrors::new(), notice(&q.done), StatusCode::OK)
        .await
}

/// `POST /admin/articles/{slug}`
pub async fn save(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    f: AdminForm<Pairs>,
) -> Result<Response, Error> {
    let slug = Slug::parse(&slug).map_err(|_| Error::NotFound)?;
    save_fields(app, f.who, ArticleFields::from_pairs(&f.form), Some(slug)).await
}

/// Validates, saves and redirects to the editor; or shows the editor again with the text kept.
async fn save_fields(
    app: AppState,
    who: SignedIn,
    fields: ArticleFields,
    slug: Option<Slug>,
) -> Result<Response, Error> {
    let is_new = slug.is_none();
    let a = app.clone();
    let s = slug.clone();
    let current = match &slug {
        Some(s) => {
            let s = s.clone();
            Some(blocking(move || a.article(&s)).await??)
        }
        None => None,
    };
    let parsed = fields.to_article(s.as_ref()).and_then(|article| Ok((article, fields.action()?)));
    let (article, action) = match parsed {
        Ok(ok) => ok,
        Err(errors) => {
            let check = current.as_ref().map(|c| c.article.clone());
            return editor(
                &app,
                &who,
                &fields,
                current.as_ref(),
                check,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let edit = Edit {
        article: article.clone(),
        is_new,
        action,
        override_reason: fields.override_reason(),
        base_revision: fields.base_revision(),
    };
    let a = app.clone();
    let w = who.clone();
    match blocking(move || a.save_edit(edit, &w)).await? {
        Ok((slug, _)) => {
            let done = match fields.action.as_str() {
                "publish" | "schedule" | "unpublish" => fields.action.as_str(),
                _ if is_new => "created",
                _ => "saved",
            };
            Ok(see_other(&format!("/admin/articles/{slug}?done={done}")))
        }
        Err(EditError::Invalid(errors)) => {
            editor(
                &app,
                &who,
                &fields,
                current.as_ref(),
                Some(article),
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(EditError::Conflict) => {
            let errors = FieldErrors::from([(
                "form".to_owned(),
                "Someone else saved this article after you opened it, so your changes were not saved. Your text \
                 is kept below: open the article in a new tab to see their version, then combine and save again."
                    .to_owned(),
            )]);
            let mut fields = fields;
            if let Some(s) = &slug {
                let a = app.clone();
                let s = s.clone();
                let latest = blocking(move || a.latest_revision(&s)).await??;
                fields.base_revision = latest.map(|r| r.to_string()).unwrap_or_default();
            }
            editor(&app, &who, &fields, current.as_ref(), Some(article), &errors, None, StatusCode::CONFLICT)
                .await
        }
        Err(EditError::App(e)) => Err(e.into()),
    }
}

/// Renders the editor with the findings of `check` (the text shown) beside it.
#[allow(clippy::too_many_arguments)]
async fn editor(
    app: &AppState,
    who: &SignedIn,
    fields: &ArticleFields,
    current: Option<&StoredArticle>,
    check: Option<Article>,
    errors: &FieldErrors,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, Error> {
    let is_new = current.is_none();
    let a = current.map(|c| &c.article);
    let (ap, slug) = (app.clone(), a.map(|a| a.slug.clone()));
    let (checked, answers): (Checked, Option<i64>) = blocking(move || -> Result<_, crate::app::AppError> {
        let checked = check.map(|c| ap.check_article(&c)).unwrap_or_default();
        let answers = match slug {
            Some(s) => ap.answered_message(&s)?,
            None => None,
        };
        Ok((checked, answers))
    })
    .await??;
    let ctx = context! {
        f => fields,
        is_new,
        errors,
        checked,
        notice,
        answers,
        status_name => a.map(|a| a.status.as_str()),
        published => a.and_then(|a| a.published).map(human_time),
        public_url => a.filter(|a| a.is_public(app.now())).map(|a| format!("/articles/{}", a.slug)),
        action_url => a.map_or("/admin/articles/new".to_owned(), |a| format!("/admin/articles/{}", a.slug)),
    };
    page(app, Some(who), "admin/editor.html", ctx, status)
}

/// `POST /admin/preview`: the reader page for the editor's current text, exactly as readers will see it.
pub async fn preview(State(app): State<AppState>, f: AdminForm<Pairs>) -> Result<Response, Error> {
    let fields = ArticleFields::from_pairs(&f.form);
    let fixed = Slug::parse(fields.slug.trim()).ok();
    let mut article: Article = match fields.to_article(fixed.as_ref()).or_else(|_| fields.to_article(None)) {
        Ok(a) => a,
        Err(errors) => {
            return page(
                &app,
                Some(&f.who),
                "admin/preview_error.html",
                context! { errors },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    if let Ok(crate::app::editor::Action::Schedule(t)) = fields.action() {
        article.published = Some(t);
    }
    let a = app.clone();
    let html = blocking(move || a.preview(&article)).await??;
    Ok(private(Html(html).into_response()))
}

/// `POST /admin/articles/{slug}/trash`
pub async fn trash(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    f: AdminForm<Pairs>,
) -> Result<Response, Error> {
    let slug = Slug::parse(&slug).map_err(|_| Error::NotFound)?;
    let a = app.clone();
    blocking(move || a.trash(&slug, &f.who)).await??;
    Ok(see_other("/admin/trash?done=trashed"))
}

/// The slug field of trash forms.
#[derive(Debug, Deserialize)]
pub struct SlugForm {
    slug: String,
}

/// `POST /admin/trash/restore`
pub async fn untrash(State(app): State<AppState>, f: AdminForm<SlugForm>) -> Result<Response, Error> {
    let slug = Slug::parse(&f.form.slug).map_err(|_| Error::NotFound)?;
    let a = app.clone();
    let s = slug.clone();
    blocking(move || a.restore_from_trash(&s, &f.who)).await??;
    Ok(see_other(&format!("/admin/articles/{slug}?done=untrashed")))
}

/// `POST /admin/trash/empty` (admins only)
pub async fn empty_trash(State(app): State<AppState>, f: AdminForm<Pairs>) -> Result<Response, Error> {
    let shown: Vec<Slug> =
        f.form.iter().filter(|(k, _)| k == "slug").filter_map(|(_, v)| Slug::parse(v).ok()).collect();
    let a = app.clone();
    blocking(move || a.empty_trash(&shown, &f.who)).await??;
    Ok(see_other("/admin/trash?done=emptied"))
}

/// The sentence shown after a redirect.
pub fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "Draft created.",
        "saved" => "Saved.",
        "publish" => "Published: it is on the site now.",
        "schedule" => "Scheduled: it will be published at the time shown.",
        "unpublish" => "Unpublished: it is a draft again and off the site.",
        "restored" => "Revision restored as a new revision.",
        "trashed" => "Moved to the trash. It can be restored from here.",
        "untrashed" => "Restored from the trash as a draft.",
        "emptied" => "The trash has been emptied.",
        "answer" => "Draft created from the reader's question.",
        _ => return None,
    })
}
