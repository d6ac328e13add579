//! Old addresses (from an imported WordPress site) that answer `301` to an article.

use super::sql::{Conn, p};
use super::{Store, StoreError, unix};
use crate::domain::{OldPath, Slug};
use time::OffsetDateTime;

impl Store {
    /// Points every address in `old` at `slug`, in one write transaction. An address already kept
    /// for another article is moved to this one (the newer import wins). Returns how many rows changed.
    pub fn save_redirects(
        &self,
        slug: &Slug,
        old: &[OldPath],
        source: &str,
        now: OffsetDateTime,
    ) -> Result<usize, StoreError> {
        if old.is_empty() {
            return Ok(0);
        }
        self.write(|tx| insert(tx, slug, old, source, now))
    }

    /// The article the first of `candidates` that is kept points at.
    pub fn redirect_target(&self, candidates: &[OldPath]) -> Result<Option<Slug>, StoreError> {
        self.read(|c| {
            for cand in candidates {
                if let Some(r) =
                    c.query_opt("SELECT slug FROM redirects WHERE old_path = ?1", p![cand.as_str()])?
                {
                    let s: String = r.get(0)?;
                    return Slug::parse(&s).map(Some).map_err(|e| StoreError::Corrupt(e.to_string()));
                }
            }
            Ok(None)
        })
    }

    /// Every kept address and its article, ordered by address.
    pub fn redirects(&self) -> Result<Vec<(OldPath, Slug)>, StoreError> {
        self.read(|c| {
            c.query("SELECT old_path, slug FROM redirects ORDER BY old_path", p![])?
                .iter()
                .map(|r| {
                    let (p, s): (String, String) = (r.get(0)?, r.get(1)?);
                    let path = OldPath::from_stored(&p)
                        .ok_or_else(|| StoreError::Corrupt(format!("redirect {p:?}")))?;
                    let slug = Slug::parse(&s).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    Ok((path, slug))
                })
                .collect()
        })
    }
}

/// Points every address in `old` at `slug` inside the open write transaction `tx`; returns how many rows
/// changed. An address already kept for another article moves to this one.
pub(super) fn insert(
    tx: &mut dyn Conn,
    slug: &Slug,
    old: &[OldPath],
    source: &str,
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for path in old {
        changed += tx.execute(
            "INSERT INTO redirects (old_path, slug, source, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (old_path) DO UPDATE SET slug = excluded.slug, source = excluded.source
             WHERE redirects.slug <> excluded.slug",
            p![path.as_str(), slug.as_str(), source, unix(now)],
        )?;
    }
    Ok(changed as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods, reason = "a test of its own, on the real clock")]
    fn a_kept_address_finds_its_article_and_a_later_import_moves_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let old = OldPath::from_link("/2019/05/my-post/").unwrap();
        let a = Slug::parse("a").unwrap();
        let b = Slug::parse("b").unwrap();
        let now = OffsetDateTime::now_utc();

        assert_eq!(store.save_redirects(&a, std::slice::from_ref(&old), "x.xml", now).unwrap(), 1);
        assert_eq!(store.save_redirects(&a, std::slice::from_ref(&old), "x.xml", now).unwrap(), 0);
        assert_eq!(store.redirect_target(std::slice::from_ref(&old)).unwrap(), Some(a));
        store.save_redirects(&b, std::slice::from_ref(&old), "y.xml", now).unwrap();

        assert_eq!(store.redirect_target(std::slice::from_ref(&old)).unwrap(), Some(b.clone()));
        assert_eq!(store.redirects().unwrap(), vec![(old, b)]);
        assert_eq!(store.redirect_target(&[OldPath::from_link("/nope").unwrap()]).unwrap(), None);
    }
}
