//! Search through the real server: normalisation, relevance over the demo content, hostile input,
//! freshness across processes, insights and reindex.

use crate::helpers::*;
use std::time::{Duration, Instant};

const SAMPLE: &str = "sexual-intimacy-and-posttraumatic-growth";

async fn api(app: &TestApp, query: &[(&str, &str)]) -> serde_json::Value {
    let r = app.client.get(format!("{}/api/search", app.base)).query(query).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

fn slugs(v: &serde_json::Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["slug"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn every_spelling_of_posttraumatic_growth_finds_the_same_articles_first() {
    let app = spawn_app().await;
    let mut rankings = Vec::new();
    for q in
        ["post traumatic growth", "post-traumatic growth", "posttraumatic growth", "#posttraumaticgrowth"]
    {
        let top: Vec<String> = slugs(&api(&app, &[("q", q)]).await).into_iter().take(2).collect();
        assert!(top.contains(&SAMPLE.to_owned()), "{q}: {top:?}");
        assert!(top.contains(&"what-is-posttraumatic-growth".to_owned()), "{q}: {top:?}");
        rankings.push(top);
    }
    assert!(rankings.windows(2).all(|w| w[0] == w[1]), "{rankings:?}");
    for q in [
        "sexual intimacy post-traumatic growth",
        "self-reconstruction",
        "selfreconstruction",
        "self reconstruction",
    ] {
        assert_eq!(slugs(&api(&app, &[("q", q)]).await)[0], SAMPLE, "{q}");
    }
}

#[tokio::test]
async fn reader_questions_rank_the_right_article_first() {
    let app = spawn_app().await;
    let table = [
        ("what is posttraumatic growth", "what-is-posttraumatic-growth"),
        ("can I change my mind after saying yes to sex", "what-consent-means"),
        ("what counts as consent", "what-consent-means"),
        ("anxious attachment partner", "attachment-styles-in-adult-relationships"),
        ("how do I talk to my partner about trauma", "talking-with-a-partner-after-trauma"),
        ("how do I tell my partner about my trauma", "talking-with-a-partner-after-trauma"),
        ("when should I see a therapist", "when-to-look-for-professional-help"),
        ("is it normal to cope well after someone dies", "resilience-after-loss"),
        ("grief resilience", "resilience-after-loss"),
        ("how to set boundaries without feeling selfish", "boundaries-in-relationships"),
        ("my partner wants sex more than me", "sexual-desire-differences-between-partners"),
        ("different sex drives", "sexual-desire-differences-between-partners"),
        ("feeling ashamed of what happened to me", "shame-and-self-compassion"),
        ("self compassion", "shame-and-self-compassion"),
        ("can't sleep stressed", "sleep-and-stress"),
        ("insomnia stress", "sleep-and-stress"),
        ("intimacy after trauma", SAMPLE),
        ("sexual intimacy healing", SAMPLE),
    ];
    let mut wrong = Vec::new();
    for (q, want) in table {
        let got = slugs(&api(&app, &[("q", q)]).await);
        println!("{q:<50} {}", got.first().map_or("-", String::as_str));
        if got.first().map(String::as_str) != Some(want) {
            wrong.push(format!("{q}: wanted {want}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn stemming_typos_phrases_and_tag_filters_work() {
    let app = spawn_app().await;
    app.import("heal.md", &article_md("a-note-on-heal", "A note", &["misc"], "Wounds heal slowly."));
    assert!(slugs(&api(&app, &[("q", "healing")]).await).contains(&"a-note-on-heal".to_owned()), "stemming");

    let typo = api(&app, &[("q", "attachmnet")]).await;
    assert_eq!(slugs(&typo)[0], "attachment-styles-in-adult-relationships");
    assert_eq!(typo["suggestion"], "attachment");
    let (_, html) = app.get("/search?q=attachmnet").await;
    assert!(html.contains("Did you mean"), "suggestion shown on the page");

    let phrase = api(&app, &[("q", "\"heal slowly\"")]).await;
    assert_eq!(slugs(&phrase), ["a-note-on-heal"]);
    let reversed = api(&app, &[("q", "\"slowly heal\"")]).await;
    assert!(!slugs(&reversed).contains(&"a-note-on-heal".to_owned()), "a phrase keeps its word order");

    let all = api(&app, &[("q", "trauma")]).await["total"].as_u64().unwrap();
    let filtered = api(&app, &[("q", "trauma"), ("tag", "consent")]).await;
    assert!(filtered["total"].as_u64().unwrap() < all);
    for h in filtered["hits"].as_array().unwrap() {
        assert!(h["tags"].as_array().unwrap().iter().any(|t| t == "consent"), "{h}");
    }
}

#[tokio::test]
async fn snippets_mark_matches_and_are_html_safe() {
    let app = spawn_app().await;
    app.import(
        "x.md",
        &article_md(
            "snippet-safety",
            "Snippet",
            &["misc"],
            "Zebrafish <script>alert(1)</script> & zebrafish.",
        ),
    );
    let v = api(&app, &[("q", "zebrafish")]).await;
    let snippet = v["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>"), "{snippet}");
    assert!(!snippet.contains("<script"), "{snippet}");
}

#[tokio::test]
async fn pagination_has_bounds_and_counts() {
    let app = spawn_with(|c| c.search.per_page = 2).await;
    let first = api(&app, &[("q", "relationships trauma healing")]).await;
    let total = first["total"].as_u64().unwrap();
    assert!(total > 2);
    assert_eq!(first["hits"].as_array().unwrap().len(), 2);
    let second = api(&app, &[("q", "relationships trauma healing"), ("page", "2")]).await;
    assert_ne!(slugs(&first), slugs(&second));
    let far = api(&app, &[("q", "relationships trauma healing"), ("page", "99")]).await;
    assert!(far["hits"].as_array().unwrap().is_empty());
    let (_, html) = app.get("/search?q=relationships+trauma+healing").await;
    assert!(html.contains(&format!("{total} articles found")));
    assert!(html.contains(r#"rel="next""#));
    for bad in ["0", "-1", "abc", "101"] {
        assert_eq!(app.get(&format!("/search?q=x&page={bad}")).await.0, 400, "page={bad}");
    }
}

#[tokio::test]
async fn more_than_a_thousand_matches_are_reported_as_more_and_stay_pageable() {
    let app = spawn_app().await;
    for i in 0..1_001 {
        let text =
            article_md(&format!("boundary-note-{i}"), &format!("Boundary note {i}"), &["misc"], "Quokkas.");
        app.app.import_text(&|_| true, &format!("{i}.md"), &text).unwrap();
    }
    app.app.refresh_if_changed().unwrap();
    let v = api(&app, &[("q", "quokkas")]).await;
    assert_eq!((v["total"].as_u64(), v["total_exact"].as_bool()), (Some(1000), Some(false)));
    let (_, html) = app.get("/search?q=quokkas").await;
    assert!(html.contains("More than 1000 articles found"), "{html}");
    assert!(html.contains(r#"rel="next""#) && !html.contains("Page 1 of"));
    let last = api(&app, &[("q", "quokkas"), ("page", "100")]).await;
    assert_eq!(last["hits"].as_array().unwrap().len(), 10);
    let (_, html) = app.get("/search?q=quokkas&page=100").await;
    assert!(!html.contains(r#"rel="next""#), "page 100 is the last one served");
    let tagged = api(&app, &[("q", "quokkas"), ("tag", "misc")]).await;
    assert_eq!(tagged["total_exact"].as_bool(), Some(false));
}

#[tokio::test]
async fn hostile_queries_never_cause_a_server_error() {
    let app = spawn_app().await;
    let long = "trauma ".repeat(1500);
    let control: String = (0u8..32).map(char::from).collect();
    for q in [
        "\"",
        "AND OR NOT",
        "*",
        "title:foo",
        "a^2 ~3 [x TO y]",
        "<script>alert(1)</script>",
        "((((",
        "\\",
        "'; DROP TABLE articles; --",
        &long,
        &control,
        "🙂🙃",
        "ß ǅ ﬁ",
    ] {
        let r = app.client.get(format!("{}/search", app.base)).query(&[("q", q)]).send().await.unwrap();
        let status = r.status().as_u16();
        assert!(status == 200 || status == 400, "{q:?} gave {status}");
        let html = r.text().await.unwrap();
        assert!(!html.contains("<script>alert(1)"), "query echoed unescaped");
        let r = app.client.get(format!("{}/api/search", app.base)).query(&[("q", q)]).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{q:?}");
    }
    let (status, html) = app.get(&format!("/search?q={}", "a".repeat(300))).await;
    assert_eq!(status, 200);
    assert!(html.contains("longer than 256 characters"));
    let v = api(&app, &[("q", &"a".repeat(300))]).await;
    assert_eq!(v["truncated"], true);
}

#[tokio::test]
async fn an_empty_query_shows_the_tag_index() {
    let app = spawn_app().await;
    let (status, html) = app.get("/search?q=").await;
    assert_eq!(status, 200);
    assert!(html.contains(r##"href="/tags/healing">#healing</a>"##));
    assert_eq!(app.get("/search").await.0, 200);
}

#[tokio::test]
async fn an_article_imported_by_another_process_is_found_by_the_next_search() {
    let app = spawn_app().await;
    assert_eq!(api(&app, &[("q", "quokka")]).await["total"], 0);
    let file = app.dir.path().join("quokka.md");
    std::fs::write(&file, article_md("quokkas-and-calm", "Quokkas and calm", &["calm"], "A quokka smiles."))
        .unwrap();
    let (ok, _, e) = run_cli(&["--data", app.dir.path().to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(ok, "{e}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if slugs(&api(&app, &[("q", "quokka")]).await) == ["quokkas-and-calm"] {
            break;
        }
        assert!(Instant::now() < deadline, "the import never reached search");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // An edit that unpublishes it removes it from search.
    std::fs::write(
        &file,
        article_md("quokkas-and-calm", "Quokkas and calm", &["calm"], "A quokka smiles.")
            .replace("+++\ntitle", "+++\ndraft = true\ntitle"),
    )
    .unwrap();
    let (ok, _, e) = run_cli(&["--data", app.dir.path().to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(ok, "{e}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while api(&app, &[("q", "quokka")]).await["total"] != 0 {
        assert!(Instant::now() < deadline, "the unpublished article stayed in search");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn insights_report_queries_made_at_least_three_times_without_storing_who() {
    let app = spawn_app().await;
    for _ in 0..3 {
        api(&app, &[("q", "Consent  Basics")]).await;
        api(&app, &[("q", "xylophonequery")]).await;
    }
    for _ in 0..2 {
        api(&app, &[("q", "rare private query")]).await;
    }
    app.app.flush_insights().unwrap();
    let (ok, out, e) = run_cli(&["--data", app.dir.path().to_str().unwrap(), "insights"]);
    assert!(ok, "{e}");
    let (top, zero) = out.split_once("found nothing").unwrap();
    assert!(top.contains("consent basics") && top.contains("xylophonequery"), "{out}");
    assert!(zero.contains("xylophonequery") && !zero.contains("consent basics"), "{out}");
    assert!(!out.contains("rare private query"), "queries made fewer than 3 times are not shown");
    if on_postgres() {
        return; // the columns below are read from SQLite's catalogue; the schemas have the same ones
    }
    let db = rusqlite::Connection::open(app.dir.path().join("zeroopposite.db")).unwrap();
    let cols: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('search_queries')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(cols, ["day", "query", "count", "zero_count"], "no address, session or time of day");
}

#[tokio::test]
async fn insights_can_be_turned_off() {
    let app = spawn_with(|c| c.search.insights = false).await;
    for _ in 0..3 {
        api(&app, &[("q", "consent")]).await;
    }
    app.app.flush_insights().unwrap();
    assert!(app.store.top_searches("2000-01-01", 1, false, 10).unwrap().is_empty());
}

#[tokio::test]
async fn a_corrupt_index_is_rebuilt_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let c2 = config.clone();
    drop(tokio::task::spawn_blocking(move || zeroopposite::app::App::open(c2).unwrap()).await.unwrap());
    let index = dir.path().join("search");
    for entry in std::fs::read_dir(&index).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::write(&p, b"garbage").unwrap();
        }
    }
    let app =
        tokio::task::spawn_blocking(move || zeroopposite::app::App::open(config).unwrap()).await.unwrap();
    let req =
        zeroopposite::search::SearchRequest { text: "consent".into(), tag: None, page: 1, per_page: 10 };
    assert!(app.search(&req, time::OffsetDateTime::now_utc()).unwrap().total > 0);
}

#[test]
fn reindex_rebuilds_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (ok, _, e) = run_cli(&["--data", data, "import", "content/demo"]);
    assert!(ok, "{e}");
    let (ok, out, e) = run_cli(&["--data", data, "reindex"]);
    assert!(ok, "{e}");
    assert!(out.contains("reindexed 11 articles"), "{out}");
}

#[test]
fn an_import_builds_the_search_index_in_the_same_run_and_the_next_one_updates_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let (ok, out, e) = run_cli(&["--data", d, "import", "content/demo"]);
    assert!(ok, "{e}");
    assert!(out.contains("search index built: 11 articles"), "{out}");
    let file = dir.path().join("late.md");
    std::fs::write(&file, article_md("late", "Quillwort", &["healing"], "Only here: zanthoxylum.")).unwrap();
    let (ok, out, e) = run_cli(&["--data", d, "import", file.to_str().unwrap()]);
    assert!(ok, "{e}");
    assert!(out.contains("search index updated: 1 changes"), "caught up, not rebuilt: {out}");
    let (index, outcome) = zeroopposite::search::SearchIndex::open(&data.join("search")).unwrap();
    assert_eq!(outcome, zeroopposite::search::OpenOutcome::Opened);
    assert_eq!(index.num_docs(), 12);
    let req =
        zeroopposite::search::SearchRequest { text: "zanthoxylum".into(), tag: None, page: 1, per_page: 10 };
    let found = index.search(&req).unwrap();
    assert_eq!((found.total, found.hits[0].slug.as_str()), (1, "late"));
    let (ok, out, _) = run_cli(&["--data", d, "import", file.to_str().unwrap()]);
    assert!(ok && !out.contains("search index"), "nothing changed, nothing to index: {out}");
}

#[tokio::test]
async fn reindex_while_the_server_runs_is_done_by_the_server() {
    let app = spawn_app().await;
    let (ok, out, e) = run_cli(&["--data", app.dir.path().to_str().unwrap(), "reindex"]);
    assert!(ok, "{e}");
    assert!(out.contains("asked to rebuild"), "{out}");
    let seq = app.store.change_seq().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.app.seen_seq() < seq {
        assert!(Instant::now() < deadline, "the server never processed the request");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(api(&app, &[("q", "consent")]).await["total"].as_u64().unwrap() > 0);
}

/// Blocking GET through a short-lived runtime-free client, for tests that drive processes.
fn get_json(url: &str) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let r = reqwest::get(url).await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    })
}

#[test]
fn an_import_made_while_no_server_runs_is_searchable_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    // 1. A first start builds the index, then the server stops.
    let (mut server, _) = start_server(&data, &config);
    server.kill().unwrap();
    server.wait().unwrap();
    // 2. An import while no server runs.
    let file = dir.path().join("new-article.md");
    std::fs::write(
        &file,
        article_md("new-slug", "Quillwort Meadows", &["healing"], "A word found only here: zanthoxylum."),
    )
    .unwrap();
    let (ok, _, e) = run_cli(&["--data", data.to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(ok, "{e}");
    // 3. The restarted server has caught up before it answers its first request.
    let (mut server, base) = start_server(&data, &config);
    let (status, _) = get_json(&format!("{base}/articles/new-slug"));
    assert_eq!(status, 200);
    let (status, body) = get_json(&format!("{base}/api/search?q=zanthoxylum"));
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200);
    let found: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(found["hits"][0]["slug"], "new-slug", "{body}");
    assert_eq!(found["total"], 1, "{body}");
}

#[test]
fn a_rebuild_walks_the_store_a_chunk_at_a_time_and_misses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    for i in 0..1_100 {
        let body = format!("Body of article {i}. {} appears only here.", letters(i));
        std::fs::write(
            files.join(format!("a{i}.md")),
            article_md(&format!("bulk-{i:04}"), "Bulk", &["bulk"], &body),
        )
        .unwrap();
    }
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (ok, _, e) = run_cli(&["--data", data, "import", files.to_str().unwrap()]);
    assert!(ok, "{e}");
    let (ok, out, e) = run_cli(&["--data", data, "reindex"]);
    assert!(ok, "{e}");
    assert!(out.contains("reindexed 1100 articles"), "every chunk of 500 was read: {out}");
    let index =
        zeroopposite::search::SearchIndex::open(&std::path::Path::new(data).join("search")).unwrap().0;
    for i in [0, 499, 500, 1_099] {
        let req = zeroopposite::search::SearchRequest { text: letters(i), ..Default::default() };
        let found = index.search(&req).unwrap();
        assert_eq!(found.hits.first().map(|h| h.slug.clone()), Some(format!("bulk-{i:04}")), "article {i}");
    }
}

/// A word of its own for article `i`, in letters only (digits are words of their own to the analyzer).
fn letters(i: usize) -> String {
    let mut w = String::from("zephyr");
    for k in [i / 676 % 26, i / 26 % 26, i % 26] {
        w.push((b'a' + k as u8) as char);
    }
    w
}
