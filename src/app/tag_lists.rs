//! Articles by tag, in memory: the ranking of related articles (the articles sharing the most tags
//! with a page, newest first among equals) and the order of tag pages and tag feeds.
//!
//! Both used to be SQL that read every article with the tag, and a common tag is on half the site:
//! at 10,000 articles one article page spent ~9 ms counting shared tags and a tag page ~5 ms, most
//! of a cache miss and of a static export. Here each tag's list is integers in memory, in listing
//! order (a few MB at 100,000 articles), built at start and kept in step by the change log like the
//! page cache, so a ranking or a page costs microseconds; only the articles shown are read from the
//! store.

use crate::domain::Tag;
use crate::store::{StoreError, TagLink};
use std::collections::HashMap;
use std::sync::RwLock;
use time::OffsetDateTime;

/// One article as the ranking needs it.
#[derive(Debug)]
struct Entry {
    slug: String,
    /// When it became or becomes public (unix seconds); `None` while it is not to be shown.
    public_from: Option<i64>,
    sort_at: i64,
    tags: Vec<u32>,
}

#[derive(Debug, Default)]
struct Lists {
    /// Articles by index; a removed one leaves `None`.
    entries: Vec<Option<Entry>>,
    by_slug: HashMap<String, u32>,
    tag_ids: HashMap<String, u32>,
    /// For each tag id, the indexes of the articles with it, newest first (then by slug).
    by_tag: Vec<Vec<u32>>,
}

/// The in-memory lists; `Sync`, read by every page render, written on change.
#[derive(Debug, Default)]
pub struct TagLists {
    lists: RwLock<Lists>,
}

fn public_from(link: &TagLink) -> Option<i64> {
    match link.status.as_str() {
        "published" => Some(i64::MIN),
        "scheduled" => link.published_at,
        _ => None,
    }
}

impl Lists {
    fn remove(&mut self, slug: &str) {
        let Some(i) = self.by_slug.remove(slug) else { return };
        if let Some(entry) = self.entries[i as usize].take() {
            for t in entry.tags {
                self.by_tag[t as usize].retain(|&x| x != i);
            }
        }
    }

    fn tag_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.tag_ids.get(name) {
            return id;
        }
        let id = self.by_tag.len() as u32;
        self.by_tag.push(Vec::new());
        self.tag_ids.insert(name.to_owned(), id);
        id
    }

    /// Renumbers the articles without the holes removals left.
    fn compact(&mut self) {
        let old = std::mem::take(&mut self.entries);
        self.by_slug.clear();
        self.by_tag.iter_mut().for_each(Vec::clear);
        for e in old.into_iter().flatten() {
            let i = self.entries.len() as u32;
            for &t in &e.tags {
                self.by_tag[t as usize].push(i);
            }
            self.by_slug.insert(e.slug.clone(), i);
            self.entries.push(Some(e));
        }
        self.sort();
    }

    /// Adds the articles of `links` (rows of one article are adjacent), replacing any held already;
    /// `in_order` puts each in its place in its tags' lists, otherwise they are appended (a bulk
    /// load sorts once at the end).
    fn insert(&mut self, links: &[TagLink], in_order: bool) {
        for rows in links.chunk_by(|a, b| a.slug == b.slug) {
            let first = &rows[0];
            self.remove(&first.slug);
            let i = self.entries.len() as u32;
            let tags: Vec<u32> = rows.iter().map(|r| self.tag_id(&r.tag)).collect();
            let entry = Entry {
                slug: first.slug.clone(),
                public_from: public_from(first),
                sort_at: first.sort_at,
                tags,
            };
            for &t in &entry.tags {
                let list = &self.by_tag[t as usize];
                let at = if in_order {
                    list.partition_point(|&j| {
                        self.entries[j as usize].as_ref().is_some_and(|e| listed_before(e, &entry))
                    })
                } else {
                    list.len()
                };
                self.by_tag[t as usize].insert(at, i);
            }
            self.by_slug.insert(first.slug.clone(), i);
            self.entries.push(Some(entry));
        }
    }

    /// Puts every tag's list in listing order (after a bulk load).
    fn sort(&mut self) {
        let entries = &self.entries;
        for list in &mut self.by_tag {
            list.sort_unstable_by(|&a, &b| {
                let (a, b) = (entries[a as usize].as_ref(), entries[b as usize].as_ref());
                match (a, b) {
                    (Some(a), Some(b)) => order(a, b),
                    _ => std::cmp::Ordering::Equal,
                }
            });
        }
    }
}

