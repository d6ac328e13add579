//! The small word-pattern language of `data/checks/phrases.toml`: words,
//! `a|b` alternatives, `*` for any word and `…N` bounded gaps, matched over
//! the normalised tokens of one sentence.

use std::ops::Range;

use super::text::{Token, tokenize};

/// Gap used by a bare `…` in a pattern.
const DEFAULT_GAP: usize = 6;

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Elem {
    /// One word out of these alternatives.
    Words(Vec<String>),
    /// Any single word.
    Any,
    /// Up to this many words, none of them a stop word.
    Gap(usize),
}

/// A compiled phrase pattern (see the header of `phrases.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pattern {
    elems: Vec<Elem>,
}

impl Pattern {
    /// Compiles a pattern; `None` if it has no words to anchor on.
    pub(super) fn parse(source: &str) -> Option<Pattern> {
        let mut elems = Vec::new();
        for piece in source.split_whitespace() {
            if let Some(rest) = piece.strip_prefix('…').or_else(|| piece.strip_prefix("...")) {
                let gap = if rest.is_empty() { DEFAULT_GAP } else { rest.parse().ok()? };
                elems.push(Elem::Gap(gap));
            } else if piece == "*" {
                elems.push(Elem::Any);
            } else if piece.contains('|') {
                let alts: Vec<String> = piece
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(|a| a.replace('’', "'").to_lowercase())
                    .collect();
                elems.push(Elem::Words(alts));
            } else {
                elems.extend(tokenize(piece).into_iter().map(|t| Elem::Words(vec![t.word])));
            }
        }
        while matches!(elems.first(), Some(Elem::Gap(_))) {
            elems.remove(0);
        }
        while matches!(elems.last(), Some(Elem::Gap(_))) {
            elems.pop();
        }
        elems.iter().any(|e| matches!(e, Elem::Words(_))).then_some(Pattern { elems })
    }

    /// Every match in `tokens`, as token index ranges, one per start token.
    pub(super) fn find_all(&self, tokens: &[Token], gap_stops: &[String]) -> Vec<Range<usize>> {
        (0..tokens.len()).filter_map(|s| self.match_at(tokens, s, 0, gap_stops).map(|e| s..e)).collect()
    }

    /// Matches elements from `elem` on at token `pos`; returns the end token.
    fn match_at(&self, tokens: &[Token], pos: usize, elem: usize, stops: &[String]) -> Option<usize> {
        let Some(current) = self.elems.get(elem) else {
            return Some(pos);
        };
        match current {
            Elem::Words(alts) => {
                let token = tokens.get(pos)?;
                if alts.contains(&token.word) {
                    self.match_at(tokens, pos + 1, elem + 1, stops)
                } else {
                    None
                }
            }
            Elem::Any => {
                tokens.get(pos)?;
                self.match_at(tokens, pos + 1, elem + 1, stops)
            }
            Elem::Gap(max) => {
                for skip in 0..=*max {
                    if skip > 0 && stops.contains(&tokens.get(pos + skip - 1)?.word) {
                        return None;
                    }
                    if let Some(end) = self.match_at(tokens, pos + skip, elem + 1, stops) {
                        return Some(end);
                    }
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_alternatives_and_bounded_gaps() {
        let p = Pattern::parse("study|studies … found|show").unwrap();
        let tokens = tokenize("A 2019 study of 200 couples found this");
        assert_eq!(p.find_all(&tokens, &[]), vec![(2..7)]);
        let far = tokenize("A study of one two three four five six seven found");
        assert!(p.find_all(&far, &[]).is_empty());
    }

    #[test]
    fn gap_stop_words_block_a_match() {
        let p = Pattern::parse("research … show").unwrap();
        let tokens = tokenize("research will show");
        assert!(p.find_all(&tokens, &["will".to_string()]).is_empty());
        assert_eq!(p.find_all(&tokens, &[]).len(), 1);
    }

    #[test]
    fn a_pattern_without_words_does_not_compile() {
        assert_eq!(Pattern::parse("… …3"), None);
        assert!(Pattern::parse("it's crucial").is_some());
    }
}
