//! Races the store must settle the same way on both backends, with several writers at once (threads
//! here stand for instances: on PostgreSQL each has its own connections, as instances do).

use crate::helpers::*;
use zeroopposite::domain::{Article, Role, Slug, Status, Username};
use zeroopposite::store::{Location, Store, StoreError};

/// One store on each backend: SQLite in a temp dir, and a fresh PostgreSQL database.
fn stores() -> Vec<(tempfile::TempDir, Store)> {
    let sqlite = tempfile::tempdir().unwrap();
    let s = Store::open(sqlite.path()).unwrap();
    let pg = Store::open_at(&Location::Postgres(fresh_database())).unwrap();
    vec![(sqlite, s), (tempfile::tempdir().unwrap(), pg)]
}

fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-06-01 12:00 UTC)
}

#[test]
fn of_concurrent_saves_from_the_same_revision_exactly_one_wins() {
    for (_dir, store) in stores() {
        let slug = Slug::parse("contested").unwrap();
        let mut a = Article::new(slug.clone(), "Contested".into(), Status::Draft);
        a.body = "first".into();
        store.save_article(&a, "<p>first</p>", 1, "ana", "new", now()).unwrap();
        let base = store.latest_revision_id(&slug).unwrap();
        let results: Vec<Result<_, StoreError>> = std::thread::scope(|s| {
            let tasks: Vec<_> = (0..8)
                .map(|i| {
                    let (store, mut a) = (&store, a.clone());
                    s.spawn(move || {
                        a.body = format!("edit {i}");
                        store.save_article_based_on(&a, "<p>x</p>", 1, "ed", "saved", now(), base)
                    })
                })
                .collect();
            tasks.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let won = results.iter().filter(|r| r.is_ok()).count();
        let lost = results.iter().filter(|r| matches!(r, Err(StoreError::Conflict))).count();
        assert_eq!((won, lost), (1, 7), "{:?}: {results:?}", store.dialect());
        assert_eq!(store.revisions(&slug).unwrap().len(), 2);
    }
}

#[test]
fn removing_admins_at_once_never_leaves_none() {
    for (_dir, store) in stores() {
        let names: Vec<Username> = ["ana", "ben", "cy"].iter().map(|n| Username::parse(n).unwrap()).collect();
        for n in &names {
            assert!(store.create_user(n, Role::Admin, "$argon2id$fake", now()).unwrap());
        }
        let outcomes: Vec<_> = std::thread::scope(|s| {
            let tasks: Vec<_> = names.iter().map(|n| s.spawn(|| store.remove_user(n).unwrap())).collect();
            tasks.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(outcomes.iter().filter(|o| **o == Ok(true)).count(), 2, "{outcomes:?}");
        assert_eq!(outcomes.iter().filter(|o| o.is_err()).count(), 1, "{outcomes:?}");
        assert_eq!(store.users().unwrap().len(), 1, "{:?}", store.dialect());
    }
}

#[test]
fn the_contact_limit_counts_exactly_with_thirty_posts_at_once() {
    for (_dir, store) in stores() {
        let taken: Vec<Option<i64>> = std::thread::scope(|s| {
            let tasks: Vec<_> = (0..30)
                .map(|_| s.spawn(|| store.take_rate("addr", 5, time::Duration::hours(1), now()).unwrap()))
                .collect();
            tasks.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(taken.iter().filter(|t| t.is_none()).count(), 5, "{:?}", store.dialect());
        assert!(taken.iter().flatten().all(|wait| *wait == 3600), "{taken:?}");
        let later = now() + time::Duration::hours(1);
        assert_eq!(
            store.take_rate("addr", 5, time::Duration::hours(1), later).unwrap(),
            None,
            "a new window"
        );
    }
}

#[test]
fn three_instances_schedulers_publish_a_due_article_once() {
    let url = fresh_database();
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let key = dirs[0].path().join("shared.key");
    let apps: Vec<zeroopposite::app::App> = dirs
        .iter()
        .map(|d| {
            let mut c = test_config(d.path());
            c.demo_content = false;
            c.database_url = Some(url.clone());
            c.secret_key_file = Some(key.clone());
            let clock = std::sync::Arc::new(zeroopposite::app::FixedClock::new(now()));
            zeroopposite::app::App::open_with_clock(c, clock).unwrap()
        })
        .collect();
    let store = Store::open_at(&Location::Postgres(url)).unwrap();
    let slug = Slug::parse("on-time").unwrap();
    let mut a = Article::new(slug.clone(), "On time".into(), Status::Scheduled);
    a.body = "Published by whichever scheduler comes first.".into();
    a.published = Some(now() + time::Duration::minutes(1));
    store.save_article(&a, "<p>x</p>", 1, "ana", "scheduled", now()).unwrap();
    let due = now() + time::Duration::minutes(2);
    let published: Vec<Vec<Slug>> = std::thread::scope(|s| {
        let tasks: Vec<_> = apps.iter().map(|app| s.spawn(move || app.publish_due(due).unwrap())).collect();
        tasks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(published.iter().map(Vec::len).sum::<usize>(), 1, "one scheduler published it: {published:?}");
    let by_scheduler = store.revisions(&slug).unwrap().into_iter().filter(|r| r.who == "scheduler").count();
    assert_eq!(by_scheduler, 1);
    assert_eq!(store.article(&slug).unwrap().unwrap().article.status, Status::Published);
}