impl TagLists {
    /// Builds the lists from every article's tags.
    pub fn load(links: &[TagLink]) -> TagLists {
        let mut lists = Lists::default();
        lists.insert(links, false);
        lists.sort();
        TagLists { lists: RwLock::new(lists) }
    }

    /// A page of the public articles with `tag` in listing order (newest first), and how many
    /// there are.
    pub fn tagged(&self, tag: &Tag, now: OffsetDateTime, offset: usize, limit: usize) -> (Vec<String>, u64) {
        let lists = self.lists.read().unwrap_or_else(|p| p.into_inner());
        let Some(&t) = lists.tag_ids.get(tag.as_str()) else { return (Vec::new(), 0) };
        let now = now.unix_timestamp();
        let mut total = 0u64;
        let mut page = Vec::with_capacity(limit);
        for &i in &lists.by_tag[t as usize] {
            let Some(e) = lists.entries[i as usize].as_ref() else { continue };
            if e.public_from.is_none_or(|p| p > now) {
                continue;
            }
            if total as usize >= offset && page.len() < limit {
                page.push(e.slug.clone());
            }
            total += 1;
        }
        (page, total)
    }

    /// Replaces everything with `links` (after a change too broad to pick articles from).
    pub fn reload(&self, links: &[TagLink]) {
        *self.lists.write().unwrap_or_else(|p| p.into_inner()) = TagLists::load(links).into_inner();
    }

    /// Replaces the articles `slugs` with what `links` now says of them (none: deleted or untagged).
    pub fn update(&self, slugs: &[&str], links: &[TagLink]) {
        let mut lists = self.lists.write().unwrap_or_else(|p| p.into_inner());
        for slug in slugs {
            lists.remove(slug);
        }
        lists.insert(links, true);
        // Removed entries leave holes; close them once they are most of the list.
        if lists.entries.len() > 1024 && lists.by_slug.len() < lists.entries.len() / 2 {
            lists.compact();
        }
    }

