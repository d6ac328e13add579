//! Running one search: plan, count, fuzzy fallback, "Did you mean", top hits and snippets.

use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::{DocAddress, DocSet, Order, Searcher, TERMINATED};

use super::analyzer::Analyzers;
use super::query::{self, Parsed, Plan};
use super::schema::Fields;
use super::snippet::Highlighter;
use super::suggest::{Candidate, Vocab, max_distance};
use super::{Hit, Result, SearchIndex, SearchRequest, SearchResults, normalize_tag};

/// Below this many exact results, typo-tolerant matching is added.
const FUZZY_BELOW: usize = 3;
/// A word found in at least this many documents is taken as spelled right (no fuzzy terms).
const FUZZY_MAX_DOC_FREQ: u64 = 3;
/// Typo candidates are looked up for at most this many words (each look-up walks the term
/// dictionary with a Levenshtein automaton); a query of 40 garbled words stays fast.
const MAX_TYPO_WORDS: usize = 8;
/// Default and maximum page sizes.
const DEFAULT_PER_PAGE: usize = 10;
const MAX_PER_PAGE: usize = 100;
/// Pages deeper than this many hits are not served: nobody reads them, and a huge offset would
/// make the collector keep that many documents in memory.
const MAX_OFFSET: usize = 10_000;
/// Matches are counted exactly up to this many (or to the end of the requested page, if that
/// is deeper); beyond it the count is "more than". Counting walks every matching document,
/// while the top hits skip most of them (block-max WAND): at 100,000 articles a common word
/// matches a third of them, and an exact count cost as much as finding the best ten. Nobody
/// pages past the hundredth page of ten, and Elasticsearch stops counting in the same way.
const COUNT_UP_TO: usize = 1_000;

/// The stored fields of a hit, read straight into strings: tantivy's general document type
/// builds a value tree first, which doubled the copying of the 8 KB excerpt on every hit.
/// Every stored field is text.
struct StoredDoc(Vec<(Field, String)>);

impl DocumentDeserialize for StoredDoc {
    fn deserialize<'de, D: DocumentDeserializer<'de>>(mut d: D) -> Result<Self, DeserializeError> {
        let mut fields = Vec::with_capacity(d.size_hint());
        while let Some(pair) = d.next_field::<String>()? {
            fields.push(pair);
        }
        Ok(StoredDoc(fields))
    }
}

impl StoredDoc {
    fn first(&self, field: Field) -> &str {
        self.0.iter().find(|(f, _)| *f == field).map_or("", |(_, v)| v.as_str())
    }

    fn take_first(&mut self, field: Field) -> String {
        self.take_all(field).next().unwrap_or_default()
    }

    fn take_all(&mut self, field: Field) -> impl Iterator<Item = String> + '_ {
        self.0.iter_mut().filter(move |(f, _)| *f == field).map(|(_, v)| std::mem::take(v))
    }
}

/// Typo candidates for each typed word that might be misspelled, computed once per search.
struct Typos {
    /// (word, candidates, whether the word is outside quotes and may be matched fuzzily), in
    /// query order so that results never depend on hash order.
    words: Vec<(String, Vec<Candidate>, bool)>,
}

impl Typos {
    /// `fuzzy_wanted`: whether exact matching found too little, so that candidates of loose
    /// words may be added to the query. Otherwise candidates are only looked up for words the
    /// index does not know at all (for "Did you mean"): the look-up is the costliest part of a
    /// search, and rare but correctly spelled words would pay it for nothing.
    fn collect(parsed: &Parsed, plan: &Plan, vocab: &mut Vocab<'_>, fuzzy_wanted: bool) -> Result<Typos> {
        let mut words: Vec<(String, Vec<Candidate>, bool)> = Vec::new();
        for w in parsed.typed_words() {
            if words.len() >= MAX_TYPO_WORDS {
                break;
            }
            if words.iter().any(|t| t.0 == w.surface)
                || max_distance(&w.surface) == 0
                || plan.split_words.contains(&w.surface)
            {
                continue;
            }
            let freq = vocab.word_freq(&w.surface)?;
            if freq >= FUZZY_MAX_DOC_FREQ || vocab.tag_freq(&w.stem)? > 0 {
                continue;
            }
            let loose = parsed.loose.iter().flatten().any(|l| l.surface == w.surface);
            let candidates =
                if freq == 0 || (fuzzy_wanted && loose) { vocab.candidates(&w.surface)? } else { Vec::new() };
            words.push((w.surface.clone(), candidates, loose));
        }
        Ok(Typos { words })
    }

