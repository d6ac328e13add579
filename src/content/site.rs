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

/// The languages a site declares (Hugo's and Zola's `[languages]`), and its default one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    /// `defaultContentLanguage` (Hugo) or `default_language` (Zola); `en` when unsaid.
    pub default: String,
    /// Every declared language code, the default included.
    pub known: Vec<String>,
}

impl Default for Languages {
    fn default() -> Languages {
        Languages { default: "en".into(), known: Vec::new() }
    }
}

impl Languages {
    /// Reads them from a site configuration file's text (`name` says TOML, YAML or JSON). An unreadable
    /// file gives the defaults: the import does not depend on the rest of it.
    pub fn from_config(name: &str, text: &str) -> Languages {
        let Some(serde_json::Value::Object(map)) = config_value(name, text) else {
            return Languages::default();
        };
        let get = |key: &str| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
        let default = get("defaultContentLanguage")
            .or_else(|| get("default_language"))
            .and_then(|v| v.as_str())
            .map_or_else(|| "en".to_owned(), str::to_ascii_lowercase);
        let mut known: Vec<String> = get("languages")
            .and_then(|v| v.as_object())
            .map(|o| o.keys().map(|k| k.to_ascii_lowercase()).collect())
            .unwrap_or_default();
        if !known.is_empty() && !known.contains(&default) {
            known.push(default.clone());
        }
        Languages { default, known }
    }

    /// Whether `code` is one of the site's languages; with none declared, whether it has the shape
    /// of a two-letter language code (`x.fr.md`).
    pub fn is_language(&self, code: &str) -> bool {
        if self.known.is_empty() {
            code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())
        } else {
            self.known.iter().any(|k| k.eq_ignore_ascii_case(code))
        }
    }
}

/// A site configuration file's text as one value tree (`name` says TOML, YAML or JSON); `None` when
/// it does not parse.
fn config_value(name: &str, text: &str) -> Option<serde_json::Value> {
    if name.ends_with(".toml") {
        toml::from_str::<toml::Table>(text).ok().and_then(|t| serde_json::to_value(t).ok())
    } else if name.ends_with(".json") {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml_ng::from_str(text).ok()
    }
}

/// The folders Hugo's `[[module.mounts]]` give as `content` (e.g. `content/en`), relative to the site;
/// empty when the configuration mounts none (then `content/` is the content, as by default).
pub fn content_mounts(name: &str, text: &str) -> Vec<String> {
    let value = config_value(name, text);
    let mounts =
        value.as_ref().and_then(|v| v.get("module")).and_then(|m| m.get("mounts")).and_then(|m| m.as_array());
    mounts
        .into_iter()
        .flatten()
        .filter(|m| {
            m.get("target").and_then(|t| t.as_str()).is_some_and(|t| t.trim_matches('/') == "content")
        })
        .filter_map(|m| m.get("source").and_then(|s| s.as_str()).map(|s| s.trim_matches('/').to_owned()))
        .collect()
}

/// What the path says about an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The top folder under `content/` (below a language folder), if the page is inside one.
    pub section: Option<String>,
    /// The page's folder as its old address began (`/posts`, `/fr/posts`; empty at the top).
    pub dir: String,
    /// The language its name (`x.fr.md`) or its folder (`content/fr/`) gives.
    pub language: Option<String>,
    /// What it would share with its translations: its place without the language (`posts/sleep`
    /// for `posts/sleep.md`, `en/posts/sleep.md`, `fr/posts/sleep.md` and `posts/sleep.fr.md`).
    pub translation_key: Option<String>,
    /// The slug the path gives (bundle folder or file name, without a date prefix).
    pub slug: Option<String>,
    /// The date a date-prefixed name gives.
    pub date: Option<OffsetDateTime>,
}

