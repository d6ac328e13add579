//! Accounts (admins only): list, add, change role is not offered (remove and add again), reset a
//! password, remove.

use super::session::{AdminForm, Editor};
use super::{AppState, Error, blocking, page, require_admin, see_other};
use crate::app::auth::UserError;
use crate::domain::Role;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `?done=`
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsersQuery {
    done: String,
}

/// The add form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddForm {
    name: String,
    role: String,
    password: String,
}

/// A change to one account.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    action: String,
    password: String,
}

/// `GET /admin/users`
pub async fn list(
    State(app): State<AppState>,
    Editor(who): Editor,
    Query(q): Query<UsersQuery>,
) -> Result<Response, Error> {
    require_admin(&who)?;
    let notice = match q.done.as_str() {
        "added" => Some("Account added."),
        "removed" => Some("Account removed."),
        "password" => Some("Password changed; that account's sessions were ended."),
        _ => None,
    };
    render(&app, &who, &AddForm::default(), &BTreeMap::new(), notice, StatusCode::OK).await
}

async fn render(
    app: &AppState,
    who: &crate::app::auth::SignedIn,
    form: &AddForm,
    errors: &BTreeMap<&str, String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, Error> {
    let a = app.clone();
    let users = blocking(move || a.users()).await??;
    let users: Vec<_> = users
        .iter()
        .map(|u| context! { name => u.name.as_str(), role => u.role.as_str(), created => u.created.date().to_string() })
        .collect();
    let ctx = context! { users, name => &form.name, role => &form.role, errors, notice, min => crate::app::password::MIN_CHARS };
    page(app, Some(who), "admin/users.html", ctx, status)
}

/// `POST /admin/users`: add an account.
pub async fn add(State(app): State<AppState>, f: AdminForm<AddForm>) -> Result<Response, Error> {
    require_admin(&f.who)?;
    let mut errors = BTreeMap::new();
    let Some(role) = Role::parse(&f.form.role) else {
        errors.insert("role", "Choose admin or editor.".to_owned());
        return render(&app, &f.who, &f.form, &errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let a = app.clone();
    let (name, password) = (f.form.name.clone(), f.form.password.clone());
    match blocking(move || a.add_user(&name, role, &password)).await? {
        Ok(_) => Ok(see_other("/admin/users?done=added")),
        Err(UserError::App(e)) => Err(e.into()),
        Err(e) => {
            let field = match e {
                UserError::Password(_) => "password",
                _ => "name",
            };
            errors.insert(field, e.to_string());
            render(&app, &f.who, &f.form, &errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /admin/users/{name}`: `action=remove`, or `action=password` with a new password.
pub async fn change(
    State(app): State<AppState>,
    Path(name): Path<String>,
    f: AdminForm<ChangeForm>,
) -> Result<Response, Error> {
    require_admin(&f.who)?;
    let a = app.clone();
    let action = f.form.action.clone();
    let password = f.form.password.clone();
    let n = name.clone();
    let result = blocking(move || match action.as_str() {
        "remove" => a.remove_user(&n).map(|_| "removed"),
        "password" => a.set_user_password(&n, &password).map(|_| "password"),
        _ => Err(UserError::Password("Unknown action.".into())),
    })
    .await?;
    match result {
        Ok(done) => Ok(see_other(&format!("/admin/users?done={done}"))),
        Err(UserError::App(e)) => Err(e.into()),
        Err(e) => {
            let errors = BTreeMap::from([("account", format!("{name}: {e}"))]);
            render(&app, &f.who, &AddForm::default(), &errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
