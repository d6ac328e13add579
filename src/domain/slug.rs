//! `Slug`: the URL-safe, unique name of an article.

use std::fmt;

/// Longest slug we accept: long enough for any title, short enough for a URL.
pub const MAX_LEN: usize = 200;

/// A URL-safe article name: ASCII lower-case letters, digits and single inner hyphens.
///
/// It can only hold a valid value, so handlers and templates can put it in a URL unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Slug(String);

/// Why a string is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// Nothing to build a slug from.
    #[error("the slug is empty")]
    Empty,
    /// Over `MAX_LEN` characters.
    #[error("the slug is longer than {MAX_LEN} characters")]
    TooLong,
    /// A character outside `a-z`, `0-9` and `-`, or a misplaced hyphen.
    #[error("the slug {0:?} may only hold a-z, 0-9 and single hyphens between them")]
    Invalid(String),
}

impl Slug {
    /// Accepts a slug exactly as written (no silent repair: a typo in front matter should be reported).
    pub fn parse(s: &str) -> Result<Slug, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if s.len() > MAX_LEN {
            return Err(SlugError::TooLong);
        }
        let ok_chars = s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok_chars || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(SlugError::Invalid(s.to_owned()));
        }
        Ok(Slug(s.to_owned()))
    }

    /// Derives a slug from free text such as a title or a file name ("Consent: What It Is" → "consent-what-it-is").
    pub fn from_text(text: &str) -> Result<Slug, SlugError> {
        let folded = super::fold::ascii_fold(text);
        let mut out = String::with_capacity(folded.len());
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        if out.len() > MAX_LEN {
            out.truncate(MAX_LEN);
            while out.ends_with('-') {
                out.pop();
            }
        }
        Slug::parse(&out)
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_slug_is_accepted() {
        assert_eq!(Slug::parse("what-is-consent").unwrap().as_str(), "what-is-consent");
    }

    #[test]
    fn upper_case_spaces_and_stray_hyphens_are_rejected() {
        for bad in ["What", "a b", "-a", "a-", "a--b", "", "a/b", "é"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_title_becomes_a_slug() {
        let s = Slug::from_text("Consent: What It Is — and Isn't (2026)").unwrap();
        assert_eq!(s.as_str(), "consent-what-it-is-and-isn-t-2026");
    }

    #[test]
    fn accents_are_folded_in_derived_slugs() {
        assert_eq!(Slug::from_text("Résumé après").unwrap().as_str(), "resume-apres");
    }

    #[test]
    fn text_without_letters_has_no_slug() {
        assert_eq!(Slug::from_text("!!!"), Err(SlugError::Empty));
    }
}
