//! Word splitting shared by the index, the query and the snippet highlighter.
//!
//! One splitter ([`scan_compound`]) decides what a word is everywhere, so the three can never
//! disagree. Hyphenated compounds ("post-traumatic") are indexed as their parts *and* as the
//! joined form ("posttraumatic"), which makes every spelling of such a word meet in the index
//! without any per-word special case.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Longer "words" are junk (base64, URLs without separators) and are not indexed.
pub(crate) const MAX_WORD_BYTES: usize = 64;
/// A chain such as "mother-in-law-to-be" is joined only up to this many parts.
pub(crate) const MAX_PARTS: usize = 6;

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

/// Finds the next word or hyphenated compound at or after `*cursor`.
///
/// Fills `parts` with the byte ranges of its parts (one for a plain word) and moves the cursor
/// past it; returns false at the end of the text. A word is a run of alphanumeric characters;
/// an apostrophe between two of them stays inside the word ("don't") and is dropped by
/// [`push_lower`]; a hyphen between two of them links parts of a compound.
pub(crate) fn scan_compound(text: &str, cursor: &mut usize, parts: &mut Vec<(usize, usize)>) -> bool {
    parts.clear();
    let bytes = text.as_bytes();
    let mut i = *cursor;
    // Skip separators. ASCII is classified by byte; only other text is decoded.
    loop {
        let Some(&b) = bytes.get(i) else {
            *cursor = text.len();
            return false;
        };
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                break;
            }
            i += 1;
        } else {
            let c = char_at(text, i);
            if c.is_alphanumeric() {
                break;
            }
            i += c.len_utf8();
        }
    }
    let mut start = i;
    loop {
        // Consume one part.
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if b.is_ascii_alphanumeric() || (b == b'\'' && next_is_alnum(text, i + 1)) {
                    i += 1;
                    continue;
                }
                break;
            }
            let c = char_at(text, i);
            if c.is_alphanumeric() || (is_apostrophe(c) && next_is_alnum(text, i + c.len_utf8())) {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        parts.push((start, i));
        let hyphen = match bytes.get(i) {
            Some(b'-') => Some(1),
            Some(&b) if b >= 0x80 && is_hyphen(char_at(text, i)) => Some(3),
            _ => None,
        };
        match hyphen {
            Some(len) if parts.len() < MAX_PARTS && next_is_alnum(text, i + len) => {
                i += len;
                start = i;
            }
            _ => break,
        }
    }
    *cursor = i;
    true
}

/// The character starting at byte `i` (a char boundary), or NUL past the end.
fn char_at(text: &str, i: usize) -> char {
    text.get(i..).and_then(|s| s.chars().next()).unwrap_or('\0')
}

fn next_is_alnum(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => char_at(text, at).is_alphanumeric(),
        None => false,
    }
}

/// Appends the lower-cased `word` to `out`, dropping apostrophes ("Don't" → "dont").
pub(crate) fn push_lower(out: &mut String, word: &str) {
    for c in word.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The tantivy tokenizer built on [`scan_compound`]: parts at consecutive positions, then the
/// joined form at the position of the last part (so "posttraumatic growth" as a phrase also
/// matches "post-traumatic growth").
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer;

/// Token stream of [`WordTokenizer`]; reuses one token for plain words (no allocation per word).
pub(crate) struct WordTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    next_position: usize,
    token: Token,
    pending: Vec<Token>,
    pending_next: usize,
    parts: Vec<(usize, usize)>,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            cursor: 0,
            next_position: 0,
            token: Token::default(),
            pending: Vec::new(),
            pending_next: 0,
            parts: Vec::with_capacity(MAX_PARTS),
        }
    }
}

impl WordTokenStream<'_> {
    fn fill_compound(&mut self) {
        self.pending.clear();
        self.pending_next = 0;
        let mut joined = String::new();
        for &(from, to) in &self.parts {
            let mut text = String::with_capacity(to - from);
            push_lower(&mut text, &self.text[from..to]);
            joined.push_str(&text);
            let position = self.next_position;
            self.next_position += 1;
            if text.len() <= MAX_WORD_BYTES {
                self.pending.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text,
                    position_length: 1,
                });
            }
        }
        if joined.len() <= MAX_WORD_BYTES {
            let first = self.parts.first().map_or(0, |p| p.0);
            let last = self.parts.last().map_or(0, |p| p.1);
            self.pending.push(Token {
                offset_from: first,
                offset_to: last,
                position: self.next_position.saturating_sub(1),
                text: joined,
                position_length: 1,
            });
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if self.pending_next < self.pending.len() {
                self.token = std::mem::take(&mut self.pending[self.pending_next]);
                self.pending_next += 1;
                return true;
            }
            if !scan_compound(self.text, &mut self.cursor, &mut self.parts) {
                return false;
            }
            if self.parts.len() > 1 {
                self.fill_compound();
                continue;
            }
            let (from, to) = self.parts[0];
            let position = self.next_position;
            self.next_position += 1;
            if to - from > MAX_WORD_BYTES * 2 {
                continue;
            }
            self.token.text.clear();
            push_lower(&mut self.token.text, &self.text[from..to]);
            if self.token.text.len() > MAX_WORD_BYTES {
                continue;
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.position = position;
            self.token.position_length = 1;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compounds(text: &str) -> Vec<Vec<&str>> {
        let (mut cursor, mut parts, mut out) = (0, Vec::new(), Vec::new());
        while scan_compound(text, &mut cursor, &mut parts) {
            out.push(parts.iter().map(|&(f, t)| &text[f..t]).collect());
        }
        out
    }

    #[test]
    fn hyphens_link_parts_and_other_punctuation_separates_words() {
        assert_eq!(
            compounds("post-traumatic growth, self\u{2011}care; a--b -x y- don't"),
            vec![
                vec!["post", "traumatic"],
                vec!["growth"],
                vec!["self", "care"],
                vec!["a"],
                vec!["b"],
                vec!["x"],
                vec!["y"],
                vec!["don't"]
            ]
        );
    }

    #[test]
    fn joined_form_is_emitted_after_the_parts_at_the_last_position() {
        let mut tokenizer = WordTokenizer;
        let mut stream = tokenizer.token_stream("E-Mail me");
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            tokens.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        let expected = [("e", 0, 0, 1), ("mail", 1, 2, 6), ("email", 1, 0, 6), ("me", 2, 7, 9)];
        let expected: Vec<_> = expected.iter().map(|&(t, p, f, e)| (t.to_string(), p, f, e)).collect();
        assert_eq!(tokens, expected);
    }
}
