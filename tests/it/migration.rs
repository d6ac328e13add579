//! Moving in from WordPress, Hugo and Zola through the real binary: counts, dates, tags, drafts,
//! shortcode reports, safe XML, and old permalinks answering `301`.

use crate::helpers::*;
use std::path::{Path, PathBuf};
use zeroopposite::domain::{Article, Slug, Status};
use zeroopposite::store::Store;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

fn import(data: &Path, paths: &[&Path]) -> (bool, String, String) {
    let mut args = vec!["--data", data.to_str().unwrap(), "import"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    run_cli(&args)
}

fn article(store: &Store, slug: &str) -> Article {
    store.article(&Slug::parse(slug).unwrap()).unwrap().unwrap_or_else(|| panic!("no article {slug}")).article
}

fn tags(a: &Article) -> Vec<&str> {
    a.tags.iter().map(|t| t.as_str()).collect()
}

#[test]
fn a_wordpress_export_imports_with_the_right_counts_and_reports_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();

    let (ok, stdout, stderr) = import(dir.path(), &[&fixture("wxr/site.xml")]);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("site.xml: WordPress export: 5 posts and 2 pages"), "{stdout}");
    assert!(
        stdout.contains("site.xml: skipped: comments 1, attachments 1, menu items 1, other 1 (wp_block 1)"),
        "{stdout}"
    );
    assert!(stdout.contains("site.xml: 7 old addresses kept as 301 redirects"), "{stdout}");
    assert!(stdout.contains("imported 7 articles: 7 created, 0 updated, 0 unchanged, 0 failed"), "{stdout}");
    assert!(stderr.contains("warning: WordPress shortcode [gallery] is left as text"), "{stderr}");
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.article_count().unwrap(), 7);
    let numb = article(&store, "feeling-numb");
    assert_eq!(numb.status, Status::Published);
    assert_eq!(numb.author.as_deref(), Some("Dr Alex Kim"));
    assert_eq!(tags(&numb), ["trauma", "numbness", "copingrecovery"]);
    assert!(numb.body.contains("## What numbness can be"), "{}", numb.body);
    assert_eq!(article(&store, "what-s-a-safe-first-step").status, Status::Draft);
    assert_eq!(article(&store, "press").status, Status::Draft);
    assert_eq!(article(&store, "sleep-after-trauma").status, Status::Scheduled);

    let (ok, stdout, _) = import(dir.path(), &[&fixture("wxr/site.xml")]);

    assert!(ok);
    assert!(stdout.contains("imported 7 articles: 0 created, 0 updated, 7 unchanged, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn an_old_permalink_answers_301_to_the_new_address() {
    let app = spawn_with(|_| {}).await;
    let path = app.dir.path().to_owned();
    let (ok, _, stderr) =
        tokio::task::spawn_blocking(move || import(&path, &[&fixture("wxr/site.xml")])).await.unwrap();
    assert!(ok, "{stderr}");
    app.app.refresh_if_changed().unwrap();

    for (old, new) in [
        ("/2019/05/feeling-numb/", "/articles/feeling-numb"),
        ("/2019/05/feeling-numb", "/articles/feeling-numb"),
        ("/?p=101", "/articles/feeling-numb"),
        ("/?p=102&utm_source=newsletter", "/articles/talking-to-a-partner"),
        ("/about/", "/articles/about"),
        ("/?page_id=104", "/articles/about"),
    ] {
        let r = app.client.get(format!("{}{old}", app.base)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 301, "{old}");
        assert_eq!(r.headers()["location"], new, "{old}");
    }
    let (status, html) = app.get("/articles/feeling-numb").await;
    assert_eq!(status, 200);
    assert!(html.contains("What numbness can be"), "{html}");
    let (status, html) = app.get("/articles/feeling-numb").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/articles/talking-to-a-partner\""),
        "old internal links point at new pages"
    );

    let (status, html) = app.get("/2019/05/no-such-post/").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    assert_eq!(app.get("/?p=103").await.0, 404, "a draft's ?p= address is not kept, nor is it the home page");
    assert_eq!(app.get("/?utm_source=newsletter").await.0, 200, "other queries on / are the home page");
    assert_eq!(app.get("/2021/04/notes-for-the-team/").await.0, 404, "nor a private post's permalink");
}

#[test]
fn an_external_entity_in_an_export_does_not_read_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-7431 root:x:0:0\n").unwrap();
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n  <!ENTITY x SYSTEM \"file://{}\">\n]>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel><wp:wxr_version>1.2</wp:wxr_version>\n\
         <item><title>Entity &x; test</title><content:encoded>Before &x; after</content:encoded>\
         <wp:post_id>1</wp:post_id><wp:post_name>entity-test</wp:post_name><wp:status>publish</wp:status>\
         <wp:post_type>post</wp:post_type></item>\n</channel></rss>\n",
        secret.display()
    );
    let export = dir.path().join("entity.xml");
    std::fs::write(&export, xml).unwrap();
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &[&export]);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stderr.contains("entity.xml:2: warning: the <!DOCTYPE> is ignored"), "{stderr}");
    assert!(stderr.contains("`&x;` is not resolved"), "{stderr}");
    let store = Store::open(&data).unwrap();
    let a = article(&store, "entity-test");
    let stored = serde_json::to_string(&a).unwrap();
    assert!(!stored.contains("TOP-SECRET") && !stored.contains("root:x"), "{stored}");
    assert!(a.body.contains("Before") && a.body.contains("&x;") && a.body.contains("after"), "{}", a.body);
}

