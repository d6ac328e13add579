//! Feeds, sitemap and metadata checked by real parsers: Python's feedparser, xmllint with the
//! sitemaps.org schema, and serde_json for JSON Feed and JSON-LD.

use crate::helpers::*;
use std::process::Command;

const SAMPLE: &str = "/articles/sexual-intimacy-and-posttraumatic-growth";

fn feedparser(path: &std::path::Path) -> String {
    let out = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import feedparser,sys\nd=feedparser.parse(sys.argv[1])\nassert not d.bozo, repr(d.get('bozo_exception'))\n\
             print(d.version, len(d.entries), d.entries[0].title, len(d.entries[0].get('tags', [])), bool(d.entries[0].get('content') or d.entries[0].get('summary')))",
            path.to_str().unwrap(),
        ])
        .output()
        .expect("python3-feedparser is installed by .ci/run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn atom_and_rss_parse_without_errors_with_full_content_and_categories() {
    let app = spawn_app().await;
    for (path, version) in [
        ("/feed.atom", "atom10"),
        ("/feed.rss", "rss20"),
        ("/tags/healing/feed.atom", "atom10"),
        ("/tags/healing/feed.rss", "rss20"),
    ] {
        let r = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let body = r.text().await.unwrap();
        let file = app.dir.path().join("feed.xml");
        std::fs::write(&file, &body).unwrap();
        let out = feedparser(&file);
        assert!(out.starts_with(version), "{path}: {out}");
        let fields: Vec<&str> = out.split_whitespace().collect();
        assert!(fields[1].parse::<usize>().unwrap() >= 2, "{path}: {out}");
        assert!(out.trim_end().ends_with("True"), "{path}: full content: {out}");
        assert!(body.contains("posttraumaticgrowth") || path.contains("tags"), "{path}: categories");
    }
    assert_eq!(app.get("/tags/nosuchtag/feed.atom").await.0, 404);
}

#[tokio::test]
async fn json_feed_is_version_1_1_with_items() {
    let app = spawn_app().await;
    let r = app.client.get(format!("{}/feed.json", app.base)).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/feed+json"));
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 11);
    assert!(items[0]["content_html"].as_str().unwrap().contains("<p>"));
    assert!(items[0]["date_modified"].is_string() && items[0]["tags"].is_array());
}

#[tokio::test]
async fn feeds_answer_conditional_gets() {
    let app = spawn_app().await;
    let r = app.client.get(format!("{}/feed.atom", app.base)).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let r =
        app.client.get(format!("{}/feed.atom", app.base)).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 304);
}

#[tokio::test]
async fn the_sitemap_validates_against_the_sitemaps_org_schema() {
    let app = spawn_app().await;
    let (status, xml) = app.get("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(xml.contains(&format!("{}{SAMPLE}", app.app.config().base_url)));
    let file = app.dir.path().join("sitemap.xml");
    std::fs::write(&file, &xml).unwrap();
    let xsd = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schemas/sitemap.xsd");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", xsd, file.to_str().unwrap()])
        .output()
        .expect("xmllint");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(app.get("/sitemap-1.xml").await.0, 404, "no parts while one file suffices");
}

#[tokio::test]
async fn robots_and_opensearch_are_served() {
    let app = spawn_app().await;
    let (status, robots) = app.get("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: ") && robots.contains("Disallow: /search"));
    let (status, os) = app.get("/opensearch.xml").await;
    assert_eq!(status, 200);
    assert!(os.contains("/search?q={searchTerms}"));
}

#[tokio::test]
async fn every_page_links_its_feeds_and_the_article_carries_json_ld_and_cards() {
    let app = spawn_app().await;
    for path in ["/", "/tags", "/tags/healing", SAMPLE, "/contact"] {
        let (_, html) = app.get(path).await;
        assert!(html.contains(r#"<link rel="alternate" type="application/atom+xml""#), "{path}");
        assert!(html.contains(r#"rel="search" type="application/opensearchdescription+xml""#), "{path}");
    }
    let (_, tag) = app.get("/tags/healing").await;
    assert!(
        tag.contains("feed.atom") && tag.contains("&#x2f;tags&#x2f;healing&#x2f;feed.atom")
            || tag.contains("/tags/healing/feed.atom")
    );
    let (_, html) = app.get(SAMPLE).await;
    assert!(html.contains(r#"<link rel="canonical""#));
    assert!(html.contains(r#"<meta property="og:type" content="article">"#));
    assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#));
    let start = html.find(r#"<script type="application/ld+json">"#).unwrap()
        + r#"<script type="application/ld+json">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let graph = ld["@graph"].as_array().unwrap();
    let types: Vec<String> = graph.iter().map(|g| g["@type"].to_string()).collect();
    assert!(types.iter().any(|t| t.contains("MedicalWebPage") && t.contains("Article")), "{types:?}");
    assert!(types.iter().any(|t| t.contains("BreadcrumbList")), "{types:?}");
    let faq = graph.iter().find(|g| g["@type"] == "FAQPage").expect("FAQPage");
    assert_eq!(faq["mainEntity"][0]["@type"], "Question");
    assert_eq!(faq["mainEntity"][0]["acceptedAnswer"]["@type"], "Answer");
    let page = graph.iter().find(|g| g["@type"].to_string().contains("MedicalWebPage")).unwrap();
    assert_eq!(page["citation"].as_array().unwrap().len(), 4);
    assert!(page["author"]["name"].is_string() && page["datePublished"].is_string());
}

#[tokio::test]
async fn json_ld_cannot_be_broken_out_of() {
    let app = spawn_app().await;
    app.import("ld.md", "+++\ntitle = \"</script><script>alert(1)</script>\"\nslug = \"ld-escape\"\nquestion = \"q\"\nanswer = \"</script>\"\n+++\nbody\n");
    let (_, html) = app.get("/articles/ld-escape").await;
    assert!(!html.contains("</script><script>alert(1)"));
    assert_eq!(html.matches("</script>").count(), 1, "only the JSON-LD element's own end tag");
}
