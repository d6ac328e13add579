//! Plain-text helpers for the prose rules: word tokens, sentence boundaries,
//! and quotation spans.
//!
//! Nothing here knows about Markdown; it works on the prose text of one block
//! and byte offsets into it, so it can be tested on plain strings.

use std::ops::Range;

/// Stands in for inline code, maths and footnote marks in prose text, so they
/// separate words without contributing any (code must not produce findings).
pub(super) const PLACEHOLDER: char = '\u{FFFC}';

/// One word of prose, lower-cased, with its byte range in the block text.
/// Contractions become two tokens over the same range ("don't" -> do, not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// Byte offset where the word starts.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// The normalised word.
    pub word: String,
}

/// Characters that join letters into one word: "don't", "meta-analysis".
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '‑')
}

/// Splits prose into normalised words.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
            } else if is_joiner(c) && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric()) {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |p| p.0);
        let word: String = text[start..end]
            .chars()
            .map(|c| match c {
                '’' => '\'',
                '‐' | '‑' => '-',
                other => other,
            })
            .collect::<String>()
            .to_lowercase();
        for part in expand_contraction(&word) {
            tokens.push(Token { start, end, word: part });
        }
        i = j;
    }
    tokens
}

/// Expands the contractions that matter for matching; possessive "'s" is
/// dropped so "Bonanno's" is "bonanno".
fn expand_contraction(word: &str) -> Vec<String> {
    if let Some(base) = word.strip_suffix("n't") {
        let base = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            other => other,
        };
        return vec![base.to_string(), "not".to_string()];
    }
    if let Some((base, suffix)) = word.rsplit_once('\'') {
        let expanded = match suffix {
            "s" if matches!(
                base,
                "it" | "that" | "there" | "what" | "who" | "here" | "where" | "he" | "she"
            ) =>
            {
                Some("is")
            }
            "s" => None,
            "re" => Some("are"),
            "ve" => Some("have"),
            "ll" => Some("will"),
            "d" => Some("would"),
            "m" => Some("am"),
            _ => return vec![word.to_string()],
        };
        let mut out = vec![base.to_string()];
        out.extend(expanded.map(str::to_string));
        return out;
    }
    vec![word.to_string()]
}

/// Characters that may follow a sentence's final punctuation and still
/// belong to it: closing quotes and brackets, emphasis marks, placeholders.
fn is_closer(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')' | ']' | '*' | '_' | PLACEHOLDER)
}

/// Splits prose into sentence ranges (trimmed). Periods inside brackets,
/// after listed abbreviations ("et al.", "e.g.", "Dr."), after initials, or
/// followed by a lower-case word do not end a sentence.
pub(super) fn sentences(text: &str, abbreviations: &[String]) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '.' | '!' | '?' | '…' if depth == 0 => {
                let mut j = i + 1;
                while j < chars.len() && is_closer(chars[j].1) {
                    j += 1;
                }
                let end = chars.get(j).map_or(text.len(), |p| p.0);
                let spaced = chars.get(j).is_none_or(|p| p.1.is_whitespace());
                if spaced && ends_sentence(&chars, i, j, abbreviations) {
                    push_trimmed(&mut out, text, start..end);
                    start = end;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    push_trimmed(&mut out, text, start..text.len());
    out
}

/// Whether the punctuation at `chars[i]` (closers up to `j`) ends a sentence.
fn ends_sentence(chars: &[(usize, char)], i: usize, j: usize, abbreviations: &[String]) -> bool {
    let next = chars[j..].iter().map(|p| p.1).find(|c| !c.is_whitespace());
    if next.is_some_and(char::is_lowercase) {
        return false;
    }
    if chars[i].1 != '.' {
        return true;
    }
    // The text up to and including the period, lower-cased, last 16 chars.
    let tail_start = i.saturating_sub(15);
    let tail: String = chars[tail_start..=i].iter().map(|p| p.1).collect::<String>().to_lowercase();
    let at_text_start = tail_start == 0;
    for abbr in abbreviations {
        if let Some(before) = tail.strip_suffix(abbr.as_str()) {
            let boundary = before.chars().last().map_or(at_text_start, |c| !c.is_alphanumeric());
            if boundary {
                return false;
            }
        }
    }
    // A single capital before the period is an initial: "R. G. Tedeschi".
    let word_len = chars[..i].iter().rev().take_while(|p| p.1.is_alphabetic()).count();
    let initial = word_len == 1 && chars[i - 1].1.is_uppercase();
    !initial
}

/// Pushes `range` with surrounding whitespace removed, unless it is empty.
fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, range: Range<usize>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// Byte ranges of the text inside quotation marks (“…”, "…", ‘…’), so quoted
/// speech is not read as the article's own claim or advice.
pub(super) fn quoted_ranges(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut double: Option<usize> = None;
    let mut single: Option<usize> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        match c {
            '“' => double = double.or(Some(i)),
            '”' => {
                if let Some(s) = double.take() {
                    out.push(s..i);
                }
            }
            '"' => match double.take() {
                Some(s) => out.push(s..i),
                None => double = Some(i),
            },
            '‘' => single = single.or(Some(i)),
            '’' => {
                let letter = |p: Option<&(usize, char)>| p.is_some_and(|p| p.1.is_alphabetic());
                let apostrophe = k > 0 && letter(chars.get(k - 1)) && letter(chars.get(k + 1));
                if !apostrophe && let Some(s) = single.take() {
                    out.push(s..i);
                }
            }
            _ => {}
        }
    }
    out
}

