//! From what the reader typed to a tantivy query, without any query syntax.
//!
//! [`parse`] cuts the text (256 characters), splits it on quotes and analyses each part like a
//! document. [`plan`] turns the words into weighted terms, consulting the vocabulary for
//! compound spellings: adjacent words are also tried joined ("post traumatic" →
//! "posttraumatic"), and unknown run-together words are split into known words
//! ("posttraumaticgrowth" → "posttraumatic growth"). [`build`] emits a flat OR of boosted term
//! queries (so tantivy's block-max WAND applies), with quoted phrases and the tag filter as
//! required clauses. Nothing the reader types can produce a syntax error.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::Result;
use super::analyzer::{Analyzed, Analyzers};
use super::schema::{FIELD_BOOSTS, Fields};
use super::suggest::{Candidate, Vocab};

/// Queries are cut to this many characters (`truncated` is then set); a form can use it as its
/// `maxlength`.
pub const MAX_QUERY_CHARS: usize = 256;
/// At most this many distinct terms are searched; each costs one posting list per field.
const MAX_TERMS: usize = 24;
/// Weight of a compound's joined form ("self reconstruction" → "selfreconstruction"): a
/// document containing the compound matches the words as a unit, like a phrase match.
const JOINED_WEIGHT: f32 = 2.0;
/// Weight of the parts of a split run-together word, relative to a word as typed.
const SPLIT_PART_WEIGHT: f32 = 0.5;
/// At most this many unknown words are tried as run-together words (each try costs dozens of
/// dictionary look-ups), so a query of garbled words stays fast.
const MAX_SPLIT_TRIES: usize = 8;
/// Weight of a fuzzy (typo) expansion: exact matches must stay ahead of near misses.
const FUZZY_WEIGHT: f32 = 0.4;

/// The reader's text, cut and analysed.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// The text as searched (cut, control characters replaced by spaces).
    pub text: String,
    /// Whether the text was cut.
    pub truncated: bool,
    /// Unquoted stretches of words (joins never cross a quote).
    pub loose: Vec<Vec<Analyzed>>,
    /// Quoted phrases.
    pub phrases: Vec<Vec<Analyzed>>,
}

impl Parsed {
    /// Words as typed (no joined compound forms), loose and quoted, in text order per group.
    pub(crate) fn typed_words(&self) -> impl Iterator<Item = &Analyzed> {
        self.loose.iter().chain(&self.phrases).flatten().filter(|w| !w.is_joined())
    }
}

/// One phrase alternative: (relative position, stem).
pub(crate) type PhraseTerms = Vec<(usize, String)>;

/// Weighted terms and phrases to search, plus the words to highlight.
#[derive(Debug, Default, Clone)]
pub(crate) struct Plan {
    /// Stem → weight; OR'ed.
    pub terms: Vec<(String, f32)>,
    /// Quoted phrases; each must match through one of its alternatives.
    pub required: Vec<Vec<PhraseTerms>>,
    /// Optional phrases that lift documents (the parts of a split word, in order).
    pub bonus: Vec<PhraseTerms>,
    /// (surface, stem) pairs for the snippet highlighter.
    pub highlight: Vec<(String, String)>,
    /// Words explained by a split, so they are not reported as typos.
    pub split_words: Vec<String>,
    /// Whether terms beyond [`MAX_TERMS`] were dropped.
    pub truncated: bool,
}

impl Plan {
    /// Whether there is nothing to match (empty or stop-words-only query).
    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.required.is_empty()
    }

    fn add_term(&mut self, surface: &str, stem: &str, weight: f32) {
        if let Some(t) = self.terms.iter_mut().find(|t| t.0 == stem) {
            t.1 = t.1.max(weight);
        } else if self.terms.len() < MAX_TERMS {
            self.terms.push((stem.to_string(), weight));
        } else {
            self.truncated = true;
            return;
        }
        if !self.highlight.iter().any(|h| h.0 == surface) {
            self.highlight.push((surface.to_string(), stem.to_string()));
        }
    }

    /// Adds typo candidates of a word (the fuzzy pass); returns whether any term was added.
    /// Candidates are analysed like text, since a tag candidate may be a compound ("self-care").
    pub(crate) fn add_fuzzy(&mut self, candidates: &[Candidate], an: &mut Analyzers) -> bool {
        let before = self.terms.len();
        for c in candidates {
            for w in an.analyze(&c.word) {
                self.add_term(&w.surface, &w.stem, FUZZY_WEIGHT);
            }
        }
        self.terms.len() > before
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}')
}

