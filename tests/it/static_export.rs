//! `export --static`: every link in the export resolves to a file in it, and search works offline.

use crate::helpers::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&#x2f;", "/").replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn every_link_in_the_static_export_resolves_to_a_file() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (ok, stdout, err) = run_cli(&[
        "--data",
        data.path().to_str().unwrap(),
        "export",
        "--static",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(stdout.contains("exported"), "{stdout}");
    let mut all = Vec::new();
    files(out.path(), &mut all);
    let html: Vec<&PathBuf> = all.iter().filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    assert!(html.len() > 30, "{}", html.len());
    let mut checked = 0;
    let mut broken = BTreeSet::new();
    for page in &html {
        let text = std::fs::read_to_string(page).unwrap();
        for link in links(&text) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with('#')
            {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{}: root-relative link {link} would break under a base path",
                page.display()
            );
            let target = link.split(['#', '?']).next().unwrap();
            let resolved = page.parent().unwrap().join(target);
            checked += 1;
            if !resolved.is_file() {
                broken.insert(format!("{} -> {link}", page.strip_prefix(out.path()).unwrap().display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    assert!(checked > 500, "{checked}");
    for f in [
        "index.html",
        "404.html",
        "feed.atom",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        "search/meta.json",
        "tags/healing/feed.rss",
    ] {
        assert!(out.path().join(f).is_file(), "{f}");
    }
    let contact = std::fs::read_to_string(out.path().join("contact/index.html")).unwrap();
    assert!(
        contact.contains(r#"action="http:&#x2f;&#x2f;127.0.0.1:8080&#x2f;contact""#)
            || contact.contains("127.0.0.1:8080/contact"),
        "posts to the live site"
    );
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(out.path().join(f)).unwrap()).unwrap()
    };
    let meta = read("search/meta.json");
    assert_eq!(meta["docs"], 11);
    assert_eq!(meta["shards"], serde_json::json!([""]), "a small site needs one shard");
    let terms = read("search/t/_.json");
    assert!(terms["posttraumatic"].as_array().unwrap().len() >= 2, "hyphenated words are joined too");
    let first = terms["posttraumatic"][0].as_u64().unwrap() as usize;
    let chunk = read(&format!("search/d/{}.json", first / 10));
    let slug = chunk[first % 10][0].as_str().unwrap();
    assert!(out.path().join(format!("articles/{slug}/index.html")).is_file(), "{slug}");
    let search = std::fs::read_to_string(out.path().join("search/index.html")).unwrap();
    assert!(
        search.contains("static/search.js") && search.contains("#healing"),
        "script plus a useful page without it"
    );
}

#[tokio::test]
async fn exported_feeds_are_the_bytes_the_server_sends() {
    let app = spawn_app().await;
    let out = tempfile::tempdir().unwrap();
    let a = app.app.clone();
    let dir = out.path().to_owned();
    tokio::task::spawn_blocking(move || a.export_static(&dir, "https://live.example/contact", &|_, _| {}))
        .await
        .unwrap()
        .unwrap();
    for f in ["feed.atom", "feed.json", "sitemap.xml", "robots.txt", "static/style.css"] {
        let served = app.client.get(format!("{}/{f}", app.base)).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(std::fs::read(out.path().join(f)).unwrap(), served.to_vec(), "{f}");
    }
}

#[tokio::test]
async fn a_re_export_after_one_edit_rewrites_only_the_files_that_changed() {
    let app = spawn_app().await;
    let out = tempfile::tempdir().unwrap();
    let export = || {
        let (a, dir) = (app.app.clone(), out.path().to_owned());
        tokio::task::spawn_blocking(move || a.export_static(&dir, "https://live.example/contact", &|_, _| {}))
    };
    let first = export().await.unwrap().unwrap();
    assert_eq!(first.unchanged, 0);
    let again = export().await.unwrap().unwrap();
    assert_eq!(again.unchanged, again.files, "nothing changed, nothing rewritten");

    let page = out.path().join("articles/what-consent-means/index.html");
    let before = std::fs::read_to_string(&page).unwrap();
    let mut stored = app
        .store
        .article(&zeroopposite::domain::Slug::parse("what-consent-means").unwrap())
        .unwrap()
        .unwrap();
    stored.article.title = "What consent means, revised".into();
    let text = zeroopposite::content::writer::to_markdown_file(&stored.article);
    app.import("what-consent-means.md", &text);
    let after_edit = export().await.unwrap().unwrap();
    let rewritten = after_edit.files - after_edit.unchanged;
    assert!(
        rewritten > 0 && rewritten < after_edit.files / 4,
        "{rewritten} of {} rewritten",
        after_edit.files
    );
    let after = std::fs::read_to_string(&page).unwrap();
    assert!(after.contains("What consent means, revised") && !before.contains("revised"));
    assert_eq!(after_edit.compressed, first.compressed, "every copy is still there");
    let (gz, br) = compressed_copies(&page);
    assert_eq!((gz.as_str(), br.as_str()), (after.as_str(), after.as_str()), "the copies follow the edit");
}

/// The page's `.gz` and `.br` copies, decompressed.
fn compressed_copies(page: &Path) -> (String, String) {
    (gunzip(page), unbrotli(page))
}

fn copy(page: &Path, ext: &str) -> Vec<u8> {
    std::fs::read(format!("{}.{ext}", page.display()))
        .unwrap_or_else(|e| panic!("{}.{ext}: {e}", page.display()))
}

fn gunzip(page: &Path) -> String {
    use std::io::Read;
    let mut gz = String::new();
    flate2::read::GzDecoder::new(&copy(page, "gz")[..]).read_to_string(&mut gz).unwrap();
    gz
}

fn unbrotli(page: &Path) -> String {
    let mut br = Vec::new();
    brotli::BrotliDecompress(&mut &copy(page, "br")[..], &mut br).unwrap();
    String::from_utf8(br).unwrap()
}

#[tokio::test]
async fn every_text_file_of_the_export_has_gzip_and_brotli_copies_of_its_bytes() {
    let app = spawn_app().await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_owned();
    let a = app.app.clone();
    let report = tokio::task::spawn_blocking(move || {
        a.export_static(&dir, "https://live.example/contact", &|_, _| {})
    })
    .await
    .unwrap()
    .unwrap();
    let mut all = Vec::new();
    files(out.path(), &mut all);
    let mut copies = 0;
    for f in &all {
        let name = f.to_string_lossy();
        let text = [".html", ".css", ".js", ".svg", ".txt", ".xml", ".json", ".rss", ".atom"]
            .iter()
            .any(|e| name.ends_with(e));
        if !text || std::fs::metadata(f).unwrap().len() < 256 {
            continue;
        }
        let body = std::fs::read_to_string(f).unwrap();
        assert_eq!(gunzip(f), body, "{name}");
        let feed = f.file_name().unwrap().to_string_lossy().starts_with("feed.");
        if feed {
            assert!(!Path::new(&format!("{name}.br")).exists(), "feeds get gzip only: {name}");
        } else {
            assert_eq!(unbrotli(f), body, "{name}");
        }
        copies += if feed { 1 } else { 2 };
    }
    assert!(copies > 100, "{copies}");
    assert_eq!(report.compressed, copies);
}
