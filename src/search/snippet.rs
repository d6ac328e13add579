//! Highlighted snippets, cut from stored text by a fast scan.
//!
//! tantivy's `SnippetGenerator` re-analyses the whole stored body of every hit (about 185 µs per
//! hit at 100,000 articles), which alone would exceed the 2 ms budget for ten hits. Here the
//! stored excerpt (the first 8 KB of the body) is not split into words at all except where a
//! query word may begin: a byte table finds candidate word starts, a three-byte prefix check on
//! the raw bytes rejects almost all of them, and only the rest are lower-cased, looked up, and
//! if need be stemmed (memoised across the hits of one search). The same word splitter as the
//! index decides word and compound boundaries. The window of ~200 characters with the most
//! distinct query words (then the earliest) is HTML-escaped with the matches in `<mark>`.

use std::collections::HashMap;

use super::analyzer::{Analyzers, is_stop_word};
use super::words::{push_lower, scan_compound};

/// Target snippet length in bytes (≈ characters for English).
const WINDOW: usize = 200;
/// Context kept before the first match of a window.
const LEAD: usize = 60;
/// Scanning stops after this many matches; the first ones give a good enough window.
const MAX_MATCHES: usize = 256;
/// Bytes of text searched for candidate word starts at a time.
const BLOCK: usize = 2048;
/// How far before a hyphen, apostrophe or non-ASCII character a word start is looked for.
const BACK: usize = 16;
/// Distinct highlighted terms tracked (bit set in a u64).
const MAX_TERM_IDS: usize = 64;

#[derive(Debug, Clone, Copy)]
struct Match {
    from: usize,
    to: usize,
    id: u8,
}