/// Cuts and analyses the reader's text. Never fails: anything that is not a word is a separator.
pub(crate) fn parse(raw: &str, an: &mut Analyzers) -> Parsed {
    let (cut, truncated) = match raw.char_indices().nth(MAX_QUERY_CHARS) {
        Some((i, _)) => (&raw[..i], true),
        None => (raw, false),
    };
    let text: String = cut.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut segments = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        if is_quote(c) {
            segments.push((start, i, quoted));
            quoted = !quoted;
            start = i + c.len_utf8();
        }
    }
    // An unclosed quote is read as plain words: the reader most likely forgot the closing one.
    segments.push((start, text.len(), false));
    let mut parsed = Parsed { truncated, ..Parsed::default() };
    for (from, to, quoted) in segments {
        let mut words = an.analyze(&text[from..to]);
        if words.is_empty() {
            continue;
        }
        for w in &mut words {
            w.from += from;
            w.to += from;
        }
        if quoted { parsed.phrases.push(words) } else { parsed.loose.push(words) }
    }
    parsed.text = text;
    parsed
}

/// Alternatives of a quoted phrase: the parts as written and, for hyphenated compounds, the
/// joined form in their place (so "post-traumatic growth" also matches "posttraumatic growth").
fn phrase_variants(words: &[Analyzed]) -> Vec<PhraseTerms> {
    let base: Vec<&Analyzed> = words.iter().filter(|w| !w.is_joined()).collect();
    let rel = |p: usize, min: usize| p - min;
    let mut variants = Vec::new();
    if let Some(min) = base.iter().map(|w| w.position).min() {
        variants.push(base.iter().map(|w| (rel(w.position, min), w.stem.clone())).collect());
    }
    let joined: Vec<&Analyzed> = words.iter().filter(|w| w.is_joined()).collect();
    if !joined.is_empty() {
        let covered = |p: usize| joined.iter().any(|j| (j.first_position..=j.position).contains(&p));
        let mut alt: Vec<(usize, String)> =
            base.iter().filter(|w| !covered(w.position)).map(|w| (w.position, w.stem.clone())).collect();
        alt.extend(joined.iter().map(|j| (j.position, j.stem.clone())));
        alt.sort();
        if let Some(min) = alt.iter().map(|t| t.0).min() {
            variants.push(alt.into_iter().map(|(p, s)| (rel(p, min), s)).collect());
        }
    }
    variants.retain(|v: &PhraseTerms| !v.is_empty());
    variants
}

/// Turns parsed words into weighted terms, using the vocabulary for joins and splits.
pub(crate) fn plan(parsed: &Parsed, vocab: &mut Vocab<'_>, an: &mut Analyzers) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut split_tries = 0;
    for group in &parsed.loose {
        for w in group {
            let weight = if w.is_joined() { JOINED_WEIGHT } else { 1.0 };
            plan.add_term(&w.surface, &w.stem, weight);
        }
        let base: Vec<&Analyzed> = group.iter().filter(|w| !w.is_joined()).collect();
        // Adjacent words joined: "post traumatic growth" also finds "posttraumatic" and the
        // tag "posttraumaticgrowth". Only joins the index knows are added.
        for len in 2..=3 {
            for window in base.windows(len) {
                let adjacent = window.windows(2).all(|p| p[1].position == p[0].position + 1);
                if !adjacent {
                    continue;
                }
                let joined: String = window.iter().map(|w| w.surface.as_str()).collect();
                if group.iter().any(|w| w.surface == joined) {
                    continue;
                }
                let stem = an.stem(&joined);
                if vocab.word_freq(&joined)? > 0 || vocab.tag_freq(&stem)? > 0 {
                    plan.add_term(&joined, &stem, JOINED_WEIGHT);
                }
            }
        }
        // Unknown run-together words split into known ones: "#posttraumaticgrowth".
        for w in &base {
            if split_tries >= MAX_SPLIT_TRIES || vocab.word_freq(&w.surface)? > 0 {
                continue;
            }
            split_tries += 1;
            if let Some(parts) = vocab.split(&w.surface)? {
                let mut phrase = Vec::new();
                for (i, part) in parts.iter().enumerate() {
                    let stem = an.stem(part);
                    plan.add_term(part, &stem, SPLIT_PART_WEIGHT);
                    phrase.push((i, stem));
                }
                plan.bonus.push(phrase);
                plan.split_words.push(w.surface.clone());
            }
        }
    }
    for phrase in &parsed.phrases {
        for w in phrase {
            if !plan.highlight.iter().any(|h| h.0 == w.surface) {
                plan.highlight.push((w.surface.clone(), w.stem.clone()));
            }
        }
        let variants = phrase_variants(phrase);
        if !variants.is_empty() {
            plan.required.push(variants);
        }
    }
    Ok(plan)
}

