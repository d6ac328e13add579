//! Golden test of the stored format: rows and revisions written by every earlier version of `Article`
//! (SQL dumps in tests/fixtures/stored/) still read, field for field, and the site still serves them.

use crate::helpers::*;
use std::path::Path;
use time::macros::{date, datetime};
use zeroopposite::domain::{Article, Slug, Status};
use zeroopposite::store::Store;

/// A data dir whose database is the dump `name`.
fn data_dir_from(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stored").join(name),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("zeroopposite.db")).unwrap();
    conn.execute_batch(&sql).unwrap();
    drop(conn);
    dir
}

#[test]
fn rows_and_revisions_written_by_v1_read_field_for_field() {
    let a = check_golden("v1.sql");
    assert_eq!(a.language, None, "v1 had no language: it reads as absent");
}

#[test]
fn rows_and_revisions_written_by_v2_read_field_for_field() {
    let a = check_golden("v2.sql");
    assert_eq!(a.language.as_deref(), Some("pt-BR"));
}

/// Checks the fields every version since v1 has; returns the article for the version's own.
fn check_golden(name: &str) -> Article {
    let dir = data_dir_from(name);
    let store = Store::open(dir.path()).unwrap();
    let slug = Slug::parse("golden-stored-format").unwrap();
    let a = store.article(&slug).unwrap().expect("the v1 row reads").article;
    assert_eq!(a.title, "Golden Article For The Stored Format");
    assert_eq!(a.description, "A fixture article with every field filled.");
    assert_eq!(a.question.as_deref(), Some("Does every stored field read back?"));
    assert_eq!(a.answer.as_deref(), Some("Yes: each field is checked by the golden test."));
    assert_eq!(a.body, "The second body, citing (Bonanno, 2004).\n");
    assert_eq!(a.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(), ["fixtures", "storedformat"]);
    assert_eq!(a.content_notes, ["none really"]);
    assert_eq!(a.references.len(), 2);
    assert_eq!(a.references[0].key.as_deref(), Some("Bonanno, 2004"));
    assert_eq!(a.references[0].doi.as_deref(), Some("10.1037/0003-066X.59.1.20"));
    assert_eq!(a.references[1].url.as_deref(), Some("https://example.org/page"));
    assert_eq!(a.author.as_deref(), Some("Ana Fixture"));
    assert_eq!(a.reviewer.as_deref(), Some("Dr Ben Reviewer"));
    assert_eq!(a.last_reviewed, Some(date!(2026 - 10 - 01)));
    assert_eq!(a.next_review, Some(date!(2027 - 10 - 01)));
    assert_eq!(a.disclosure.as_deref(), Some("No funding; no advertising."));
    assert_eq!(a.status, Status::Published);
    assert_eq!(a.published, Some(datetime!(2026-09-15 08:30 UTC)));
    assert_eq!(a.created, Some(datetime!(2026-09-01 10:00 UTC)));
    assert_eq!(a.updated, Some(datetime!(2026-09-20 12:00 UTC)));

    let revisions = store.revisions(&slug).unwrap();
    assert_eq!(revisions.len(), 2, "both revisions read");
    let bodies: Vec<&str> = revisions.iter().map(|r| r.article.body.as_str()).collect();
    assert!(bodies.iter().any(|b| b.starts_with("The first body")), "{bodies:?}");
    assert!(bodies.iter().any(|b| b.starts_with("The second body")), "{bodies:?}");

    let draft =
        store.article(&Slug::parse("golden-draft").unwrap()).unwrap().expect("the draft reads").article;
    assert_eq!((draft.title.as_str(), draft.status), ("Golden Draft", Status::Draft));
    assert!(draft.question.is_none() && draft.references.is_empty() && draft.published.is_none());
    a
}

#[tokio::test]
async fn a_v1_data_dir_is_served_and_its_history_shown() {
    if on_postgres() {
        return; // the fixtures are SQLite databases written by earlier versions
    }
    let dir = data_dir_from("v1.sql");
    let data = dir.path().to_owned();
    let app = spawn_with(move |c| {
        c.data_dir = data;
        c.demo_content = false;
    })
    .await;
    let (status, page) = app.get("/articles/golden-stored-format").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("GOLDEN ARTICLE FOR THE STORED FORMAT") || page.contains("Golden Article"),
        "{page}"
    );
    assert!(page.contains("Dr Ben Reviewer"));
    let history = app.app.history(&Slug::parse("golden-stored-format").unwrap()).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].changed, ["body"], "the diff of two v1 revisions");
    drop(dir);
}

#[tokio::test]
async fn a_language_goes_from_a_file_to_the_page_and_the_export() {
    let app = spawn_app().await;
    let text = article_md("sim-ou-nao", "Sim ou não", &["consent"], "Texto.")
        .replace("+++\nTexto", "language = \"pt-BR\"\n+++\nTexto");
    app.import("sim-ou-nao.md", &text);
    let (status, page) = app.get("/articles/sim-ou-nao").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<html lang="pt-BR">"#), "{page}");
    let out = tempfile::tempdir().unwrap();
    let (ok, _, e) = run_cli(&[
        "--data",
        app.dir.path().to_str().unwrap(),
        "export",
        "--markdown",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{e}");
    let written = std::fs::read_to_string(out.path().join("sim-ou-nao.md")).unwrap();
    assert!(written.contains("language = \"pt-BR\""), "{written}");
}
