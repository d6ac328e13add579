//! The reader site as a browser sees it.

use crate::helpers::*;

const SAMPLE: &str = "/articles/sexual-intimacy-and-posttraumatic-growth";

#[tokio::test]
async fn the_home_page_has_the_reference_header() {
    let app = spawn_app().await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<img src="/static/logo.svg""#), "logo");
    assert!(html.contains(r#"<span class="brand-name">ZeroOpposite</span>"#), "name");
    assert!(html.contains(r#"<a href="/contact">Contact Us</a>"#), "contact link");
    assert!(html.contains(r#"role="search" action="/search""#), "search form");
    assert!(html.contains(SAMPLE), "the sample article is listed");
}

#[tokio::test]
async fn the_sample_article_shows_every_part_of_the_reference_page() {
    let app = spawn_app().await;
    let (status, html) = app.get(SAMPLE).await;
    assert_eq!(status, 200);
    assert!(html.contains("HOW SEXUAL INTIMACY CAN FACILITATE POSTTRAUMATIC GROWTH AND SELF-RECONSTRUCTION"));
    assert!(html.contains(
        "In what ways does sexual intimacy facilitate post-traumatic growth and self-reconstruction?"
    ));
    assert!(html.contains("Safe, consensual intimacy can be one source"), "short answer");
    assert!(
        html.contains(r#"<span class="note">trauma</span>"#)
            && html.contains(r#"<span class="note">sexual content</span>"#)
    );
    let notes_at = html.find("Content notes").unwrap();
    let body_at = html.find("article-body").unwrap();
    assert!(notes_at < body_at, "content notes come before the body");
    let refs = &html[html.find(r#"id="references""#).unwrap()..];
    let refs = &refs[..refs.find("</section>").unwrap()];
    assert_eq!(refs.matches("<li>").count(), 4);
    assert!(
        refs.contains(r#"href="https:&#x2f;&#x2f;doi.org&#x2f;10.1037&#x2f;0003-066X.59.1.20""#),
        "{refs}"
    );
    let tags = [
        "sexualintimacy",
        "posttraumaticgrowth",
        "selfreconstruction",
        "healing",
        "connection",
        "bonding",
        "attachment",
    ];
    for tag in tags {
        let link = format!(r#"<a class="hashtag" href="/tags/{tag}">#{tag}</a>"#);
        assert!(html.contains(&link), "hashtag {tag}");
        let (status, tag_page) = app.get(&format!("/tags/{tag}")).await;
        assert_eq!(status, 200, "tag page {tag}");
        assert!(tag_page.contains(SAMPLE), "tag page {tag} lists the article");
    }
    assert!(html.contains("Leave this page quickly"), "sensitive tags bring the exit link");
    assert!(html.contains("If you need support now"), "and the configured support box");
}

#[tokio::test]
async fn an_unknown_slug_gets_the_404_page() {
    let app = spawn_app().await;
    for path in ["/articles/no-such-article", "/articles/Not_A_Slug", "/nowhere", "/tags/nosuchtag"] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}: human page");
        assert!(html.contains("Contact Us"), "{path}: in the site layout");
    }
}

#[tokio::test]
async fn script_in_title_tag_and_body_comes_out_escaped() {
    let app = spawn_app().await;
    let md = "+++\ntitle = \"<script>alert('t')</script>\"\nslug = \"xss\"\ntags = [\"safe\"]\nquestion = \"<img src=x onerror=alert(1)>\"\n+++\n<script>alert('b')</script>\n\nok <b onclick=\"alert(2)\">bold</b>\n";
    app.import("xss.md", md);
    let (status, html) = app.get("/articles/xss").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert"), "no live script: {html}");
    assert!(
        html.contains("&lt;SCRIPT&gt;ALERT(&#x27;T&#x27;)&lt;&#x2f;SCRIPT&gt;")
            || html.contains("&lt;SCRIPT&gt;")
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "question escaped");
    assert!(!html.contains("onclick"), "handlers removed");
    let (_, home) = app.get("/").await;
    assert!(!home.contains("<script>alert"));
    assert!(zeroopposite::domain::Tag::parse("<script>").is_err(), "such a tag cannot exist");
}

#[tokio::test]
async fn etag_gives_304_and_a_changed_article_changes_it() {
    let app = spawn_app().await;
    app.import("etag.md", &article_md("etag", "First", &["x"], "one"));
    let r = app.client.get(format!("{}/articles/etag", app.base)).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"'), "strong etag");
    let r = app
        .client
        .get(format!("{}/articles/etag", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
    app.import("etag.md", &article_md("etag", "First", &["x"], "two"));
    let r = app
        .client
        .get(format!("{}/articles/etag", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_ne!(r.headers()["etag"].to_str().unwrap(), etag);
    assert!(r.text().await.unwrap().contains("two"));
}

#[tokio::test]
async fn pages_are_sent_compressed_when_asked() {
    let app = spawn_app().await;
    let r =
        app.client.get(format!("{}{SAMPLE}", app.base)).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "br");
    let r = app
        .client
        .get(format!("{}{SAMPLE}", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let r = app.client.get(format!("{}{SAMPLE}", app.base)).send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn the_tag_index_counts_articles_and_another_spelling_redirects() {
    let app = spawn_app().await;
    let (status, html) = app.get("/tags").await;
    assert_eq!(status, 200);
    assert!(html.contains(r##"href="/tags/healing">#healing</a>"##));
    let r = app.client.get(format!("{}/tags/Post-Traumatic%20Growth", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 308);
    assert_eq!(r.headers()["location"], "/tags/posttraumaticgrowth");
}

#[tokio::test]
async fn listings_paginate_and_bad_page_numbers_are_400() {
    let app = spawn_with(|c| c.page_size = std::num::NonZeroU64::new(2).unwrap()).await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<a rel="next" href="&#x2f;?page=2">"#), "{html}");
    assert_eq!(app.get("/?page=2").await.0, 200);
    assert_eq!(app.get("/?page=999").await.0, 404);
    assert_eq!(app.get("/?page=abc").await.0, 400);
    assert_eq!(app.get("/?page=0").await.0, 400);
}

#[tokio::test]
async fn drafts_and_future_articles_are_not_public() {
    let app = spawn_app().await;
    app.import("d.md", "+++\ntitle = \"Draft\"\nslug = \"a-draft\"\ndraft = true\n+++\nx\n");
    app.import(
        "f.md",
        "+++\ntitle = \"Future\"\nslug = \"a-future\"\npublished = 2999-01-01T00:00:00Z\n+++\nx\n",
    );
    assert_eq!(app.get("/articles/a-draft").await.0, 404);
    assert_eq!(app.get("/articles/a-future").await.0, 404);
    assert!(!app.get("/").await.1.contains("a-draft"));
}

#[tokio::test]
async fn static_assets_and_healthz_are_served_and_traversal_is_refused() {
    let app = spawn_app().await;
    let r = app.client.get(format!("{}/static/style.css", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(app.get("/static/../zeroopposite.db").await.0, 404);
    assert_eq!(app.get("/static/%2e%2e/zeroopposite.db").await.0, 404);
    assert_eq!(app.get("/healthz").await, (200, "ok\n".to_owned()));
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = spawn_app().await;
    let r = app.client.get(format!("{}/", app.base)).send().await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers().get("set-cookie").is_none(), "no cookies for readers");
}

#[tokio::test]
async fn a_theme_template_overrides_the_built_in_one() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(theme.path().join("templates")).unwrap();
    std::fs::write(theme.path().join("templates/tags.html"), "THEMED {{ tags | length }}").unwrap();
    let dir = theme.path().to_owned();
    let app = spawn_with(move |c| c.theme_dir = Some(dir)).await;
    let (status, html) = app.get("/tags").await;
    assert_eq!(status, 200);
    assert!(html.starts_with("THEMED "), "{html}");
}

#[tokio::test]
async fn a_save_drops_only_the_pages_it_can_change() {
    use zeroopposite::app::Route;
    use zeroopposite::domain::Slug;
    let app = spawn_app().await;
    app.import("pair-a.md", &article_md("pair-a", "Pair A", &["pairtag"], "One of a pair."));
    app.import("pair-b.md", &article_md("pair-b", "Pair B", &["pairtag"], "The other of the pair."));
    let cached = |slug: &str| app.app.cached_page(&Route::Article(Slug::parse(slug).unwrap())).is_some();
    for path in ["/articles/pair-a", "/articles/pair-b", "/articles/what-consent-means", "/", "/tags"] {
        assert_eq!(app.get(path).await.0, 200, "{path}");
    }
    assert!(cached("pair-b") && cached("what-consent-means"));

    app.import("pair-a.md", &article_md("pair-a", "Pair A, renamed", &["pairtag"], "One of a pair."));
    assert!(!cached("pair-a"), "its own page");
    assert!(!cached("pair-b"), "a page that lists it as related");
    assert!(cached("what-consent-means"), "an article that does not show it stays cached");
    assert!(
        app.app.cached_page(&Route::Home { page: 1 }).is_none()
            && app.app.cached_page(&Route::Tags).is_none()
    );
    for path in ["/articles/pair-b", "/tags/pairtag", "/articles/pair-a"] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("Pair A, renamed"), "{path} shows the new title");
    }
}

#[tokio::test]
async fn a_cached_page_is_sent_with_every_header_the_first_answer_had() {
    let app = spawn_app().await;
    for path in ["/", "/articles/what-consent-means", "/tags/healing", "/feed.atom", "/tags"] {
        let get_gzip =
            || app.client.get(format!("{}{path}", app.base)).header("accept-encoding", "gzip").send();
        let first = get_gzip().await.unwrap();
        let again = get_gzip().await.unwrap();
        assert_eq!((first.status().as_u16(), again.status().as_u16()), (200, 200), "{path}");
        let names = |r: &reqwest::Response| {
            let mut h: Vec<(String, String)> = r
                .headers()
                .iter()
                .filter(|(k, _)| *k != "date")
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
            h.sort();
            h
        };
        assert_eq!(names(&first), names(&again), "{path}");
        assert!(again.headers().contains_key("content-security-policy"), "{path}");
        let etag = again.headers()["etag"].to_str().unwrap().to_owned();
        let r = app
            .client
            .get(format!("{}{path}", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 304, "{path}");
        assert!(r.headers().contains_key("x-content-type-options"), "{path}");
    }
}