    fn into_inner(self) -> Lists {
        self.lists.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    /// Up to `limit` public articles sharing the most of `tags`, newest first among equals, slug
    /// last; never `exclude` (the page's own article).
    pub fn related(&self, tags: &[Tag], exclude: &str, now: OffsetDateTime, limit: usize) -> Vec<String> {
        let lists = self.lists.read().unwrap_or_else(|p| p.into_inner());
        let now = now.unix_timestamp();
        let mut shared: HashMap<u32, u32> = HashMap::new();
        for tag in tags {
            let Some(&t) = lists.tag_ids.get(tag.as_str()) else { continue };
            for &i in &lists.by_tag[t as usize] {
                *shared.entry(i).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, &Entry)> = shared
            .into_iter()
            .filter_map(|(i, n)| lists.entries[i as usize].as_ref().map(|e| (n, e)))
            .filter(|(_, e)| e.slug != exclude && e.public_from.is_some_and(|p| p <= now))
            .collect();
        let order = |a: &(u32, &Entry), b: &(u32, &Entry)| b.0.cmp(&a.0).then(order(a.1, b.1));
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked.into_iter().map(|(_, e)| e.slug.clone()).collect()
    }
}

/// Listing order: newest first, then by slug.
fn order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.sort_at.cmp(&a.sort_at).then(a.slug.cmp(&b.slug))
}

/// Whether `a` comes before `b` in a listing.
fn listed_before(a: &Entry, b: &Entry) -> bool {
    order(a, b) == std::cmp::Ordering::Less
}

/// Loads every article's tag links from the store.
pub(super) fn load(store: &crate::store::Store) -> Result<TagLists, StoreError> {
    Ok(TagLists::load(&store.tag_links(None)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(slug: &str, status: &str, sort_at: i64, tag: &str) -> TagLink {
        TagLink {
            slug: slug.into(),
            status: status.into(),
            published_at: Some(sort_at),
            sort_at,
            tag: tag.into(),
        }
    }

    fn tags(names: &[&str]) -> Vec<Tag> {
        names.iter().map(|n| Tag::parse(n).unwrap()).collect()
    }

    fn at(unix: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix).unwrap()
    }

    fn sample() -> TagLists {
        TagLists::load(&[
            link("me", "published", 50, "a"),
            link("me", "published", 50, "b"),
            link("two", "published", 10, "a"),
            link("two", "published", 10, "b"),
            link("old", "published", 1, "a"),
            link("new", "published", 40, "a"),
            link("draft", "draft", 99, "a"),
            link("draft", "draft", 99, "b"),
            link("later", "scheduled", 200, "a"),
            link("later", "scheduled", 200, "b"),
        ])
    }

    #[test]
    fn most_shared_tags_first_then_newest_and_never_the_page_itself_or_what_is_not_public() {
        let r = sample();
        assert_eq!(r.related(&tags(&["a", "b"]), "me", at(100), 3), ["two", "new", "old"]);
        assert_eq!(r.related(&tags(&["a", "b"]), "me", at(100), 1), ["two"]);
        assert_eq!(
            r.related(&tags(&["a", "b"]), "me", at(300), 2),
            ["later", "two"],
            "a scheduled article counts once its time has come"
        );
        assert!(r.related(&tags(&["zzz"]), "me", at(100), 3).is_empty());
    }

    #[test]
    fn an_update_replaces_an_article_and_an_empty_one_removes_it() {
        let r = sample();
        r.update(&["old"], &[link("old", "published", 1, "a"), link("old", "published", 1, "b")]);
        assert_eq!(r.related(&tags(&["a", "b"]), "me", at(100), 2), ["two", "old"]);
        r.update(&["two"], &[]);
        assert_eq!(r.related(&tags(&["a", "b"]), "me", at(100), 3), ["old", "new"]);
        r.update(&["two"], &[link("two", "draft", 10, "a")]);
        assert_eq!(r.related(&tags(&["a", "b"]), "me", at(100), 3), ["old", "new"], "unpublished");
    }

    #[test]
    fn tag_pages_list_public_articles_newest_first_and_follow_updates() {
        let r = sample();
        let a = Tag::parse("a").unwrap();
        assert_eq!(r.tagged(&a, at(100), 0, 10), (strings(&["me", "new", "two", "old"]), 4));
        assert_eq!(r.tagged(&a, at(100), 1, 2), (strings(&["new", "two"]), 4));
        assert_eq!(r.tagged(&a, at(300), 0, 1), (strings(&["later"]), 5));
        r.update(&["old"], &[link("old", "published", 45, "a")]);
        assert_eq!(
            r.tagged(&a, at(100), 0, 10).0,
            strings(&["me", "old", "new", "two"]),
            "moved by its new date"
        );
        r.update(&["aa"], &[link("aa", "published", 45, "a")]);
        assert_eq!(
            r.tagged(&a, at(100), 0, 10).0,
            strings(&["me", "aa", "old", "new", "two"]),
            "then by slug"
        );
        assert_eq!(r.tagged(&Tag::parse("none").unwrap(), at(100), 0, 10), (vec![], 0));
    }

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn many_updates_compact_the_lists_without_changing_answers() {
        let r = sample();
        for round in 0..3000 {
            let status = if round % 2 == 0 { "draft" } else { "published" };
            r.update(&["new"], &[link("new", status, 40, "a")]);
        }
        assert_eq!(r.related(&tags(&["a"]), "me", at(100), 3), ["new", "two", "old"]);
        assert!(r.lists.read().unwrap().entries.len() < 2100, "compacted");
    }
}
