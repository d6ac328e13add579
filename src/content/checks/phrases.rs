//! The phrase lists behind the prose rules, kept in `data/checks/phrases.toml`
//! so editors can read and extend them without touching code.
//!
//! The file is compiled into the binary with `include_str!`, parsed once, and
//! merged per configuration with `CheckConfig::extra_phrases`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::pattern::Pattern;

/// The embedded phrase file, relative to this source file.
const PHRASES_TOML: &str = include_str!("../../../data/checks/phrases.toml");

/// The names of the lists that `CheckConfig::extra_phrases` may extend.
pub(super) const LIST_NAMES: &[&str] = &[
    "sentences.abbreviations",
    "citations.prefixes",
    "citations.particles",
    "citations.not_names",
    "claims.patterns",
    "claims.gap_stop_words",
    "claims.mention_cues",
    "claims.generic_objects",
    "advice.patterns",
    "advice.gap_stop_words",
    "advice.exceptions",
    "advice.negations",
    "advice.immediately_before",
    "advice.before",
];

/// Prefix of the keys that add content-note aliases for one tag, e.g.
/// `content_notes.aliases.selfharm`.
pub(super) const ALIAS_PREFIX: &str = "content_notes.aliases.";

/// The file as written, before patterns are compiled.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhrases {
    sentences: RawSentences,
    citations: RawCitations,
    claims: RawClaims,
    advice: RawAdvice,
    content_notes: RawContentNotes,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSentences {
    abbreviations: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitations {
    prefixes: Vec<String>,
    particles: Vec<String>,
    not_names: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaims {
    patterns: Vec<String>,
    gap_stop_words: Vec<String>,
    generic_objects: Vec<String>,
    mention_cues: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdvice {
    patterns: Vec<String>,
    gap_stop_words: Vec<String>,
    exceptions: Vec<String>,
    negations: Vec<String>,
    immediately_before: Vec<String>,
    before: Vec<String>,
    suggestion: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContentNotes {
    aliases: BTreeMap<String, Vec<String>>,
}

/// Phrase lists ready for matching: words lower-cased, patterns compiled.
#[derive(Debug, Clone, Default)]
pub(super) struct Phrases {
    /// Abbreviations whose period does not end a sentence.
    pub abbreviations: Vec<String>,
    /// Lower-case openers allowed before a bracketed citation.
    pub citation_prefixes: Vec<String>,
    /// Lower-case surname particles.
    pub particles: Vec<String>,
    /// Capitalised words that are never an author.
    pub not_names: Vec<String>,
    /// Research-claim patterns.
    pub claim_patterns: Vec<Pattern>,
    /// Words that may not fill a claim pattern's gap.
    pub claim_gap_stops: Vec<String>,
    /// Words after a claim's verb that make it a general remark.
    pub claim_generic_objects: Vec<String>,
    /// Words that turn a nearby claim into a mention.
    pub claim_mention_cues: Vec<String>,
    /// Prescriptive-advice patterns.
    pub advice_patterns: Vec<Pattern>,
    /// Words that may not fill an advice pattern's gap.
    pub advice_gap_stops: Vec<String>,
    /// Patterns that make an overlapping advice match harmless.
    pub advice_exceptions: Vec<Pattern>,
    /// Words straight after a match that negate it.
    pub advice_negations: Vec<String>,
    /// Words straight before a match that make it conditional or relative.
    pub advice_immediately_before: Vec<String>,
    /// Words shortly before a match that make it reported belief.
    pub advice_before: Vec<String>,
    /// The suggestion shown with every advice finding.
    pub advice_suggestion: String,
    /// Normalised tag -> normalised content-note labels that cover it.
    pub note_aliases: BTreeMap<String, Vec<String>>,
}

/// The embedded file parsed once; an error names what is wrong with it.
fn embedded() -> &'static Result<RawPhrases, String> {
    static EMBEDDED: OnceLock<Result<RawPhrases, String>> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        toml::from_str::<RawPhrases>(PHRASES_TOML).map_err(|e| format!("data/checks/phrases.toml: {e}"))
    })
}

/// Why the embedded phrase file cannot be used, if it cannot (a build with a
/// broken data file still runs the structural rules; this tells the caller).
pub(super) fn embedded_error() -> Option<&'static str> {
    embedded().as_ref().err().map(String::as_str)
}

/// Lower-cases a list entry and unifies apostrophes, as the tokenizer does.
fn normalise(word: &str) -> String {
    word.trim().replace('’', "'").to_lowercase()
}

