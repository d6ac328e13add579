//! `Tag`: a normalised hashtag such as `posttraumaticgrowth`.

use std::fmt;

/// Longest tag we accept, in characters.
pub const MAX_CHARS: usize = 64;

/// A tag in its one canonical spelling: Unicode letters and digits only, lower-case, NFKC.
///
/// "#PostTraumaticGrowth", "post-traumatic growth" and "posttraumaticgrowth" are one tag,
/// so tag pages never split an article set by spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Tag(String);

/// Why a string is not a tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// No letter or digit left after normalising.
    #[error("the tag {0:?} has no letters or digits")]
    Empty(String),
    /// Punctuation other than `#`, `-`, `_` and spaces.
    #[error("the tag {0:?} holds {1:?}; tags may only hold letters and digits")]
    Invalid(String, char),
    /// Over `MAX_CHARS` characters.
    #[error("the tag {0:?} is longer than {MAX_CHARS} characters")]
    TooLong(String),
}

impl Tag {
    /// Normalises one tag: strips `#`, spaces, hyphens and underscores, lower-cases.
    /// Other punctuation is an error rather than silently dropped.
    pub fn parse(raw: &str) -> Result<Tag, TagError> {
        let composed = super::fold::compose(raw.trim());
        let mut out = String::with_capacity(composed.len());
        for c in composed.chars() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else if c == '#' || c == '-' || c == '_' || c.is_whitespace() {
                continue;
            } else {
                return Err(TagError::Invalid(raw.to_owned(), c));
            }
        }
        if out.is_empty() {
            return Err(TagError::Empty(raw.to_owned()));
        }
        if out.chars().count() > MAX_CHARS {
            return Err(TagError::TooLong(raw.to_owned()));
        }
        Ok(Tag(out))
    }

    /// Splits a list written as hashtags or separated by commas or spaces
    /// ("#healing#connection #bonding, attachment") into tags, dropping repeats but keeping order.
    pub fn parse_list(raw: &str) -> Result<Vec<Tag>, TagError> {
        let pieces: Vec<&str> =
            if raw.contains('#') { raw.split('#').collect() } else { raw.split(',').collect() };
        let mut tags = Vec::new();
        for piece in pieces {
            for word in piece.split([',', ' ', '\t', '\n']) {
                if word.trim().is_empty() {
                    continue;
                }
                push_unique(&mut tags, Tag::parse(word)?);
            }
        }
        Ok(tags)
    }

    /// The tag as text, without `#`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Appends `tag` unless an equal tag is already there (tags are an ordered set).
pub fn push_unique(tags: &mut Vec<Tag>, tag: Tag) {
    if !tags.contains(&tag) {
        tags.push(tag);
    }
}

impl AsRef<str> for Tag {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_tag_are_equal() {
        let a = Tag::parse("#PostTraumaticGrowth").unwrap();
        let b = Tag::parse("post-traumatic growth").unwrap();
        let c = Tag::parse("posttraumaticgrowth").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.as_str(), "posttraumaticgrowth");
    }

    #[test]
    fn unicode_tags_are_lower_cased_and_composed() {
        let decomposed = "Sante\u{301}";
        assert_eq!(Tag::parse(decomposed).unwrap().as_str(), "santé");
        assert_eq!(Tag::parse("ÜBERGANG").unwrap().as_str(), "übergang");
    }

    #[test]
    fn run_together_hashtags_split_into_tags() {
        let tags = Tag::parse_list("#healing#connection#bonding").unwrap();
        let names: Vec<_> = tags.iter().map(Tag::as_str).collect();
        assert_eq!(names, ["healing", "connection", "bonding"]);
    }

    #[test]
    fn comma_lists_split_and_repeats_are_dropped() {
        let tags = Tag::parse_list("trauma, Healing, healing").unwrap();
        let names: Vec<_> = tags.iter().map(Tag::as_str).collect();
        assert_eq!(names, ["trauma", "healing"]);
    }

    #[test]
    fn punctuation_and_empty_tags_are_rejected() {
        assert!(Tag::parse("#").is_err());
        assert!(Tag::parse("<script>").is_err());
        assert!(Tag::parse(&"a".repeat(65)).is_err());
    }
}