/// A short one-line excerpt of `text`: whitespace collapsed, placeholders
/// shown as "…", at most `max` characters.
pub(super) fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ").replace(PLACEHOLDER, "…");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abbrs() -> Vec<String> {
        ["et al.", "e.g.", "dr.", "p."].iter().map(|s| s.to_string()).collect()
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text, &abbrs()).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn contractions_expand_into_two_words() {
        let words: Vec<String> =
            tokenize("It's fine; you don’t need to.").into_iter().map(|t| t.word).collect();
        assert_eq!(words, ["it", "is", "fine", "you", "do", "not", "need", "to"]);
    }

    #[test]
    fn hyphenated_words_stay_one_token() {
        let words: Vec<String> =
            tokenize("A meta-analysis of self-harm").into_iter().map(|t| t.word).collect();
        assert_eq!(words, ["a", "meta-analysis", "of", "self-harm"]);
    }

    #[test]
    fn sentences_do_not_break_after_et_al_or_e_g_or_dr() {
        let text = "Bonanno et al. Found this. See e.g. Smith. Dr. Jones agreed. Next one!";
        assert_eq!(
            split(text),
            ["Bonanno et al. Found this.", "See e.g. Smith.", "Dr. Jones agreed.", "Next one!"]
        );
    }

    #[test]
    fn sentences_do_not_break_inside_brackets_or_after_initials() {
        let text = "Growth is common (Smith et al., 2006, p. 4. Also Lee). R. G. Tedeschi wrote it. Done";
        assert_eq!(
            split(text),
            ["Growth is common (Smith et al., 2006, p. 4. Also Lee).", "R. G. Tedeschi wrote it.", "Done"]
        );
    }

    #[test]
    fn a_period_before_a_lower_case_word_is_not_a_boundary() {
        assert_eq!(split("We saw etc. and more. Then"), ["We saw etc. and more.", "Then"]);
    }

    #[test]
    fn closing_quotes_and_emphasis_stay_with_their_sentence() {
        assert_eq!(
            split("She said “stop.” Then **it ended.** Fine"),
            ["She said “stop.”", "Then **it ended.**", "Fine"]
        );
    }

    #[test]
    fn quoted_ranges_cover_curly_and_straight_quotes_but_not_apostrophes() {
        let text = "He said “you should” and 'x' and \"y\" and ‘don’t’ ok";
        let quoted: Vec<&str> = quoted_ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(quoted, ["“you should", "\"y", "‘don’t"]);
    }

    #[test]
    fn excerpts_are_flattened_and_truncated() {
        assert_eq!(excerpt("a\n  b", 10), "a b");
        assert_eq!(excerpt("abcdefghij", 5), "abcd…");
    }
}