    /// The whole query with each unknown word replaced by its best candidate.
    fn suggestion(&self, parsed: &Parsed, vocab: &mut Vocab<'_>) -> Result<Option<String>> {
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for w in parsed.typed_words() {
            let entry = self.words.iter().find(|t| t.0 == w.surface);
            let Some(best) = entry.and_then(|t| t.1.first()) else { continue };
            if vocab.word_freq(&w.surface)? > 0 {
                continue;
            }
            let original = &parsed.text[w.from..w.to];
            let mut word = best.word.clone();
            if original.chars().next().is_some_and(char::is_uppercase) {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    word = first.to_uppercase().chain(chars).collect();
                }
            }
            edits.push((w.from, w.to, word));
        }
        if edits.is_empty() {
            return Ok(None);
        }
        edits.sort_by_key(|e| e.0);
        let mut out = String::with_capacity(parsed.text.len() + 8);
        let mut pos = 0;
        for (from, to, word) in edits {
            if from < pos {
                continue;
            }
            out.push_str(&parsed.text[pos..from]);
            out.push_str(&word);
            pos = to;
        }
        out.push_str(&parsed.text[pos..]);
        Ok(Some(out.split_whitespace().collect::<Vec<_>>().join(" ")))
    }
}

fn to_hit(f: &Fields, mut doc: StoredDoc, score: f32, hl: &mut Highlighter) -> Hit {
    let sources =
        [doc.first(f.excerpt), doc.first(f.answer), doc.first(f.question), doc.first(f.description)];
    let snippet_html = hl.snippet(&sources, doc.first(f.description));
    let tags = doc.take_all(f.tag).collect();
    Hit { slug: doc.take_first(f.slug), title: doc.take_first(f.title), snippet_html, tags, score }
}

/// A query ready to count and to rank. The weight that counts (no scores, so no term statistics,
/// and postings read without frequencies) is built at once; the scoring weight only when hits are
/// fetched, which a query that finds nothing, or one replaced by its fuzzy form, never needs.
struct Prepared {
    query: Box<dyn Query>,
    counting: Box<dyn Weight>,
}

impl Prepared {
    fn new(searcher: &Searcher, query: Box<dyn Query>) -> Result<Prepared> {
        let counting = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        Ok(Prepared { query, counting })
    }

    /// Counts matches, stopping once more than `limit` are seen: `(count, exact)`, where an
    /// inexact count is `limit` and means "more than that".
    fn count_up_to(&self, searcher: &Searcher, limit: usize) -> Result<(usize, bool)> {
        let mut n = 0;
        for reader in searcher.segment_readers() {
            let mut scorer = self.counting.scorer(reader, 1.0)?;
            let alive = reader.alive_bitset();
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    n += 1;
                    if n > limit {
                        return Ok((limit, false));
                    }
                }
                doc = scorer.advance();
            }
        }
        Ok((n, true))
    }

    /// The best `limit` hits after `offset`, by score.
    fn top(&self, searcher: &Searcher, limit: usize, offset: usize) -> Result<Vec<(f32, DocAddress)>> {
        Ok(searcher.search(&*self.query, &TopDocs::with_limit(limit).and_offset(offset).order_by_score())?)
    }
}

/// A tag's articles without words, newest first.
fn newest(searcher: &Searcher, q: &dyn Query, limit: usize, offset: usize) -> Result<Vec<(f32, DocAddress)>> {
    let by_date =
        TopDocs::with_limit(limit).and_offset(offset).order_by_fast_field::<i64>("published", Order::Desc);
    Ok(searcher.search(q, &by_date)?.into_iter().map(|(_, a)| (0.0, a)).collect())
}