/// Finds query words in stored text and renders snippets; one per search, reused for its hits.
pub(crate) struct Highlighter {
    words: HashMap<String, u8>,
    stems: HashMap<String, u8>,
    /// First three lower-case bytes of every surface form and stem of three bytes or more.
    prefixes: Vec<[u8; 3]>,
    /// Whether any surface form or stem is shorter than three bytes (then short words are
    /// looked up too; normally they are skipped without a look).
    has_short: bool,
    /// Bytes that can start a matching word: first bytes of the prefixes in both cases, and
    /// every UTF-8 lead byte (a non-ASCII word may fold to a match).
    first: [bool; 256],
    /// Verdicts for words that passed the prefix filter, reused across hits.
    memo: HashMap<String, Option<u8>>,
    n_terms: usize,
    an: Analyzers,
    buf: String,
    parts: Vec<(usize, usize)>,
    /// The block being scanned, ASCII-lower-cased (same byte positions), for prefix search.
    lower: Vec<u8>,
    /// Substring searchers for `prefixes`, built once per search.
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl Highlighter {
    /// A highlighter for (surface, stem) pairs; pairs sharing a stem count as one term.
    pub(crate) fn new(pairs: &[(String, String)], an: Analyzers) -> Self {
        let mut h = Highlighter {
            words: HashMap::new(),
            stems: HashMap::new(),
            prefixes: Vec::new(),
            has_short: false,
            first: [false; 256],
            memo: HashMap::new(),
            n_terms: 0,
            an,
            buf: String::new(),
            parts: Vec::new(),
            lower: Vec::new(),
            finders: Vec::new(),
        };
        for (surface, stem) in pairs {
            let id = match h.stems.get(stem) {
                Some(&id) => id,
                None if h.n_terms < MAX_TERM_IDS => {
                    let id = u8::try_from(h.n_terms).expect("MAX_TERM_IDS fits in u8");
                    h.n_terms += 1;
                    h.stems.insert(stem.clone(), id);
                    h.add_prefix(stem);
                    id
                }
                None => continue,
            };
            h.words.insert(surface.clone(), id);
            h.add_prefix(surface);
        }
        for b in 0xC0..=0xFF {
            h.first[b] = true;
        }
        h.finders = h.prefixes.iter().map(|p| memchr::memmem::Finder::new(p).into_owned()).collect();
        h
    }

    fn add_prefix(&mut self, w: &str) {
        if let Some(&b) = w.as_bytes().first() {
            self.first[usize::from(b)] = true;
            self.first[usize::from(b.to_ascii_uppercase())] = true;
        }
        match w.as_bytes() {
            [a, b, c, ..] => {
                if !self.prefixes.contains(&[*a, *b, *c]) {
                    self.prefixes.push([*a, *b, *c]);
                }
            }
            _ => self.has_short = true,
        }
    }

    /// Cheap rejection on the raw word: false when it cannot be a query word. Words whose
    /// first three bytes are not ASCII go to the full look-up.
    fn may_match(&self, raw: &[u8]) -> bool {
        let mut key = [0u8; 3];
        let mut n = 0;
        for &b in raw {
            if !b.is_ascii() {
                return true;
            }
            if b.is_ascii_alphanumeric() {
                key[n] = b.to_ascii_lowercase();
                n += 1;
                if n == 3 {
                    return self.prefixes.contains(&key);
                }
            } else if b != b'-' && b != b'\'' {
                break;
            }
        }
        self.has_short
    }

    /// Lower-cases and folds `raw`, then looks it up (surface form first, then its stem).
    fn lookup(&mut self, raw: &str) -> Option<u8> {
        if !self.may_match(raw.as_bytes()) {
            return None;
        }
        self.buf.clear();
        push_lower(&mut self.buf, raw);
        self.an.fold_in_place(&mut self.buf);
        if let Some(&id) = self.words.get(&self.buf) {
            return Some(id);
        }
        if let Some(&verdict) = self.memo.get(&self.buf) {
            return verdict;
        }
        let verdict = if is_stop_word(&self.buf) {
            None
        } else {
            let stem = self.an.stem(&self.buf);
            self.stems.get(&stem).copied()
        };
        self.memo.insert(self.buf.clone(), verdict);
        verdict
    }

    /// Query words in `text`, in order. Only positions where a query word may begin are
    /// examined (see [`Highlighter::candidates`], found a block at a time so that an early stop
    /// leaves the rest of the text untouched); the text is never split into words.
    fn find(&mut self, text: &str) -> Vec<Match> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut parts = std::mem::take(&mut self.parts);
        let mut candidates = Candidates::default();
        let mut i = 0;
        // Once some window holds every query term, no later window can be chosen (ties go to
        // the earliest), and no match beyond `stop` can join an earlier window: stop there.
        let mut stop = usize::MAX;
        let mut checked = 0;
        while out.len() < MAX_MATCHES && i < stop {
            if stop == usize::MAX && out.len() != checked {
                checked = out.len();
                stop = self.complete_window_end(&out);
            }
            let found = if self.has_short {
                bytes[i..].iter().position(|&b| self.first[usize::from(b)]).map(|skip| i + skip)
            } else {
                self.next_candidate(bytes, i, &mut candidates)
            };
            let Some(at) = found else { break };
            i = at;
            if !self.first[usize::from(bytes[i])] || !is_word_start(text, i) || !self.may_match(&bytes[i..]) {
                i += 1;
                continue;
            }
            let mut cursor = i;
            if !scan_compound(text, &mut cursor, &mut parts) {
                break;
            }
            if let [(first, _), .., (_, last)] = parts[..] {
                let joined: String = parts.iter().map(|&(f, t)| &text[f..t]).collect();
                if let Some(id) = self.lookup(&joined) {
                    out.push(Match { from: first, to: last, id });
                    i = cursor;
                    continue;
                }
            }
            for &(from, to) in &parts {
                if let Some(id) = self.lookup(&text[from..to]) {
                    out.push(Match { from, to, id });
                }
            }
            i = cursor;
        }
        self.parts = parts;
        out
    }

    /// The first candidate position at or after `i`, searching the next block when the known
    /// ones run out.
    fn next_candidate(&mut self, bytes: &[u8], i: usize, c: &mut Candidates) -> Option<usize> {
        loop {
            while c.list.get(c.next).is_some_and(|&p| p < i) {
                c.next += 1;
            }
            if let Some(&p) = c.list.get(c.next) {
                return Some(p);
            }
            if c.known >= bytes.len() {
                return None;
            }
            let from = c.known.max(i);
            c.known = (from + BLOCK).min(bytes.len());
            c.list.clear();
            c.next = 0;
            self.candidates(bytes, from, c.known, &mut c.list);
        }
    }

