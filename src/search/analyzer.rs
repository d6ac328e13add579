//! The analyzers: what a term is, at index time and at query time.
//!
//! Both analyzers start from the word splitter in `words` (compounds as parts plus joined form),
//! then fold to ASCII ("résumé" → "resume") and drop English stop words; the searchable fields
//! also get Snowball English stemming, the spelling vocabulary does not. [`Analyzers::analyze`]
//! runs the same steps on query text but keeps what query planning needs (surface forms,
//! offsets, which token is a compound's joined form).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, RawTokenizer, Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
    TokenizerManager,
};

use super::words::{MAX_PARTS, MAX_WORD_BYTES, WordTokenizer, push_lower, scan_compound};

/// Tokenizer name of the stemmed analyzer used by every searchable text field.
pub(crate) const EN_STEM: &str = "zo_en_stem";
/// Tokenizer name of the unstemmed analyzer feeding the spelling vocabulary field.
pub(crate) const SPELL: &str = "zo_spell";

/// English stop words, ASCII-folded, apostrophes removed, sorted (binary search).
///
/// They are dropped at index and query time: their posting lists are huge, so keeping them would
/// make every natural-language question ("how do I talk to my partner about trauma") count and
/// score nearly every document while adding nothing to relevance.
#[rustfmt::skip]
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "arent", "as", "at",
    "be", "because", "been", "before", "being", "both", "but", "by", "can", "cannot", "cant",
    "could", "couldnt", "did", "didnt", "do", "does", "doesnt", "doing", "dont", "each", "for",
    "from", "had", "hadnt", "has", "hasnt", "have", "havent", "having", "he", "hed", "her", "here",
    "hers", "herself", "hes", "him", "himself", "his", "how", "i", "if", "im", "in",
    "into", "is", "isnt", "it", "its", "itself", "ive", "just", "me", "my", "myself", "nor", "of",
    "on", "or", "our", "ours", "ourselves", "shall", "she", "shes", "should", "shouldnt", "so",
    "some", "such", "than", "that", "thats", "the", "their", "theirs", "them", "themselves", "then",
    "there", "theres", "these", "they", "theyd", "theyll", "theyre", "theyve", "this", "those",
    "to", "too", "very", "was", "wasnt", "we", "were", "werent", "weve", "what", "whats",
    "when", "where", "which", "while", "who", "whom", "whos", "why", "will", "with", "wont",
    "would", "wouldnt", "you", "youd", "youll", "your", "youre", "yours", "yourself", "yourselves",
    "youve",
];

/// Whether `word` (lower-cased, folded) is a stop word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

fn stop_filter() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_string()))
}

/// Registers the two analyzers on an index; must be called on every [`tantivy::Index`] handle,
/// because tantivy stores only the analyzer *names* in the schema.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(
        EN_STEM,
        TextAnalyzer::builder(WordTokenizer)
            .filter(AsciiFoldingFilter)
            .filter(stop_filter())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    manager.register(
        SPELL,
        TextAnalyzer::builder(WordTokenizer).filter(AsciiFoldingFilter).filter(stop_filter()).build(),
    );
}

/// One analysed query word.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analyzed {
    /// Lower-cased, folded, unstemmed form ("healing"), as stored in the spelling vocabulary.
    pub surface: String,
    /// Stemmed form ("heal"), as stored in the searchable fields.
    pub stem: String,
    /// Byte range in the analysed text (for "Did you mean" rewriting).
    pub from: usize,
    /// End of the byte range.
    pub to: usize,
    /// Token position, with gaps where stop words were removed (phrases keep their shape).
    pub position: usize,
    /// For the joined form of a compound, the position of its first part; else `position`.
    pub first_position: usize,
}

impl Analyzed {
    /// Whether this is the joined form of a hyphenated compound rather than a word as written.
    pub(crate) fn is_joined(&self) -> bool {
        self.first_position != self.position
    }
}

