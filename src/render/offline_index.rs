//! The static export's offline search index, cut into small files so that a browser's first query
//! loads only what it needs (`static/search.js` reads them):
//!
//! - `search/meta.json`: the shard keys, the number of articles and how many share a chunk;
//! - `search/t/<hex>.json`: for the words under one prefix (the shard key, hex-encoded UTF-8), each
//!   word's best articles, best first. A word's shard is the longest key that is a prefix of it;
//! - `search/d/<n>.json`: `[slug, title, description]` of articles `n * DOCS_PER_CHUNK …`.
//!
//! Each word keeps at most [`MAX_POSTINGS`] articles, ranked by where the word appears (title, tags,
//! question and answer, body). The page shows the best 20, so a longer list only adds bytes; a word
//! that common is never the one that finds an article on its own. One file for the whole site grew
//! with the site; this way a query costs a few tens of KB at 10,000 articles and at 100,000.

use std::collections::{BTreeMap, HashMap};

/// Most articles kept per word.
pub const MAX_POSTINGS: usize = 300;
/// A term shard is split by a longer prefix once its JSON would pass this many bytes.
pub const SHARD_BYTES: usize = 24 * 1024;
/// Articles per `search/d/<n>.json` file: small, because the 20 shown are spread over the site.
pub const DOCS_PER_CHUNK: usize = 10;
/// Words shorter than this are not indexed.
const MIN_WORD: usize = 2;

/// One article as the offline index sees it.
#[derive(Debug, Clone, Default)]
pub struct OfflineDoc {
    /// Its slug (the page is `articles/SLUG/index.html`).
    pub slug: String,
    /// Shown as the result's link.
    pub title: String,
    /// Shown under the link.
    pub description: String,
    /// Its tags, as words.
    pub tags: String,
    /// Question, answer and description.
    pub summary: String,
    /// The body as plain text.
    pub body: String,
}

/// One file of the index: its path under the export root and its bytes.
pub type IndexFile = (String, String);

/// Builds every file of the offline index for `docs` (in the order results tie-break), with
/// `root` the path from `search/` back to the export root. `meta.json` comes last.
pub fn build(docs: &[OfflineDoc], root: &str, shard_bytes: usize) -> Vec<IndexFile> {
    let postings = postings(docs);
    let mut sized: Vec<WordSize<'_>> = Vec::with_capacity(postings.len());
    for (word, list) in &postings {
        sized.push((word.as_str(), entry_bytes(word, list)));
    }
    let mut shards = Vec::new();
    split("", &sized, shard_bytes, &mut shards);
    shards.sort_by(|a, b| a.0.cmp(&b.0));
    let mut files = Vec::with_capacity(shards.len() + docs.len() / DOCS_PER_CHUNK + 2);
    for (key, words) in &shards {
        let map: BTreeMap<&str, &Vec<u32>> = words.iter().map(|w| (*w, &postings[*w])).collect();
        files.push((shard_path(key), serde_json::to_string(&map).expect("a map of strings serialises")));
    }
    for (n, chunk) in docs.chunks(DOCS_PER_CHUNK).enumerate() {
        let rows: Vec<[&str; 3]> =
            chunk.iter().map(|d| [d.slug.as_str(), d.title.as_str(), d.description.as_str()]).collect();
        files.push((format!("search/d/{n}.json"), serde_json::to_string(&rows).expect("strings serialise")));
    }
    let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
    let meta = serde_json::json!({
        "v": 1,
        "root": root,
        "docs": docs.len(),
        "per_chunk": DOCS_PER_CHUNK,
        "shards": keys,
    });
    files.push(("search/meta.json".to_owned(), meta.to_string()));
    files
}

/// `search/t/<hex of the key's UTF-8>.json`; the empty key is `search/t/_.json`.
pub fn shard_path(key: &str) -> String {
    if key.is_empty() {
        return "search/t/_.json".to_owned();
    }
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("search/t/{hex}.json")
}

/// Each word's articles, best first, at most [`MAX_POSTINGS`].
fn postings(docs: &[OfflineDoc]) -> BTreeMap<String, Vec<u32>> {
    let mut scored: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    let mut weights: HashMap<String, u32> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        weights.clear();
        for (text, weight) in [(&d.title, 8), (&d.tags, 4), (&d.summary, 2), (&d.body, 1)] {
            for w in words(text) {
                *weights.entry(w).or_default() += weight;
            }
        }
        for (w, score) in weights.drain() {
            scored.entry(w).or_default().push((i as u32, score));
        }
    }
    scored
        .into_iter()
        .map(|(w, mut list)| {
            // Best score first; among equals the earlier (newer) article.
            list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            (w, list.into_iter().map(|(d, _)| d).collect())
        })
        .collect()
}

/// A word and the bytes it adds to its shard.
type WordSize<'a> = (&'a str, usize);

/// Bytes a word adds to its shard's JSON: `"word":[1,22,333],`.
fn entry_bytes(word: &str, list: &[u32]) -> usize {
    let digits: usize = list.iter().map(|d| d.checked_ilog10().unwrap_or(0) as usize + 2).sum();
    word.len() + 5 + digits
}

