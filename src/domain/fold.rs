//! Unicode folding shared by slugs and tags.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Decomposes (NFKD) and drops combining marks, so "é" becomes "e" and "ﬁ" becomes "fi".
/// Characters with no ASCII form (e.g. "ß", "ø", CJK) are kept as they are.
pub fn ascii_fold(text: &str) -> String {
    text.nfkd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Canonical composed form (NFKC), so two encodings of one word compare equal.
pub fn compose(text: &str) -> String {
    text.nfkc().collect()
}