    /// Adds to `out`, sorted, positions in `from..to` that include every word start there that
    /// can pass [`Highlighter::may_match`] (more are fine: each is checked again). They are found
    /// with SIMD substring search instead of a byte-by-byte walk, which made snippets the
    /// largest cost of a search:
    /// - each three-byte prefix in the ASCII-lower-cased text;
    /// - words with a hyphen or apostrophe among their first letters (the prefix check skips
    ///   those), and words with a non-ASCII character (it lets those through): positions just
    ///   before each such character.
    ///
    /// The text is read `BACK` bytes past `to`, for words that begin in the block and go on
    /// past its end. Not used when some query word is shorter than three bytes: then every
    /// word start with a matching first byte has to be looked at, as the byte walk does.
    fn candidates(&mut self, bytes: &[u8], from: usize, to: usize, out: &mut Vec<usize>) {
        let end = (to + BACK).min(bytes.len());
        let region = &bytes[from..end];
        self.lower.clear();
        self.lower.extend(region.iter().map(u8::to_ascii_lowercase));
        for finder in &self.finders {
            out.extend(finder.find_iter(&self.lower).map(|k| from + k).filter(|&k| k < to));
        }
        let mut near = |j: usize| {
            // A word with such a character in its first three letters starts at most this far before it.
            let mut k = j;
            while k > from
                && j - k < BACK
                && (bytes[k - 1].is_ascii_alphanumeric() || matches!(bytes[k - 1], b'-' | b'\''))
            {
                k -= 1;
            }
            if k < to {
                out.push(k);
            }
            if bytes[j] >= 0xC0 && j < to {
                out.push(j);
            }
        };
        for j in memchr::memchr2_iter(b'-', b'\'', region) {
            near(from + j);
        }
        for (n, chunk) in region.chunks(16).enumerate().filter(|(_, c)| !c.is_ascii()) {
            for (k, &b) in chunk.iter().enumerate() {
                if b >= 0xC0 {
                    near(from + n * 16 + k);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Where scanning may stop: `WINDOW` bytes after the start of a window ending at the last
    /// match that already holds all query terms, or `usize::MAX` while there is none.
    fn complete_window_end(&self, matches: &[Match]) -> usize {
        let Some(last) = matches.last() else { return usize::MAX };
        let mut mask = 0u64;
        for m in matches.iter().rev().take_while(|m| last.to - m.from <= WINDOW) {
            mask |= 1 << m.id;
            if mask.count_ones() as usize >= self.n_terms {
                return m.from + WINDOW;
            }
        }
        usize::MAX
    }

    /// The snippet for the first best of `sources` (stored excerpt, answer, …); when no query
    /// word occurs in any, the head of `fallback`, or of the first non-empty source.
    pub(crate) fn snippet(&mut self, sources: &[&str], fallback: &str) -> String {
        let mut best: Option<Best<'_>> = None;
        for text in sources.iter().copied().filter(|t| !t.is_empty()) {
            let matches = self.find(text);
            let Some((distinct, start, end)) = best_window(&matches) else { continue };
            if best.as_ref().is_none_or(|b| distinct > b.distinct) {
                best = Some(Best { distinct, window: (start, end), text, matches });
                if distinct as usize >= self.n_terms {
                    break;
                }
            }
        }
        match best {
            Some(b) => render(b.text, &b.matches[b.window.0..], b.window.1 - b.window.0),
            None => std::iter::once(&fallback)
                .chain(sources)
                .find(|t| !t.is_empty())
                .map_or_else(String::new, |t| render(t, &[], 0)),
        }
    }
}

/// Where [`Highlighter::find`] is in the candidate positions of its text.
#[derive(Default)]
struct Candidates {
    /// Candidates of the current block, sorted.
    list: Vec<usize>,
    /// Index of the next unread one in `list`.
    next: usize,
    /// Candidates are known for every position below this.
    known: usize,
}

/// The best window found so far while comparing sources.
struct Best<'t> {
    distinct: u32,
    /// Indices into `matches`: first match and one past the last in the window.
    window: (usize, usize),
    text: &'t str,
    matches: Vec<Match>,
}

/// Whether a word begins at byte `i` (a char boundary): the previous character is not part of
/// a word, as [`scan_compound`] defines words.
fn is_word_start(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    let Some(&prev) = i.checked_sub(1).and_then(|p| bytes.get(p)) else { return true };
    if prev.is_ascii() {
        let inner_apostrophe = prev == b'\'' && i >= 2 && bytes[i - 2].is_ascii_alphanumeric();
        return !prev.is_ascii_alphanumeric() && !inner_apostrophe;
    }
    text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '\u{2019}')
}

/// (distinct terms, index of first match, index after last match) of the best window, if any
/// match exists: most distinct query words, then earliest (an article's opening usually
/// introduces its subject better than a later passage that repeats a word).
fn best_window(matches: &[Match]) -> Option<(u32, usize, usize)> {
    let mut best: Option<(u32, usize, usize)> = None;
    for i in 0..matches.len() {
        let mut mask = 0u64;
        let mut count = 0;
        for m in matches[i..].iter().take_while(|m| m.to - matches[i].from <= WINDOW) {
            mask |= 1 << m.id;
            count += 1;
        }
        let distinct = mask.count_ones();
        if best.is_none_or(|b| distinct > b.0) {
            best = Some((distinct, i, i + count.max(1)));
        }
    }
    best
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Appends `s` HTML-escaped, with every run of whitespace or control characters as one space.
/// Runs of plain printable ASCII (single spaces included) are copied whole; only the other
/// characters are looked at one by one.
fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let plain = match bytes[i] {
            b'&' | b'<' | b'>' | b'"' | b'\'' => false,
            0x21..=0x7E => true,
            b' ' if i > start => bytes[i - 1] != b' ',
            b' ' => !out.ends_with(' '),
            _ => false,
        };
        if plain {
            i += 1;
            continue;
        }
        out.push_str(&s[start..i]);
        let Some(c) = s[i..].chars().next() else { break };
        push_escaped_char(out, c);
        i += c.len_utf8();
        start = i;
    }
    out.push_str(&s[start..]);
}

/// One character of [`push_escaped`].
fn push_escaped_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if c.is_whitespace() || c.is_control() => {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        c => out.push(c),
    }
}

