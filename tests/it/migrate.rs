//! `zeroopposite migrate`: a site copied between SQLite and PostgreSQL comes out the same, with
//! its ids, history, accounts, sessions, redirects, messages and insights; a non-empty target is
//! refused with nothing written.

use crate::helpers::*;
use std::path::Path;
use zeroopposite::domain::{Message, MessageKind, Role, Username};
use zeroopposite::store::{Location, NewMessage, Store};

fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-06-01 12:00 UTC)
}

/// Everything a site holds, in a comparable form.
fn snapshot(store: &Store) -> String {
    let mut out = String::new();
    for a in store.all_articles().unwrap() {
        let revs: Vec<_> = store
            .revisions(&a.article.slug)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.at, r.who, r.note))
            .collect();
        out +=
            &format!("{:?} {} {:?} {:?}\n", a.article, a.body_html, (a.created, a.updated, a.sort_at), revs);
    }
    for u in store.users().unwrap() {
        out += &format!("{} {:?} {} {}\n", u.id, u.role, u.password_hash, u.created);
    }
    for m in store.messages(None).unwrap() {
        out += &format!("{m:?}\n");
    }
    out += &format!("{:?}\n{:?}\n", store.redirects().unwrap(), store.outbox_entries().unwrap());
    out += &format!("{:?}\n", store.session("hash-of-a-token").unwrap().map(|s| (s.user_id, s.csrf)));
    out += &format!("{:?}\n", store.top_searches("2000-01-01", 1, false, 100).unwrap());
    out += &format!("{:?}\n", store.changes_since(0).unwrap());
    out
}

fn migrate(from: &str, to: &str) -> (bool, String, String) {
    run_cli(&["migrate", "--from", from, "--to", to])
}

#[test]
fn the_demo_site_goes_to_postgresql_and_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let wxr = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wxr/site.xml");
    let (ok, _, e) =
        run_cli(&["--data", data.to_str().unwrap(), "import", "content/demo", wxr.to_str().unwrap()]);
    assert!(ok, "{e}");
    {
        let store = Store::open(&data).unwrap();
        let ana = Username::parse("ana").unwrap();
        assert!(store.create_user(&ana, Role::Admin, "$argon2id$v=19$fake", now()).unwrap());
        let id = store.user(&ana).unwrap().unwrap().id;
        store.create_session("hash-of-a-token", id, "csrf-token", None, now()).unwrap();
        let message =
            Message { name: None, email: None, kind: MessageKind::Question, body: "Is this normal?".into() };
        let m = NewMessage {
            message,
            ip_hash: "h".into(),
            submission_id: "s1".into(),
            spam_reason: None,
            notify: true,
        };
        store.insert_message(&m, now()).unwrap();
        store.record_searches(&[("2026-06-01".into(), "consent".into(), 4, 1)]).unwrap();
    }
    let before = snapshot(&Store::open(&data).unwrap());

    let pg = fresh_database();
    let (ok, out, e) = migrate(&format!("sqlite:{}", data.display()), &pg);
    assert!(ok, "{e}");
    assert!(out.contains("every table's count checked") && out.contains("articles"), "{out}");
    let on_pg = Store::open_at(&Location::Postgres(pg.clone())).unwrap();
    assert_eq!(snapshot(&on_pg), before, "the same site on PostgreSQL");
    // New rows continue after the copied ids.
    let next = NewMessage {
        message: Message { name: None, email: None, kind: MessageKind::General, body: "after".into() },
        ip_hash: "h".into(),
        submission_id: "s2".into(),
        spam_reason: None,
        notify: false,
    };
    let (id, _) = on_pg.insert_message(&next, now()).unwrap();
    assert_eq!(id, 2);
    on_pg.delete_message(id).unwrap();

    let back = dir.path().join("back");
    let (ok, _, e) = migrate(&pg, &format!("sqlite:{}", back.display()));
    assert!(ok, "{e}");
    assert_eq!(snapshot(&Store::open(&back).unwrap()), before, "and back on SQLite");

    // A target that holds a site is refused, and left as it was.
    let (ok, _, e) = migrate(&format!("sqlite:{}", data.display()), &pg);
    assert!(!ok);
    assert!(e.contains("already holds a site"), "{e}");
    assert_eq!(snapshot(&on_pg), before);
    let (ok, _, e) = migrate(&format!("sqlite:{}", dir.path().join("nothing").display()), &pg);
    assert!(!ok && e.contains("there is no site"), "{e}");
}

#[test]
fn a_thousand_article_site_moves_with_its_counts_checked() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    for i in 0..1000 {
        let text = article_md(
            &format!("article-{i}"),
            &format!("Article {i}"),
            &["bulk", &format!("t{}", i % 7)],
            "Body.",
        );
        std::fs::write(files.join(format!("a{i}.md")), text).unwrap();
    }
    let data = dir.path().join("site");
    let (ok, _, e) = run_cli(&["--data", data.to_str().unwrap(), "import", files.to_str().unwrap()]);
    assert!(ok, "{e}");
    let pg = fresh_database();
    let (ok, out, e) = migrate(&format!("sqlite:{}", data.display()), &pg);
    assert!(ok, "{e}");
    assert!(out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["articles", "1000"]), "{out}");
    let (a, b) = (Store::open(&data).unwrap(), Store::open_at(&Location::Postgres(pg)).unwrap());
    assert_eq!(b.article_count().unwrap(), 1000);
    assert_eq!(snapshot(&a), snapshot(&b));
}
