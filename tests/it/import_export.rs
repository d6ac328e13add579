//! `import` and `export` through the real binary and a real SQLite file.

use crate::helpers::*;
use std::path::Path;
use zeroopposite::domain::{Slug, Status};
use zeroopposite::store::Store;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import"))
}

#[test]
fn a_folder_of_good_and_bad_files_imports_the_good_and_names_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let good = fixtures().join("good");
    let (ok, _, _) = run_cli(&["--data", data, "import", good.to_str().unwrap()]);
    assert!(ok);
    let before =
        Store::open(dir.path()).unwrap().article(&Slug::parse("our-own-format").unwrap()).unwrap().unwrap();

    let (ok, stdout, stderr) = run_cli(&["--data", data, "import", fixtures().to_str().unwrap()]);

    assert!(!ok, "non-zero exit when a file failed");
    assert!(stdout.contains("0 created, 0 updated, 3 unchanged, 5 failed"), "{stdout}");
    for (file, line) in
        [("toml-syntax.md", 4), ("bad-tag.md", 3), ("no-title.md", 1), ("unclosed.md", 1), ("bad-date.md", 4)]
    {
        let needle = format!("{file}:{line}: error:");
        assert!(stderr.contains(&needle), "{needle} missing in:\n{stderr}");
    }
    assert!(stderr.contains("front-matter keys ignored"), "{stderr}");
    assert!(stderr.contains("`surprise` (1, first at ") && stderr.contains("ours.md:7)"), "{stderr}");
    let store = Store::open(dir.path()).unwrap();
    let after = store.article(&Slug::parse("our-own-format").unwrap()).unwrap().unwrap();
    assert_eq!(after.article, before.article, "a bad file did not change the stored article");
    assert_eq!(store.article_count().unwrap(), 3);
}

#[test]
fn zola_and_hugo_files_import_with_their_dates_tags_and_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run_cli(&[
        "--data",
        dir.path().to_str().unwrap(),
        "import",
        fixtures().join("good").to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let store = Store::open(dir.path()).unwrap();

    let zola = store.article(&Slug::parse("zola-style").unwrap()).unwrap().unwrap().article;
    assert_eq!(zola.status, Status::Draft);
    assert_eq!(zola.published.unwrap().to_string(), "2025-03-04 0:00:00.0 +00:00:00");
    assert_eq!(zola.updated.unwrap().date().to_string(), "2025-04-05");
    let tags: Vec<_> = zola.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["consent", "relationships", "guides"]);
    assert_eq!(zola.question.as_deref(), Some("Does Zola front matter import?"));

    let hugo = store.article(&Slug::parse("hugo-article").unwrap()).unwrap().unwrap().article;
    assert_eq!(hugo.status, Status::Published);
    assert_eq!(hugo.published.unwrap().unix_timestamp(), 1_735_032_600);
    assert_eq!(hugo.updated.unwrap().date().to_string(), "2025-01-02");
    let tags: Vec<_> = hugo.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["healing", "posttraumaticgrowth"]);

    let ours = store.article(&Slug::parse("our-own-format").unwrap()).unwrap().unwrap().article;
    let tags: Vec<_> = ours.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["healing", "connection", "bonding"]);
}

#[test]
fn export_then_import_round_trips_exactly() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (ok, _, e) = run_cli(&[
        "--data",
        first.path().to_str().unwrap(),
        "import",
        fixtures().join("good").to_str().unwrap(),
        "content/demo",
    ]);
    assert!(ok, "{e}");
    let (ok, stdout, e) = run_cli(&[
        "--data",
        first.path().to_str().unwrap(),
        "export",
        "--markdown",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{e}");
    assert!(stdout.contains("exported"), "{stdout}");
    let (ok, stdout, e) =
        run_cli(&["--data", second.path().to_str().unwrap(), "import", out.path().to_str().unwrap()]);
    assert!(ok, "{e}");
    assert!(!e.contains("warning"), "{e}");
    assert!(stdout.contains("0 failed"), "{stdout}");

    let a = Store::open(first.path()).unwrap().all_articles().unwrap();
    let b = Store::open(second.path()).unwrap().all_articles().unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.article, y.article);
        assert_eq!(x.body_html, y.body_html);
    }
    let (ok, stdout, _) =
        run_cli(&["--data", second.path().to_str().unwrap(), "import", out.path().to_str().unwrap()]);
    assert!(ok);
    assert!(stdout.contains(&format!("0 created, 0 updated, {} unchanged", a.len())), "{stdout}");
}

#[test]
fn every_save_keeps_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let store = open_store(&config);
    let site = zeroopposite::app::Site::open(config).unwrap();
    let import = |text: &str| site.import_text(&|_| true, "r.md", text).unwrap();
    import(&article_md("rev", "One", &[], "first"));
    import(&article_md("rev", "One", &[], "second"));
    let revs = store.revisions(&Slug::parse("rev").unwrap()).unwrap();
    assert_eq!(revs.len(), 2);
    assert!(revs[0].article.body.contains("first"));
    assert!(revs[1].article.body.contains("second"));
}

#[tokio::test]
async fn an_import_by_another_process_shows_on_the_running_site() {
    let app = spawn_app().await;
    let file = app.dir.path().join("fresh.md");
    let md = article_md("fresh-from-cli", "Fresh from the CLI", &["fresh"], "new")
        .replace("2026-01-01", "2026-11-30");
    std::fs::write(&file, md).unwrap();
    assert_eq!(app.get("/articles/fresh-from-cli").await.0, 404);
    let home_before = app.get("/").await.1;
    assert!(!home_before.contains("fresh-from-cli"));

    let (ok, _, e) = run_cli(&["--data", app.dir.path().to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(ok, "{e}");

    // Wait for the event (the server's change follower clearing the cache), bounded.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, home) = app.get("/").await;
        if home.contains("fresh-from-cli") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the site never showed the imported article");
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(app.get("/articles/fresh-from-cli").await.0, 200);
}
