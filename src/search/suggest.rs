//! The index's own vocabulary: which words exist, how to split run-together words, and which
//! known words are close to a typo.
//!
//! Everything here reads the term dictionaries of the unstemmed `spell` field (words of the
//! title, question, answer, description and body) and of the stemmed `tags` field, so
//! suggestions can only ever propose words that really occur in published articles, and no
//! separate word list has to be kept in sync with the store.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::{Searcher, Term};

use super::Result;
use super::schema::Fields;

/// Shortest part of a split run-together word ("self" + "reconstruction"); shorter parts make
/// nonsense splits of ordinary words too likely.
const MIN_SPLIT_PART: usize = 3;
/// Words shorter than this are never split.
const MIN_SPLIT_WORD: usize = 6;
/// At most this many fuzzy candidates are kept per word.
const MAX_CANDIDATES: usize = 3;

/// A known word close to a query word.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    /// The known word (unstemmed).
    pub word: String,
    /// Edit distance (a transposition counts as one edit).
    pub distance: usize,
    /// Number of documents containing it.
    pub doc_freq: u64,
}

/// Vocabulary look-ups against one searcher (one consistent snapshot of the index).
pub(crate) struct Vocab<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    cache: HashMap<String, u64>,
}

/// Maximum typo distance tolerated for a word of this many characters (0: none).
pub(crate) fn max_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl<'a> Vocab<'a> {
    /// Look-ups against `searcher`'s segments.
    pub(crate) fn new(searcher: &'a Searcher, fields: Fields) -> Self {
        Vocab { searcher, fields, cache: HashMap::new() }
    }

    /// Documents whose text contains the unstemmed `word` (deleted ones may still count until
    /// a merge; this only steers suggestions).
    pub(crate) fn word_freq(&mut self, word: &str) -> Result<u64> {
        if let Some(&n) = self.cache.get(word) {
            return Ok(n);
        }
        let n = self.searcher.doc_freq(&Term::from_field_text(self.fields.spell, word))?;
        self.cache.insert(word.to_string(), n);
        Ok(n)
    }

    /// Documents with a tag analysed to `stem`.
    pub(crate) fn tag_freq(&self, stem: &str) -> Result<u64> {
        Ok(self.searcher.doc_freq(&Term::from_field_text(self.fields.tags, stem))?)
    }

    /// Splits a run-together word into known words ("posttraumaticgrowth" → "posttraumatic",
    /// "growth"), preferring two parts over three and then the split whose rarest part is most
    /// common. `None` when the word is short or no split into known words exists.
    pub(crate) fn split(&mut self, word: &str) -> Result<Option<Vec<String>>> {
        if word.chars().count() < MIN_SPLIT_WORD || !word.is_ascii() {
            return Ok(None);
        }
        let mut best: Option<(u64, Vec<String>)> = None;
        for i in MIN_SPLIT_PART..=word.len() - MIN_SPLIT_PART {
            let (left, right) = word.split_at(i);
            let l = self.word_freq(left)?;
            if l == 0 {
                continue;
            }
            let r = self.word_freq(right)?;
            if r > 0 && best.as_ref().is_none_or(|b| l.min(r) > b.0) {
                best = Some((l.min(r), vec![left.to_string(), right.to_string()]));
            }
        }
        if best.is_none() {
            for i in MIN_SPLIT_PART..=word.len().saturating_sub(2 * MIN_SPLIT_PART) {
                let (left, rest) = word.split_at(i);
                let l = self.word_freq(left)?;
                if l == 0 {
                    continue;
                }
                for j in MIN_SPLIT_PART..=rest.len() - MIN_SPLIT_PART {
                    let (mid, right) = rest.split_at(j);
                    let m = self.word_freq(mid)?;
                    let r = if m > 0 { self.word_freq(right)? } else { 0 };
                    let rarest = l.min(m).min(r);
                    if rarest > 0 && best.as_ref().is_none_or(|b| rarest > b.0) {
                        best = Some((rarest, vec![left.into(), mid.into(), right.into()]));
                    }
                }
            }
        }
        Ok(best.map(|b| b.1))
    }

    /// Known words and tags within the typo distance allowed for `word`, closest first, then
    /// most frequent. The word itself is excluded.
    pub(crate) fn candidates(&mut self, word: &str) -> Result<Vec<Candidate>> {
        let max = max_distance(word);
        if max == 0 {
            return Ok(Vec::new());
        }
        // A distance-2 automaton walked over the whole dictionary costs ~0.5 ms; restricted to
        // words with the same first letter it costs ~30 µs. So: two edits after a correct first
        // letter, or one edit anywhere (a first-letter typo), as most spell checkers assume.
        let automaton =
            |d: u8| FuzzyTermQuery::new(Term::from_field_text(self.fields.spell, word), d, true).automaton();
        let one_edit = automaton(1)?;
        let two_edits = if max >= 2 { Some(automaton(2)?) } else { None };
        let first = word.as_bytes().first().copied().unwrap_or(0);
        let mut found: HashMap<String, u64> = HashMap::new();
        // Words of the text, and tags (which are often words not used in the text).
        for field in [self.fields.spell, self.fields.tag] {
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut in_segment: HashMap<String, u64> = HashMap::new();
                let mut walks = vec![inverted.terms().search(&one_edit)];
                if let Some(two) = &two_edits {
                    let bounded = inverted.terms().search(two).ge([first]);
                    walks.push(if first < u8::MAX { bounded.lt([first + 1]) } else { bounded });
                }
                for walk in walks {
                    let mut stream = walk.into_stream().map_err(tantivy::TantivyError::from)?;
                    while stream.advance() {
                        if let Ok(term) = std::str::from_utf8(stream.key())
                            && term != word
                        {
                            in_segment.insert(term.to_string(), u64::from(stream.value().doc_freq));
                        }
                    }
                }
                for (term, df) in in_segment {
                    *found.entry(term).or_default() += df;
                }
            }
        }
        let mut out: Vec<Candidate> = found
            .into_iter()
            .map(|(w, doc_freq)| Candidate { distance: edit_distance(word, &w), word: w, doc_freq })
            .collect();
        out.sort_by(|a, b| {
            a.distance.cmp(&b.distance).then(b.doc_freq.cmp(&a.doc_freq)).then_with(|| a.word.cmp(&b.word))
        });
        out.truncate(MAX_CANDIDATES);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposition_counts_as_one_edit() {
        assert_eq!(edit_distance("attachmnet", "attachment"), 1);
        assert_eq!(edit_distance("healing", "healing"), 0);
        assert_eq!(edit_distance("heal", "healing"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("résumé", "resume"), 2);
    }

    #[test]
    fn longer_words_tolerate_more_typos() {
        assert_eq!(max_distance("trust"), 1);
        assert_eq!(max_distance("sex"), 0);
        assert_eq!(max_distance("attachment"), 2);
    }
}