/// Puts the sorted `words` (all starting with `prefix`) into shards: one keyed `prefix` when they fit
/// in `budget`, otherwise the largest groups by the next character become shards of their own (split
/// further as needed) until the rest fits under `prefix`.
fn split<'a>(prefix: &str, words: &[WordSize<'a>], budget: usize, out: &mut Vec<(String, Vec<&'a str>)>) {
    let total: usize = words.iter().map(|w| w.1).sum();
    if total <= budget {
        if !words.is_empty() {
            out.push((prefix.to_owned(), words.iter().map(|w| w.0).collect()));
        }
        return;
    }
    // Sorted words sharing the next character are contiguous; a word equal to the prefix comes first.
    let mut groups: Vec<(Option<char>, &[WordSize<'a>])> = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let next = words[start].0[prefix.len()..].chars().next();
        let end =
            start + words[start..].iter().take_while(|w| w.0[prefix.len()..].chars().next() == next).count();
        groups.push((next, &words[start..end]));
        start = end;
    }
    let size = |g: &[(&str, usize)]| g.iter().map(|w| w.1).sum::<usize>();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(groups[i].1)));
    let mut left = total;
    let mut kept = vec![true; groups.len()];
    for i in order {
        if left <= budget {
            break;
        }
        let (Some(c), group) = groups[i] else { continue };
        kept[i] = false;
        left -= size(group);
        split(&format!("{prefix}{c}"), group, budget, out);
    }
    let rest: Vec<&'a str> =
        groups.iter().zip(&kept).filter(|(_, k)| **k).flat_map(|(g, _)| g.1.iter().map(|w| w.0)).collect();
    if !rest.is_empty() {
        out.push((prefix.to_owned(), rest));
    }
}

/// Lower-cased, accent-folded words, with hyphenated words also joined ("post-traumatic" → "posttraumatic").
fn words(text: &str) -> Vec<String> {
    let folded = crate::domain::fold::ascii_fold(text).to_lowercase();
    let mut out = Vec::new();
    for chunk in folded.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let parts: Vec<&str> = chunk.split('-').filter(|p| p.len() >= MIN_WORD).collect();
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        out.extend(parts.into_iter().map(str::to_owned));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(slug: &str, title: &str, body: &str) -> OfflineDoc {
        OfflineDoc { slug: slug.into(), title: title.into(), body: body.into(), ..OfflineDoc::default() }
    }

    /// The shard holding `word`, as the script finds it: the longest key that is a prefix of it.
    fn shard_of<'a>(keys: &'a [String], word: &str) -> &'a str {
        keys.iter().filter(|k| word.starts_with(k.as_str())).max_by_key(|k| k.len()).unwrap()
    }

    fn parse(files: &[IndexFile], path: &str) -> serde_json::Value {
        let text = &files.iter().find(|f| f.0 == path).unwrap_or_else(|| panic!("{path}")).1;
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn every_word_is_in_the_shard_its_longest_prefix_key_names_and_no_shard_is_over_budget() {
        let vocab: Vec<String> =
            (0..2000).map(|i| format!("w{}{}x{i}", (b'a' + (i % 7) as u8) as char, i % 3)).collect();
        let docs: Vec<OfflineDoc> = (0..200)
            .map(|d| {
                doc(
                    &format!("a{d}"),
                    "Title",
                    &vocab.iter().skip(d * 7).take(60).cloned().collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        let budget = 2_000;
        let files = build(&docs, "../", budget);
        let meta = parse(&files, "search/meta.json");
        let keys: Vec<String> = serde_json::from_value(meta["shards"].clone()).unwrap();
        assert!(keys.len() > 10, "the index was split: {keys:?}");
        let mut found = 0;
        // Article d has words 7d … 7d + 59, so the first 1,453 are all indexed.
        for w in vocab.iter().take(1453).chain(["title".to_owned()].iter()) {
            let shard = parse(&files, &shard_path(shard_of(&keys, w)));
            assert!(shard.get(w).is_some(), "{w} not in shard {:?}", shard_of(&keys, w));
            found += 1;
        }
        assert_eq!(found, 1454);
        for key in &keys {
            let text = &files.iter().find(|f| f.0 == shard_path(key)).unwrap().1;
            // A shard may pass the budget only by the one group it could not split any further.
            assert!(text.len() <= budget * 2, "{key}: {} bytes", text.len());
        }
        assert_eq!(meta["docs"], 200);
        assert_eq!(parse(&files, "search/d/19.json")[9][0], "a199");
        assert_eq!(files.last().unwrap().0, "search/meta.json", "written last");
    }

    #[test]
    fn a_common_word_keeps_only_its_best_articles_title_first() {
        let mut docs: Vec<OfflineDoc> =
            (0..MAX_POSTINGS + 50).map(|i| doc(&format!("a{i}"), "Other", "consent consent")).collect();
        docs.push(doc("best", "Consent", "nothing else"));
        let files = build(&docs, "../", SHARD_BYTES);
        let shard = parse(&files, &shard_path(""));
        let list = shard["consent"].as_array().unwrap();
        assert_eq!(list.len(), MAX_POSTINGS);
        assert_eq!(list[0], MAX_POSTINGS + 50, "the article with the word in its title ranks first");
        assert_eq!(list[1], 0, "then the others, newest first");
    }

    #[test]
    fn hyphenated_words_are_indexed_joined_and_apart_and_accents_are_folded() {
        let files = build(&[doc("a", "Post-traumatic growth", "Café")], "../", SHARD_BYTES);
        let shard = parse(&files, &shard_path(""));
        for w in ["posttraumatic", "post", "traumatic", "growth", "cafe"] {
            assert_eq!(shard[w], serde_json::json!([0]), "{w}");
        }
    }

    #[test]
    fn shard_paths_are_hex_and_safe_for_any_word() {
        assert_eq!(shard_path("co"), "search/t/636f.json");
        assert_eq!(shard_path("é"), "search/t/c3a9.json");
        assert_eq!(shard_path(""), "search/t/_.json");
    }
}
