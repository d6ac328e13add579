//! What a reader types into search (`/search?q=…&tag=…&page=…`), run against a small index of the demo
//! articles: the query is cut, analysed, planned (joins, splits, phrases), built, run with the fuzzy
//! fallback and "Did you mean", and snippets are cut. A query never fails, and snippets are escaped.
//!
//! Input: the text on the first line, then optionally the tag, the page and the page size, a line each.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zeroopposite::content::markdown::to_plain_text;
use zeroopposite::search::{SearchDoc, SearchIndex, SearchRequest, normalize_tag};

/// The demo site, as (slug, file).
const DEMO: &[(&str, &str)] = &[
    ("attachment-styles", include_str!("../../content/demo/attachment-styles-in-adult-relationships.md")),
    ("boundaries", include_str!("../../content/demo/boundaries-in-relationships.md")),
    ("resilience-after-loss", include_str!("../../content/demo/resilience-after-loss.md")),
    ("desire-differences", include_str!("../../content/demo/sexual-desire-differences-between-partners.md")),
    ("posttraumatic-growth", include_str!("../../content/demo/sexual-intimacy-and-posttraumatic-growth.md")),
    ("self-compassion", include_str!("../../content/demo/shame-and-self-compassion.md")),
    ("sleep-and-stress", include_str!("../../content/demo/sleep-and-stress.md")),
    ("talking-after-trauma", include_str!("../../content/demo/talking-with-a-partner-after-trauma.md")),
    ("consent", include_str!("../../content/demo/what-consent-means.md")),
    ("what-is-ptg", include_str!("../../content/demo/what-is-posttraumatic-growth.md")),
    ("professional-help", include_str!("../../content/demo/when-to-look-for-professional-help.md")),
];

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::open_in_ram().unwrap();
        let docs: Vec<SearchDoc> = DEMO
            .iter()
            .enumerate()
            .map(|(i, (slug, file))| SearchDoc {
                slug: slug.to_string(),
                title: slug.replace('-', " "),
                description: file.lines().find(|l| l.starts_with("description")).unwrap_or("").to_owned(),
                tags: vec![["selfcare", "posttraumaticgrowth", "self-compassion"][i % 3].to_owned()],
                body_text: to_plain_text(file),
                published_unix: 1_780_000_000 + i as i64,
                ..SearchDoc::default()
            })
            .collect();
        index.upsert(&docs).unwrap();
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let mut lines = input.splitn(4, '\n');
    let text = lines.next().unwrap_or("").to_owned();
    let tag = lines.next().map(str::to_owned);
    let page = lines.next().and_then(|l| l.trim().parse().ok()).unwrap_or(1);
    let per_page = lines.next().and_then(|l| l.trim().parse().ok()).unwrap_or(10);
    if let Some(t) = &tag {
        let _ = normalize_tag(t);
    }
    let results = index().search(&SearchRequest { text, tag, page, per_page }).expect("a query never fails");
    assert!(results.hits.len() <= 100);
    for hit in &results.hits {
        let rest = hit.snippet_html.replace("<mark>", "").replace("</mark>", "");
        assert!(!rest.contains('<') && !rest.contains('>'), "unescaped snippet {:?}", hit.snippet_html);
    }
});