/// Whether the page starting at `offset` has hits to show and may be served.
fn shows_page(offset: usize, total: usize) -> bool {
    offset < total && offset <= MAX_OFFSET
}

impl SearchIndex {
    /// Searches; never fails on what the reader typed (only on I/O or engine errors). An empty
    /// or stop-words-only text with a tag lists that tag's articles, newest first.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let mut an = self.analyzers.clone();
        let parsed = query::parse(&req.text, &mut an);
        let searcher = self.reader.searcher();
        let mut vocab = Vocab::new(&searcher, self.fields);
        let mut plan = query::plan(&parsed, &mut vocab, &mut an)?;
        let tag = req.tag.as_deref().map(normalize_tag).filter(|t| !t.is_empty());
        let per_page = match req.per_page {
            0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let offset = req.page.max(1).saturating_sub(1).saturating_mul(per_page);
        let mut results = SearchResults {
            total: 0,
            total_exact: true,
            hits: Vec::new(),
            suggestion: None,
            fuzzy: false,
            took: Duration::ZERO,
            truncated: parsed.truncated || plan.truncated,
        };
        if plan.is_empty() && tag.is_none() {
            results.took = started.elapsed();
            return Ok(results);
        }
        let q = query::build(&plan, &self.fields, tag.as_deref());
        if plan.is_empty() {
            // A single term: its count is read from the index, not walked, so it stays exact.
            results.total = searcher.search(&*q, &Count)?;
            if shows_page(offset, results.total) {
                let top = newest(&searcher, &*q, per_page, offset)?;
                results.hits = self.load_hits(&searcher, top, &plan.highlight, an)?;
            }
            results.took = started.elapsed();
            return Ok(results);
        }
        let count_limit = COUNT_UP_TO.max(offset.saturating_add(per_page));
        let mut prepared = Prepared::new(&searcher, q)?;
        let (mut total, mut exact) = prepared.count_up_to(&searcher, count_limit)?;
        let typos = Typos::collect(&parsed, &plan, &mut vocab, total < FUZZY_BELOW)?;
        if total < FUZZY_BELOW {
            // Quoted words are taken literally: a phrase asks for exactly those words.
            let mut fuzzy_plan = plan.clone();
            let mut added = false;
            for (_, candidates, loose) in &typos.words {
                if *loose {
                    added |= fuzzy_plan.add_fuzzy(candidates, &mut an);
                }
            }
            if added {
                let fuzzy_q = query::build(&fuzzy_plan, &self.fields, tag.as_deref());
                let fuzzy = Prepared::new(&searcher, fuzzy_q)?;
                let (fuzzy_total, fuzzy_exact) = fuzzy.count_up_to(&searcher, count_limit)?;
                // Only worth it (and worth telling the reader) if it found more.
                if fuzzy_total > total {
                    (plan, prepared, total, exact) = (fuzzy_plan, fuzzy, fuzzy_total, fuzzy_exact);
                    results.fuzzy = true;
                }
            }
        }
        results.suggestion = typos.suggestion(&parsed, &mut vocab)?;
        results.total = total;
        results.total_exact = exact;
        if shows_page(offset, total) {
            let top = prepared.top(&searcher, per_page, offset)?;
            results.hits = self.load_hits(&searcher, top, &plan.highlight, an)?;
        }
        results.took = started.elapsed();
        Ok(results)
    }

    /// Reads the stored fields of `top` and cuts each hit's snippet.
    fn load_hits(
        &self,
        searcher: &Searcher,
        top: Vec<(f32, DocAddress)>,
        highlight: &[(String, String)],
        an: Analyzers,
    ) -> Result<Vec<Hit>> {
        let mut hl = Highlighter::new(highlight, an);
        top.into_iter()
            .map(|(score, address)| Ok(to_hit(&self.fields, searcher.doc(address)?, score, &mut hl)))
            .collect()
    }
}