/// Renders the window that starts at `matches[0]` and holds its first `in_window` matches (or
/// the head of `text` when there are none), with as much context before it as fits.
fn render(text: &str, matches: &[Match], in_window: usize) -> String {
    let anchor = matches.first().map_or(0, |m| m.from);
    let span = matches.get(in_window.saturating_sub(1)).map_or(0, |m| m.to - anchor);
    let lead = LEAD.min(WINDOW.saturating_sub(span));
    let mut start = if anchor + span <= WINDOW { 0 } else { floor_boundary(text, anchor - lead) };
    if start > 0 {
        // Begin at a word: skip the partial word the cut landed in.
        if let Some(sp) = text[start..anchor].find(char::is_whitespace) {
            start += sp + 1;
        } else {
            start = anchor;
        }
    }
    start += text[start..].len() - text[start..].trim_start().len();
    let mut end = floor_boundary(text, start + WINDOW);
    if let Some(straddling) = matches.iter().find(|m| m.from < end && m.to > end) {
        end = straddling.to;
    } else if end < text.len()
        && let Some(sp) = text[start..end].rfind(char::is_whitespace)
    {
        end = start + sp;
    }
    let mut out = String::with_capacity(WINDOW + 64);
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for m in matches.iter().take_while(|m| m.to <= end) {
        if m.from < pos {
            continue;
        }
        push_escaped(&mut out, &text[pos..m.from]);
        out.push_str("<mark>");
        push_escaped(&mut out, &text[m.from..m.to]);
        out.push_str("</mark>");
        pos = m.to;
    }
    push_escaped(&mut out, &text[pos..end]);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(words: &[&str]) -> Highlighter {
        let mut an = Analyzers::default();
        let pairs = words.iter().map(|w| (w.to_string(), an.stem(w))).collect::<Vec<_>>();
        Highlighter::new(&pairs, an)
    }

    #[test]
    fn stemmed_forms_and_hyphenated_compounds_are_marked() {
        let mut h = highlighter(&["heal", "posttraumatic"]);
        let s = h.snippet(&["Healing after post-traumatic stress."], "");
        assert_eq!(s, "<mark>Healing</mark> after <mark>post-traumatic</mark> stress.");
    }

    #[test]
    fn snippets_are_escaped_and_about_two_hundred_characters() {
        let mut h = highlighter(&["script"]);
        let text = format!("{} <script>alert(1)</script> {}", "word ".repeat(100), "tail ".repeat(100));
        let s = h.snippet(&[&text], "");
        assert!(s.contains("&lt;<mark>script</mark>&gt;"), "{s}");
        assert!(!s.contains("<script"));
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.chars().count() < 260, "{}", s.chars().count());
    }

    #[test]
    fn multibyte_text_is_never_split_inside_a_character() {
        let mut h = highlighter(&["cafe"]);
        let text = format!("{} café {}", "é".repeat(150), "ü".repeat(300));
        let s = h.snippet(&[&text], "");
        assert!(s.contains("<mark>café</mark>"), "{s}");
    }

    #[test]
    fn the_window_with_most_distinct_words_wins_across_sources() {
        let mut h = highlighter(&["trust", "intimacy"]);
        let body = format!("trust {} trust and intimacy together", "filler ".repeat(80));
        let s = h.snippet(&[&body, "intimacy only"], "");
        assert!(s.contains("<mark>trust</mark> and <mark>intimacy</mark>"), "{s}");
    }

    #[test]
    fn scanning_stops_once_a_window_holds_every_term() {
        let mut h = highlighter(&["trust", "intimacy"]);
        let text = format!("filler trust and intimacy {}", "trust ".repeat(2000));
        // Only the matches up to one window past the complete one are looked at, not all 2,000.
        assert!(h.find(&text).len() < 60, "{}", h.find(&text).len());
        let s = h.snippet(&[&text], "");
        assert!(s.starts_with("…<mark>trust</mark> and <mark>intimacy</mark> <mark>trust</mark>"), "{s}");
        // An incomplete window is never taken for a complete one: the third term is still sought.
        let mut h = highlighter(&["trust", "intimacy", "consent"]);
        let text = format!("trust and intimacy {} consent, trust, intimacy", "filler ".repeat(60));
        let s = h.snippet(&[&text], "");
        assert!(s.contains("<mark>consent</mark>, <mark>trust</mark>, <mark>intimacy</mark>"), "{s}");
    }

    #[test]
    fn prefix_search_finds_exactly_what_the_byte_walk_finds() {
        let words = ["posttraumatic", "growth", "xray", "naive", "cafe", "heal", "obrien", "dont"];
        let text = "Post-traumatic GROWTH: don’t x-ray a naïve Café. HEALING, heal-ing and O'Brien \
                    (obrien) — posttraumatic growth; ÉCLAIR, dont, Xray… growth-minded healers";
        let spans = |h: &mut Highlighter| -> Vec<(usize, usize, u8)> {
            h.find(text).iter().map(|m| (m.from, m.to, m.id)).collect()
        };
        let mut fast = highlighter(&words);
        assert!(!fast.has_short);
        let mut walk = highlighter(&words);
        // A short query word makes the highlighter walk every byte; none is in `words`, so
        // the matches must be the same.
        walk.has_short = true;
        let found = spans(&mut fast);
        assert_eq!(found, spans(&mut walk));
        assert!(found.len() >= 12, "{found:?}");

        // Across block boundaries, with words cut at every offset, and no early stop (one
        // query word never occurs).
        let long: String = (0..60).map(|k| format!("{} {text} ", "z".repeat(k % 17))).collect();
        let long = long.as_str();
        let words = ["posttraumatic", "growth", "xray", "naive", "obrien", "dont", "absentword"];
        let (mut fast, mut walk) = (highlighter(&words), highlighter(&words));
        walk.has_short = true;
        let a: Vec<_> = fast.find(long).iter().map(|m| (m.from, m.to, m.id)).collect();
        let b: Vec<_> = walk.find(long).iter().map(|m| (m.from, m.to, m.id)).collect();
        assert!(long.len() > 4 * BLOCK && a.len() > 100, "{} {}", long.len(), a.len());
        assert_eq!(a, b);
    }

    #[test]
    fn escaping_copies_plain_runs_and_collapses_white_space() {
        let cases = [
            ("a  b\t\n c", " "),
            ("<b>&\"it's\"</b>", ""),
            ("  lead and trail  ", " "),
            ("naïve\u{a0}\u{a0}café \u{7f}\u{85}x", "x"),
            ("", " "),
        ];
        for (text, before) in cases {
            let mut fast = before.to_string();
            push_escaped(&mut fast, text);
            let mut slow = before.to_string();
            text.chars().for_each(|c| push_escaped_char(&mut slow, c));
            assert_eq!(fast, slow, "{text:?}");
        }
        let mut out = String::new();
        push_escaped(&mut out, "a  <b>\n\n c");
        assert_eq!(out, "a &lt;b&gt; c");
    }

    #[test]
    fn without_matches_the_head_of_the_first_source_is_shown() {
        let mut h = highlighter(&["absent"]);
        assert_eq!(h.snippet(&["", "A body"], "A calm description & more"), "A calm description &amp; more");
        assert_eq!(h.snippet(&["", "A body"], ""), "A body");
        assert_eq!(h.snippet(&[], ""), "");
    }
}