/// Normalises a tag or content-note label for comparison: lower-case letters
/// and digits only, so "Sexual content" equals "sexualcontent".
pub(super) fn label_key(label: &str) -> String {
    label.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

impl Phrases {
    /// The embedded lists extended with `extra` (list name -> entries).
    /// Unknown list names and empty patterns are ignored here; callers
    /// surface them with `CheckConfig::problems`.
    pub(super) fn with_extras(extra: &BTreeMap<String, Vec<String>>) -> Phrases {
        let mut raw = embedded().as_ref().cloned().unwrap_or_default();
        for (list, entries) in extra {
            let entries = entries.iter().cloned();
            match list.as_str() {
                "sentences.abbreviations" => raw.sentences.abbreviations.extend(entries),
                "citations.prefixes" => raw.citations.prefixes.extend(entries),
                "citations.particles" => raw.citations.particles.extend(entries),
                "citations.not_names" => raw.citations.not_names.extend(entries),
                "claims.patterns" => raw.claims.patterns.extend(entries),
                "claims.gap_stop_words" => raw.claims.gap_stop_words.extend(entries),
                "claims.mention_cues" => raw.claims.mention_cues.extend(entries),
                "claims.generic_objects" => raw.claims.generic_objects.extend(entries),
                "advice.patterns" => raw.advice.patterns.extend(entries),
                "advice.gap_stop_words" => raw.advice.gap_stop_words.extend(entries),
                "advice.exceptions" => raw.advice.exceptions.extend(entries),
                "advice.negations" => raw.advice.negations.extend(entries),
                "advice.immediately_before" => raw.advice.immediately_before.extend(entries),
                "advice.before" => raw.advice.before.extend(entries),
                other => {
                    if let Some(tag) = other.strip_prefix(ALIAS_PREFIX) {
                        raw.content_notes.aliases.entry(tag.to_string()).or_default().extend(entries);
                    }
                }
            }
        }
        Phrases::compile(raw)
    }

    /// Compiles raw lists into matchable form.
    fn compile(raw: RawPhrases) -> Phrases {
        let words = |list: Vec<String>| -> Vec<String> {
            list.iter().map(|w| normalise(w)).filter(|w| !w.is_empty()).collect()
        };
        let patterns =
            |list: Vec<String>| -> Vec<Pattern> { list.iter().filter_map(|p| Pattern::parse(p)).collect() };
        let mut sorted_prefixes = words(raw.citations.prefixes);
        // Longest first, so "see also" is stripped before "see".
        sorted_prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Phrases {
            abbreviations: words(raw.sentences.abbreviations),
            citation_prefixes: sorted_prefixes,
            particles: words(raw.citations.particles),
            not_names: words(raw.citations.not_names),
            claim_patterns: patterns(raw.claims.patterns),
            claim_gap_stops: words(raw.claims.gap_stop_words),
            claim_generic_objects: words(raw.claims.generic_objects),
            claim_mention_cues: words(raw.claims.mention_cues),
            advice_patterns: patterns(raw.advice.patterns),
            advice_gap_stops: words(raw.advice.gap_stop_words),
            advice_exceptions: patterns(raw.advice.exceptions),
            advice_negations: words(raw.advice.negations),
            advice_immediately_before: words(raw.advice.immediately_before),
            advice_before: words(raw.advice.before),
            advice_suggestion: raw.advice.suggestion,
            note_aliases: raw
                .content_notes
                .aliases
                .into_iter()
                .map(|(tag, labels)| (label_key(&tag), labels.iter().map(|l| label_key(l)).collect()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_phrase_file_parses_and_every_pattern_compiles() {
        assert_eq!(embedded_error(), None);
        let raw = embedded().as_ref().cloned().unwrap_or_default();
        for p in raw.claims.patterns.iter().chain(&raw.advice.patterns) {
            assert!(Pattern::parse(p).is_some(), "pattern does not compile: {p}");
        }
        let phrases = Phrases::with_extras(&BTreeMap::new());
        assert!(phrases.claim_patterns.len() >= 10);
        assert!(!phrases.advice_suggestion.is_empty());
    }

    #[test]
    fn extra_phrases_extend_the_named_list_only() {
        let mut extra = BTreeMap::new();
        extra.insert("claims.mention_cues".to_string(), vec!["Rumour".to_string()]);
        extra.insert("content_notes.aliases.selfharm".to_string(), vec!["Cutting".to_string()]);
        let phrases = Phrases::with_extras(&extra);
        assert!(phrases.claim_mention_cues.contains(&"rumour".to_string()));
        assert!(!phrases.advice_before.contains(&"rumour".to_string()));
        assert!(phrases.note_aliases["selfharm"].contains(&"cutting".to_string()));
    }

    #[test]
    fn labels_compare_without_case_spaces_or_hyphens() {
        assert_eq!(label_key("Sexual content"), "sexualcontent");
        assert_eq!(label_key("self-harm"), "selfharm");
    }
}
