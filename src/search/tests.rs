//! Query behaviour of the whole module (normalisation, stemming, typos, phrases, tags, pages,
//! hostile input), each test on its own RAM index.

use super::fixtures::*;
use super::*;

#[test]
fn every_spelling_of_posttraumatic_growth_finds_the_reference_article_first() {
    let index = ram_index(&corpus());
    for q in [
        "post traumatic growth",
        "post-traumatic growth",
        "posttraumatic growth",
        "#posttraumaticgrowth",
        "Post-Traumatic Growth",
        "POSTTRAUMATIC",
        "posttraumaticgrowth",
    ] {
        let r = search(&index, q);
        assert_eq!(slugs(&r).first(), Some(&REFERENCE), "query {q:?} gave {:?}", slugs(&r));
    }
}

#[test]
fn every_spelling_of_self_reconstruction_finds_the_reference_article_first() {
    let index = ram_index(&corpus());
    for q in ["self reconstruction", "self-reconstruction", "selfreconstruction", "#selfreconstruction"] {
        let r = search(&index, q);
        assert_eq!(slugs(&r).first(), Some(&REFERENCE), "query {q:?} gave {:?}", slugs(&r));
    }
}

#[test]
fn healing_finds_a_document_that_only_says_heal() {
    let index = ram_index(&corpus());
    let r = search(&index, "healing");
    assert!(slugs(&r).contains(&"heal-slowly"), "{:?}", slugs(&r));
    let hit = r.hits.iter().find(|h| h.slug == "heal-slowly").expect("present");
    assert!(hit.snippet_html.contains("<mark>heal</mark>"), "{}", hit.snippet_html);
}

#[test]
fn accents_are_folded_in_queries_and_documents() {
    let index = ram_index(&corpus());
    assert_eq!(slugs(&search(&index, "resume")), vec!["resume"]);
    assert_eq!(slugs(&search(&index, "RÉSUMÉ")), vec!["resume"]);
}

#[test]
fn a_misspelled_word_is_found_fuzzily_with_a_did_you_mean_suggestion() {
    let index = ram_index(&corpus());
    let r = search(&index, "Attachmnet styles");
    assert_eq!(r.suggestion.as_deref(), Some("Attachment styles"));
    let r = search(&index, "attachmnet");
    assert!(r.fuzzy);
    assert_eq!(r.suggestion.as_deref(), Some("attachment"));
    assert_eq!(slugs(&r).first(), Some(&"attachment-styles"));
    assert!(r.hits[0].snippet_html.contains("<mark>attachment</mark>"), "{}", r.hits[0].snippet_html);
}

#[test]
fn a_misspelled_tag_is_suggested_even_when_no_text_uses_the_word() {
    let index = ram_index(&corpus());
    let r = search(&index, "bondnig");
    assert_eq!(r.suggestion.as_deref(), Some("bonding"));
    assert!(r.fuzzy);
    assert_eq!(slugs(&r), vec![REFERENCE]);
}

#[test]
fn quoted_words_are_taken_literally_and_never_matched_fuzzily() {
    let index = ram_index(&corpus());
    let r = search(&index, "\"attachmnet styles\"");
    assert_eq!((r.total, r.fuzzy), (0, false));
    assert_eq!(r.suggestion.as_deref(), Some("\"attachment styles\""));
}

#[test]
fn correctly_spelled_queries_get_no_suggestion_and_no_fuzzy_matching() {
    let index = ram_index(&corpus());
    let r = search(&index, "attachment");
    assert_eq!((r.suggestion, r.fuzzy), (None, false));
    let r = search(&index, "posttraumaticgrowth");
    assert_eq!(r.suggestion, None, "a split tag word is not a typo");
}

#[test]
fn quoted_words_must_appear_as_a_phrase() {
    let index = ram_index(&corpus());
    let loose = search(&index, "traumatic stress");
    assert!(loose.total >= 2);
    let phrase = search(&index, "\"traumatic stress\"");
    assert_eq!(slugs(&phrase), vec!["traumatic-memories"]);
    let compound = search(&index, "\"posttraumatic growth\"");
    assert_eq!(slugs(&compound).first(), Some(&REFERENCE));
    assert!(search(&index, "\"growth traumatic\"").hits.is_empty());
}

#[test]
fn stop_words_do_not_dominate_a_natural_question() {
    let index = ram_index(&corpus());
    let r = search(&index, "how do I talk to my partner about trauma");
    assert_eq!(slugs(&r).first(), Some(&"partner-talk"));
    assert!(r.total < corpus().len(), "stop words alone must not match everything");
}

