//! Hugo and Zola `content/` folders: what a Markdown file's place in the folder says about it.
//!
//! - `_index.md` is a section's own list page, not an article: it is skipped and reported.
//! - A page bundle (`my-post/index.md`) takes the folder's name as its slug, as both tools do.
//! - A name starting with a date (`2019-05-14-my-post.md`, Zola's convention) gives the date and the slug.
//! - The top folder under `content/` is the section. A topical section (`trauma/`) becomes a tag; a
//!   container (`posts/`, `blog/`, `articles/` …) says nothing about the subject and is only reported.
//!
//! The front matter always wins over what the path suggests.

use crate::domain::Tag;
use time::{Date, OffsetDateTime, Time};

/// Files whose presence beside a `content/` folder marks a Hugo or Zola site.
pub const SITE_CONFIG_FILES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "zola.toml",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Section names that only group pages.
const CONTAINER_SECTIONS: &[&str] =
    &["posts", "post", "blog", "articles", "article", "news", "pages", "page", "entries", "writing"];

/// What a file in a content folder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// `_index.md`: a section's list page.
    SectionIndex,
    /// An article.
    Page(Place),
}

/// What the path says about an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The top folder under `content/`, if the page is inside one.
    pub section: Option<String>,
    /// The slug the path gives (bundle folder or file name, without a date prefix).
    pub slug: Option<String>,
    /// The date a date-prefixed name gives.
    pub date: Option<OffsetDateTime>,
}

/// Classifies the file at `rel`: the path components below `content/`, the file name last.
pub fn classify(rel: &[&str]) -> Entry {
    let Some((file, dirs)) = rel.split_last() else {
        return Entry::Page(Place::default());
    };
    let stem = file.rsplit_once('.').map_or(*file, |(s, _)| s);
    // Translations (`index.fr.md`) share the rules of the base name.
    let base = stem.split('.').next().unwrap_or(stem);
    if base == "_index" {
        return Entry::SectionIndex;
    }
    let bundle = base == "index";
    let name = if bundle { dirs.last().copied() } else { Some(base) };
    // `content/about/index.md` is a bundle at the top, not a section.
    let section_depth = if bundle { 2 } else { 1 };
    let section = (dirs.len() >= section_depth).then(|| dirs[0].to_owned());
    let (date, slug) = match name {
        Some(n) => match date_prefix(n) {
            Some((d, rest)) => (Some(d), Some(rest.to_owned()).filter(|r| !r.is_empty())),
            None => (None, Some(n.to_owned())),
        },
        None => (None, None),
    };
    Entry::Page(Place { section, slug, date })
}

/// The tag a section becomes, or `None` for a container section (or a name that is not a tag).
pub fn section_tag(section: &str) -> Option<Tag> {
    if CONTAINER_SECTIONS.contains(&section.to_ascii_lowercase().as_str()) {
        return None;
    }
    Tag::parse(section).ok()
}

/// `2019-05-14-my-post` → (2019-05-14, `my-post`).
fn date_prefix(name: &str) -> Option<(OffsetDateTime, &str)> {
    let head = name.get(..10)?;
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let date = Date::parse(head, fmt).ok()?;
    let rest = &name[10..];
    let rest = match rest.chars().next() {
        None => "",
        Some('-' | '_') => &rest[1..],
        Some(_) => return None,
    };
    Some((date.with_time(Time::MIDNIGHT).assume_utc(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &[&str]) -> Place {
        match classify(rel) {
            Entry::Page(p) => p,
            Entry::SectionIndex => panic!("{rel:?} is a section index"),
        }
    }

    #[test]
    fn section_index_files_are_not_articles() {
        assert_eq!(classify(&["posts", "_index.md"]), Entry::SectionIndex);
        assert_eq!(classify(&["_index.md"]), Entry::SectionIndex);
    }

    #[test]
    fn a_page_bundle_takes_its_folder_name() {
        let p = page(&["posts", "my-post", "index.md"]);
        assert_eq!((p.section.as_deref(), p.slug.as_deref()), (Some("posts"), Some("my-post")));
        let top = page(&["about", "index.md"]);
        assert_eq!((top.section, top.slug.as_deref()), (None, Some("about")));
    }

    #[test]
    fn a_date_prefix_gives_the_date_and_the_rest_the_slug() {
        let p = page(&["blog", "2019-05-14-first-steps.md"]);
        assert_eq!(p.slug.as_deref(), Some("first-steps"));
        assert_eq!(p.date.unwrap().date().to_string(), "2019-05-14");
        assert_eq!(page(&["2019-05-14x.md"]).date, None);
    }

    #[test]
    fn topical_sections_are_tags_and_containers_are_not() {
        assert_eq!(section_tag("trauma").unwrap().as_str(), "trauma");
        assert_eq!(section_tag("Posts"), None);
        assert_eq!(section_tag("blog"), None);
    }
}