fn term_query(field: tantivy::schema::Field, stem: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// One phrase alternative on every field that has positions (a single term on every field).
fn phrase_clauses(fields: &Fields, terms: &PhraseTerms, weight: f32, out: &mut Vec<(Occur, Box<dyn Query>)>) {
    for (f, boost) in FIELD_BOOSTS {
        if let [(_, stem)] = terms.as_slice() {
            out.push((Occur::Should, term_query(fields.get(f), stem, boost * weight)));
        } else if terms.len() > 1 && f.has_positions() {
            let field = fields.get(f);
            let t = terms.iter().map(|(p, s)| (*p, Term::from_field_text(field, s))).collect();
            let q = PhraseQuery::new_with_offset(t);
            out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost * weight))));
        }
    }
}

/// Builds the tantivy query for a plan and an optional (normalised) tag.
pub(crate) fn build(plan: &Plan, fields: &Fields, tag: Option<&str>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // A flat list of boosted term queries: tantivy then scores the OR with block-max WAND.
    for (stem, w) in &plan.terms {
        for (f, boost) in FIELD_BOOSTS {
            clauses.push((Occur::Should, term_query(fields.get(f), stem, boost * w)));
        }
    }
    for phrase in &plan.bonus {
        phrase_clauses(fields, phrase, 1.0, &mut clauses);
    }
    for variants in &plan.required {
        let mut alternatives = Vec::new();
        for v in variants {
            phrase_clauses(fields, v, 1.0, &mut alternatives);
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
    }
    if let Some(tag) = tag {
        let q = TermQuery::new(Term::from_field_text(fields.tag, tag), IndexRecordOption::Basic);
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(q), 0.0))));
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_queries_are_cut_at_256_characters_on_a_char_boundary() {
        let mut an = Analyzers::default();
        let parsed = parse(&"é".repeat(300), &mut an);
        assert!(parsed.truncated);
        assert_eq!(parsed.text.chars().count(), MAX_QUERY_CHARS);
        assert!(!parse("short", &mut an).truncated);
    }

    #[test]
    fn quotes_make_phrases_and_an_unclosed_quote_is_plain_text() {
        let mut an = Analyzers::default();
        let parsed = parse("sexual \"trust issues\" \"open", &mut an);
        assert_eq!(parsed.phrases.len(), 1);
        assert_eq!(parsed.phrases[0].len(), 2);
        let loose: Vec<&str> = parsed.loose.iter().flatten().map(|w| w.surface.as_str()).collect();
        assert_eq!(loose, vec!["sexual", "open"]);
    }

    #[test]
    fn a_quoted_compound_has_a_parts_and_a_joined_alternative() {
        let mut an = Analyzers::default();
        let parsed = parse("\"post-traumatic growth\"", &mut an);
        let variants = phrase_variants(&parsed.phrases[0]);
        let stems = |v: &PhraseTerms| v.iter().map(|t| t.1.clone()).collect::<Vec<_>>();
        assert_eq!(stems(&variants[0]), vec!["post", "traumat", "growth"]);
        assert_eq!(variants[1], vec![(0, "posttraumat".to_string()), (1, "growth".to_string())]);
    }

    #[test]
    fn control_characters_become_spaces() {
        let mut an = Analyzers::default();
        let parsed = parse("heal\u{0}ing\u{1b}[31m", &mut an);
        assert!(!parsed.text.chars().any(char::is_control));
        assert_eq!(parsed.loose[0].len(), 3);
    }
}