/// Per-call analysis helpers (folding and stemming single words). Cloning is cheap, and each
/// search clones its own because tantivy analyzers need `&mut self`.
#[derive(Clone)]
pub(crate) struct Analyzers {
    fold: TextAnalyzer,
    stem: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            fold: TextAnalyzer::builder(RawTokenizer::default()).filter(AsciiFoldingFilter).build(),
            stem: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl Analyzers {
    /// Folds an already lower-cased word in place ("résumé" → "resume"); ASCII is untouched.
    pub(crate) fn fold_in_place(&mut self, word: &mut String) {
        if word.is_ascii() {
            return;
        }
        let folded = {
            let mut stream = self.fold.token_stream(word);
            stream.advance().then(|| stream.token().text.clone())
        };
        if let Some(folded) = folded {
            *word = folded;
        }
    }

    /// Stems a lower-cased, folded word with the same Snowball stemmer as the index.
    pub(crate) fn stem(&mut self, word: &str) -> String {
        let mut stream = self.stem.token_stream(word);
        if stream.advance() { stream.token().text.clone() } else { word.to_string() }
    }

    /// Lower-cases, folds and stems one raw word; `None` for stop words and junk.
    pub(crate) fn normalize_word(&mut self, raw: &str) -> Option<(String, String)> {
        let mut surface = String::with_capacity(raw.len());
        push_lower(&mut surface, raw);
        self.fold_in_place(&mut surface);
        if surface.is_empty() || surface.len() > MAX_WORD_BYTES || is_stop_word(&surface) {
            return None;
        }
        let stem = self.stem(&surface);
        Some((surface, stem))
    }

    /// Analyses query text exactly as the index analyses documents, keeping the surface forms,
    /// offsets and compound structure that query planning needs.
    pub(crate) fn analyze(&mut self, text: &str) -> Vec<Analyzed> {
        let mut out = Vec::new();
        let mut parts = Vec::with_capacity(MAX_PARTS);
        let mut cursor = 0;
        let mut position = 0;
        while scan_compound(text, &mut cursor, &mut parts) {
            let first_position = position;
            let mut joined = String::new();
            for &(from, to) in &parts {
                let raw = &text[from..to];
                if let Some((surface, stem)) = self.normalize_word(raw) {
                    joined.push_str(&surface);
                    out.push(Analyzed { surface, stem, from, to, position, first_position: position });
                } else {
                    push_lower(&mut joined, raw);
                }
                position += 1;
            }
            if parts.len() > 1 {
                let from = parts.first().map_or(0, |p| p.0);
                let to = parts.last().map_or(0, |p| p.1);
                if let Some((surface, stem)) = self.normalize_word(&joined) {
                    let last = position - 1;
                    out.push(Analyzed { surface, stem, from, to, position: last, first_position });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_tokens(text: &str) -> Vec<(String, usize)> {
        let manager = TokenizerManager::default();
        register(&manager);
        let mut analyzer = manager.get(EN_STEM).expect("registered above");
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn stop_word_list_is_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn hyphenated_words_are_indexed_as_parts_and_joined_form() {
        let tokens = index_tokens("Post-traumatic growth");
        assert_eq!(
            tokens,
            vec![
                ("post".to_string(), 0),
                ("traumat".to_string(), 1),
                ("posttraumat".to_string(), 1),
                ("growth".to_string(), 2),
            ]
        );
    }

    #[test]
    fn run_together_capitals_and_hyphenated_forms_share_a_term() {
        let joined = index_tokens("POSTTRAUMATIC SELFRECONSTRUCTION");
        let hyphen = index_tokens("post-traumatic self-reconstruction");
        for (term, _) in &joined {
            assert!(hyphen.iter().any(|(t, _)| t == term), "{term} missing from {hyphen:?}");
        }
    }

    #[test]
    fn accents_are_folded_and_words_are_stemmed() {
        let tokens: Vec<String> = index_tokens("Résumé healing").into_iter().map(|t| t.0).collect();
        assert_eq!(tokens, vec!["resum", "heal"]);
    }

    #[test]
    fn stop_words_are_dropped_but_keep_their_positions() {
        let tokens = index_tokens("how do I talk to my partner");
        assert_eq!(tokens, vec![("talk".to_string(), 3), ("partner".to_string(), 6)]);
    }

    #[test]
    fn apostrophes_stay_inside_words_and_are_removed() {
        let tokens: Vec<String> = index_tokens("partner's don't").into_iter().map(|t| t.0).collect();
        assert_eq!(tokens, vec!["partner"]);
    }

    #[test]
    fn query_analysis_matches_index_analysis_and_marks_joined_forms() {
        let mut an = Analyzers::default();
        let words = an.analyze("Self-Reconstruction after trauma");
        let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
        let indexed: Vec<String> =
            index_tokens("Self-Reconstruction after trauma").into_iter().map(|t| t.0).collect();
        assert_eq!(stems, indexed);
        assert!(words[2].is_joined());
        assert_eq!(words[2].surface, "selfreconstruction");
        assert_eq!((words[2].from, words[2].to), (0, 19));
    }

    #[test]
    fn hostile_text_never_panics_and_yields_plain_words() {
        let mut an = Analyzers::default();
        let words = an.analyze("<script>alert('x')</script> \u{0}\u{7} -- - a-- --b ü-ö \"*\" 日本語");
        let surfaces: Vec<&str> = words.iter().map(|w| w.surface.as_str()).collect();
        assert!(surfaces.contains(&"script"));
        assert!(surfaces.contains(&"alert"));
        assert!(surfaces.contains(&"uo"));
        assert!(index_tokens(&"x".repeat(10_000)).is_empty());
    }
}
