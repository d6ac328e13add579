//! Editors' accounts. Passwords arrive already hashed (argon2id, in `app::auth`); the store never sees one.

use super::sql::{Row, p};
use super::{Store, StoreError, unix};
use crate::domain::{Role, Username};
use time::OffsetDateTime;

/// An account as stored.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// Row id.
    pub id: i64,
    /// The name.
    pub name: Username,
    /// What it may do.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    /// When it was created.
    pub created: OffsetDateTime,
}

impl Store {
    /// Creates an account; false when the name is taken.
    pub fn create_user(
        &self,
        name: &Username,
        role: Role,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let n = self.write(|c| {
            c.execute(
                "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
                 ON CONFLICT (name) DO NOTHING",
                p![name.as_str(), role.as_str(), password_hash, unix(now)],
            )
        })?;
        Ok(n == 1)
    }

    /// One account by name.
    pub fn user(&self, name: &Username) -> Result<Option<StoredUser>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT id, name, role, password_hash, created_at FROM users WHERE name = ?1",
                p![name.as_str()],
            )?
            .as_ref()
            .map(user_row)
            .transpose()
        })
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        self.read(|c| {
            c.query("SELECT id, name, role, password_hash, created_at FROM users ORDER BY name", p![])?
                .iter()
                .map(user_row)
                .collect()
        })
    }

    /// Replaces an account's password hash and ends all its sessions; false when there is no such account.
    pub fn set_password(
        &self,
        name: &Username,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE name = ?1",
                p![name.as_str(), password_hash, unix(now)],
            )?;
            tx.execute(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)",
                p![name.as_str()],
            )?;
            Ok(n == 1)
        })
    }

    /// Removes an account (its sessions go with it). Refuses to remove the last admin, so the site can
    /// always be managed, even when two editors remove the last two admins at once from two instances
    /// (the write transaction runs alone). Returns false when there is no such account.
    pub fn remove_user(&self, name: &Username) -> Result<Result<bool, LastAdmin>, StoreError> {
        self.write(|tx| {
            let Some(row) = tx.query_opt("SELECT role FROM users WHERE name = ?1", p![name.as_str()])? else {
                return Ok(Ok(false));
            };
            if row.get::<String>(0)? == Role::Admin.as_str() {
                let admins: i64 =
                    tx.query_one("SELECT count(*) FROM users WHERE role = 'admin'", p![])?.get(0)?;
                if admins <= 1 {
                    return Ok(Err(LastAdmin));
                }
            }
            tx.execute("DELETE FROM users WHERE name = ?1", p![name.as_str()])?;
            Ok(Ok(true))
        })
    }
}

/// Removing this account would leave the site with no admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastAdmin;

fn user_row(r: &Row) -> Result<StoredUser, StoreError> {
    let name: String = r.get(1)?;
    let role: String = r.get(2)?;
    Ok(StoredUser {
        id: r.get(0)?,
        name: Username::parse(&name).map_err(|e| StoreError::Corrupt(format!("user name {name:?}: {e}")))?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        password_hash: r.get(3)?,
        created: OffsetDateTime::from_unix_timestamp(r.get(4)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}