#[test]
fn a_malformed_export_fails_naming_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("broken.xml");
    let xml = std::fs::read_to_string(fixture("wxr/site.xml"))
        .unwrap()
        .replace("<title>About us</title>", "<title>About us</titel>");
    let line = xml.lines().position(|l| l.contains("</titel>")).unwrap() + 1;
    std::fs::write(&export, xml).unwrap();
    let data = dir.path().join("data");

    let (ok, stdout, stderr) = import(&data, &[&export]);

    assert!(!ok, "non-zero exit");
    assert!(stderr.contains(&format!("broken.xml:{line}:")), "line {line} in: {stderr}");
    assert!(stderr.contains("error: this is not well-formed XML"), "{stderr}");
    assert!(stdout.contains("0 created, 0 updated, 0 unchanged, 1 failed"), "{stdout}");
    assert_eq!(
        Store::open(&data).unwrap().article_count().unwrap(),
        0,
        "nothing of a broken file is imported"
    );
}

#[test]
fn a_hugo_content_folder_imports_with_dates_tags_drafts_and_reported_shortcodes() {
    let dir = tempfile::tempdir().unwrap();
    let content = fixture("hugo-site/content");

    let (ok, stdout, stderr) = import(dir.path(), &[&content]);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("imported 4 files: 4 created, 0 updated, 0 unchanged, 0 failed"), "{stdout}");
    assert!(
        stdout.contains("sections: posts (2 articles, reported only), trauma (1 article, tagged #trauma)"),
        "{stdout}"
    );
    assert!(stdout.contains("content/_index.md: skipped: a section's list page"), "{stdout}");
    assert!(stdout.contains("posts/_index.md: skipped: a section's list page"), "{stdout}");
    assert!(stdout.contains("content: 1 other file not imported (images, bundle resources)"), "{stdout}");
    assert!(stderr.contains("first-night-back.md:12: warning: shortcode `{{< youtube >}}`"), "{stderr}");
    assert!(stderr.contains("first-night-back.md:14: warning: shortcode `{{% note %}}`"), "{stderr}");
    assert!(stderr.contains("grounding.md:8: warning: shortcode `{{< figure >}}`"), "{stderr}");
    let store = Store::open(dir.path()).unwrap();
    let night = article(&store, "first-night-back");
    assert_eq!(night.status, Status::Published);
    assert_eq!(night.published.unwrap().unix_timestamp(), 1_735_029_000, "2024-12-24T08:30:00Z");
    assert_eq!(night.updated.unwrap().date().to_string(), "2025-01-02");
    assert_eq!(tags(&night), ["sleep", "selfcare", "recovery"]);
    assert!(night.body.contains("{{< youtube w7Ft2ymGmfc >}}"), "shortcodes stay in the text");
    let bundle = article(&store, "talking-it-through");
    assert_eq!(bundle.status, Status::Draft);
    assert_eq!(bundle.published.unwrap().date().to_string(), "2025-02-03");
    let grounding = article(&store, "grounding");
    assert_eq!(tags(&grounding), ["grounding", "trauma"]);
    assert_eq!(grounding.published.unwrap().date().to_string(), "2025-01-10");
    assert_eq!(tags(&article(&store, "about")), Vec::<&str>::new());
}

#[test]
fn a_zola_site_imports_with_dates_from_file_names_taxonomies_drafts_and_reported_shortcodes() {
    let dir = tempfile::tempdir().unwrap();
    let site = fixture("zola-site");

    let (ok, stdout, stderr) = import(dir.path(), &[&site]);

    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("imported 3 files: 3 created, 0 updated, 0 unchanged, 0 failed"), "{stdout}");
    assert!(
        stdout.contains(
            "sections: blog (2 articles, reported only), relationships (1 article, tagged #relationships)"
        ),
        "{stdout}"
    );
    assert!(
        stderr.contains("2024-03-01-slow-mornings.md:9: warning: shortcode `{{ youtube() }}`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("boundaries/index.md:14: warning: shortcode `{% quote() %}…{% end %}`"),
        "{stderr}"
    );
    let store = Store::open(dir.path()).unwrap();
    let slow = article(&store, "slow-mornings");
    assert_eq!(slow.status, Status::Published);
    assert_eq!(slow.published.unwrap().date().to_string(), "2024-03-01", "date from the file name");
    assert_eq!(tags(&slow), ["sleep"]);
    let no = article(&store, "boundaries");
    assert_eq!(no.status, Status::Draft);
    assert_eq!(no.published.unwrap().date().to_string(), "2024-05-02");
    assert_eq!(tags(&no), ["consent", "boundaries"]);
    assert_eq!(no.question.as_deref(), Some("How do I say no to a partner without feeling guilty?"));
    let repair = article(&store, "repair");
    assert_eq!(repair.published.unwrap().unix_timestamp(), 1_700_467_200, "2023-11-20T08:00:00Z");
    assert_eq!(repair.updated.unwrap().date().to_string(), "2023-12-01");
    assert_eq!(tags(&repair), ["conflict", "relationships"]);
}
