//! Editors' accounts: [`Username`] and [`Role`].

use std::fmt;

/// An account name: 2 to 64 characters of lower-case ASCII letters, digits, `.`, `-` and `_`,
/// starting with a letter or digit. Parsing lower-cases, so "Ana" and "ana" are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Username(String);

/// Why a name is not a [`Username`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    /// Fewer than 2 or more than 64 characters.
    #[error("a user name has 2 to 64 characters")]
    Length,
    /// Something other than letters, digits, `.`, `-`, `_`.
    #[error(
        "a user name may hold only letters a-z, digits, '.', '-' and '_', and starts with a letter or digit"
    )]
    Characters,
}

impl Username {
    /// Parses and lower-cases `s` (surrounding white space is ignored).
    pub fn parse(s: &str) -> Result<Username, UsernameError> {
        let s = s.trim().to_ascii_lowercase();
        if !(2..=64).contains(&s.len()) {
            return Err(UsernameError::Length);
        }
        let ok_char = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_');
        let first_ok = s.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !first_ok || !s.bytes().all(ok_char) {
            return Err(UsernameError::Characters);
        }
        Ok(Username(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an account may do. Editors write, publish and answer; admins also manage accounts and empty
/// the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything an editor can, plus accounts and emptying the trash.
    Admin,
    /// Writes, publishes, answers messages.
    Editor,
}

impl Role {
    /// Lower-case name (CLI, store).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            _ => None,
        }
    }

    /// Whether this role manages accounts and empties the trash.
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_cased_and_checked() {
        assert_eq!(Username::parse(" Ana.B ").unwrap().as_str(), "ana.b");
        assert_eq!(Username::parse("a"), Err(UsernameError::Length));
        assert_eq!(Username::parse(&"a".repeat(65)), Err(UsernameError::Length));
        for bad in ["-ana", "ana b", "anä", "ana/..", "<script>"] {
            assert_eq!(Username::parse(bad), Err(UsernameError::Characters), "{bad}");
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Admin, Role::Editor] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Admin.is_admin() && !Role::Editor.is_admin());
    }
}