/// Classifies the file at `rel`: the path components below `content/`, the file name last.
/// A top folder named for one of the site's declared `languages` is a language, not a section.
pub fn classify(rel: &[&str], languages: &Languages) -> Entry {
    let Some((file, dirs)) = rel.split_last() else {
        return Entry::Page(Place::default());
    };
    let stem = file.rsplit_once('.').map_or(*file, |(s, _)| s);
    // Translations (`index.fr.md`) share the rules of the base name.
    let mut name_parts = stem.splitn(2, '.');
    let base = name_parts.next().unwrap_or(stem);
    let name_language = name_parts.next().filter(|l| languages.is_language(l)).map(str::to_ascii_lowercase);
    if base == "_index" {
        return Entry::SectionIndex;
    }
    let (folder_language, dirs) = match dirs.split_first() {
        Some((top, rest)) if !languages.known.is_empty() && languages.is_language(top) => {
            (Some(top.to_ascii_lowercase()), rest)
        }
        _ => (None, dirs),
    };
    let language = name_language.or(folder_language);
    let bundle = base == "index";
    let name = if bundle { dirs.last().copied() } else { Some(base) };
    // `content/about/index.md` is a bundle at the top, not a section.
    let section_depth = if bundle { 2 } else { 1 };
    let section = (dirs.len() >= section_depth).then(|| dirs[0].to_owned());
    let page_dirs = if bundle { &dirs[..dirs.len().saturating_sub(1)] } else { dirs };
    let mut dir = String::new();
    if let Some(l) = language.as_deref().filter(|l| *l != languages.default) {
        dir.push('/');
        dir.push_str(l);
    }
    for d in page_dirs {
        dir.push('/');
        dir.push_str(d);
    }
    let (date, slug) = match name {
        Some(n) => match date_prefix(n) {
            Some((d, rest)) => (Some(d), Some(rest.to_owned()).filter(|r| !r.is_empty())),
            None => (None, Some(n.to_owned())),
        },
        None => (None, None),
    };
    let translation_key = name.map(|n| {
        let mut key: Vec<&str> = page_dirs.to_vec();
        key.push(n);
        key.join("/")
    });
    Entry::Page(Place { section, dir, language, translation_key, slug, date })
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
        match classify(rel, &Languages::default()) {
            Entry::Page(p) => p,
            Entry::SectionIndex => panic!("{rel:?} is a section index"),
        }
    }

    #[test]
    fn section_index_files_are_not_articles() {
        assert_eq!(classify(&["posts", "_index.md"], &Languages::default()), Entry::SectionIndex);
        assert_eq!(classify(&["_index.md"], &Languages::default()), Entry::SectionIndex);
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
    fn languages_come_from_names_and_declared_folders_and_pages_keep_their_old_folder() {
        let fr = page(&["posts", "grounding.fr.md"]);
        assert_eq!((fr.language.as_deref(), fr.slug.as_deref()), (Some("fr"), Some("grounding")));
        assert_eq!(fr.dir, "/fr/posts");
        let langs = Languages::from_config(
            "hugo.toml",
            "defaultContentLanguage = 'en'\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n",
        );
        assert_eq!(langs.known.len(), 2);
        let Entry::Page(p) = classify(&["fr", "posts", "x", "index.md"], &langs) else { panic!() };
        assert_eq!(
            (p.language.as_deref(), p.section.as_deref(), p.dir.as_str()),
            (Some("fr"), Some("posts"), "/fr/posts")
        );
        let Entry::Page(p) = classify(&["en", "about.md"], &langs) else { panic!() };
        assert_eq!((p.language.as_deref(), p.section, p.dir.as_str()), (Some("en"), None, ""));
        assert_eq!(page(&["posts", "my.notes.md"]).language, None, "not a language code");
    }

    #[test]
    fn hugo_content_mounts_are_read() {
        let text = "[module]\n[[module.mounts]]\nsource = 'assets'\ntarget = 'assets'\n\
                    [[module.mounts]]\nsource = 'content/en'\ntarget = 'content'\n";
        assert_eq!(content_mounts("hugo.toml", text), ["content/en"]);
        assert!(content_mounts("hugo.toml", "title = 'x'").is_empty());
    }

    #[test]
    fn topical_sections_are_tags_and_containers_are_not() {
        assert_eq!(section_tag("trauma").unwrap().as_str(), "trauma");
        assert_eq!(section_tag("Posts"), None);
        assert_eq!(section_tag("blog"), None);
    }
}