#[test]
fn tag_filter_keeps_only_articles_with_that_exact_tag() {
    let index = ram_index(&corpus());
    let req = SearchRequest {
        text: "attachment".into(),
        tag: Some("#Attachment".into()),
        ..SearchRequest::default()
    };
    let r = index.search(&req).expect("search");
    assert_eq!(r.total, 2);
    assert!(r.hits.iter().all(|h| h.tags.contains(&"attachment".to_string())));
    let req = SearchRequest { text: "growth".into(), tag: Some("attach".into()), ..SearchRequest::default() };
    assert_eq!(index.search(&req).expect("search").total, 0);
}

#[test]
fn a_tag_without_words_lists_its_articles_newest_first() {
    let mut docs = corpus();
    docs.push(doc("newer-attachment", "Another one", &["attachment"], "text"));
    docs.last_mut().expect("pushed").published_unix = 1_900_000_000;
    let index = ram_index(&docs);
    let req = SearchRequest { tag: Some("attachment".into()), ..SearchRequest::default() };
    let r = index.search(&req).expect("search");
    assert_eq!(slugs(&r), vec!["newer-attachment", "attachment-styles", REFERENCE]);
}

#[test]
fn pagination_splits_hits_keeps_the_total_and_tolerates_any_bounds() {
    let docs: Vec<SearchDoc> =
        (0..25).map(|i| doc(&format!("d{i}"), &format!("Consent note {i}"), &[], "consent")).collect();
    let index = ram_index(&docs);
    let page = |page, per_page| {
        index.search(&SearchRequest { text: "consent".into(), tag: None, page, per_page }).expect("search")
    };
    let (p1, p3) = (page(1, 10), page(3, 10));
    assert_eq!((p1.total, p1.total_exact, p1.hits.len(), p3.hits.len()), (25, true, 10, 5));
    assert!(slugs(&p1).iter().all(|s| !slugs(&p3).contains(s)));
    assert_eq!(page(0, 10).hits, p1.hits, "page 0 is page 1");
    assert_eq!(page(1, 0).hits.len(), 10, "per_page 0 is the default");
    assert_eq!(page(1, 1_000_000).hits.len(), 25, "per_page is capped, not an error");
    let beyond = page(usize::MAX, usize::MAX);
    assert_eq!((beyond.total, beyond.hits.len()), (25, 0));
}

#[test]
fn hostile_queries_never_error_or_panic() {
    let index = ram_index(&corpus());
    let long = "trauma ".repeat(1500);
    let nested = "\"".repeat(300);
    for q in [
        "\"",
        "\"\"",
        "AND OR NOT",
        "*",
        "?",
        "title:foo",
        "(((",
        "+-!^~",
        "\u{0}\u{1}\u{7f}",
        "<script>alert(1)</script>",
        "",
        "   ",
        long.as_str(),
        nested.as_str(),
        "日本語のテキスト",
        "🙂🙂",
        "a-",
        "-a",
        "--",
    ] {
        let r = index.search(&SearchRequest { text: q.to_string(), ..SearchRequest::default() });
        let r = r.unwrap_or_else(|e| panic!("query {q:?} failed: {e}"));
        for h in &r.hits {
            assert!(!h.snippet_html.contains("<script"), "{}", h.snippet_html);
        }
    }
    let r = search(&index, "script");
    assert!(r.hits[0].snippet_html.contains("&lt;<mark>script</mark>&gt;"), "{}", r.hits[0].snippet_html);
}

#[test]
fn queries_longer_than_256_characters_are_truncated_and_flagged() {
    let index = ram_index(&corpus());
    let r = search(&index, &format!("{} attachment", "x".repeat(300)));
    assert!(r.truncated);
    assert_eq!(r.total, 0, "the word after the cut is not searched");
    assert!(!search(&index, "attachment").truncated);
}

#[test]
fn counting_stops_after_a_thousand_matches_but_every_page_asked_for_is_counted() {
    let docs: Vec<SearchDoc> =
        (0..1_205).map(|i| doc(&format!("d{i}"), &format!("Boundaries {i}"), &[], "boundaries")).collect();
    let index = ram_index(&docs);
    let page = |text: &str, page, per_page| {
        index.search(&SearchRequest { text: text.into(), tag: None, page, per_page }).expect("search")
    };
    let first = page("boundaries", 1, 10);
    assert_eq!((first.total, first.total_exact, first.hits.len()), (1_000, false, 10));
    // A page past the first thousand is counted far enough to know that it exists.
    let deep = page("boundaries", 110, 10);
    assert_eq!((deep.total, deep.total_exact, deep.hits.len()), (1_100, false, 10));
    let last = page("boundaries", 13, 100);
    assert_eq!((last.total, last.total_exact, last.hits.len()), (1_205, true, 5));
    let exact = page("\"boundaries 1204\"", 1, 10);
    assert_eq!((exact.total, exact.total_exact, slugs(&exact)), (1, true, vec!["d1204"]));
}
