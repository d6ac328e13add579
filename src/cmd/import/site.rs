//! Walking a Hugo or Zola `content/` folder: which files are articles, what their paths say, and the
//! report of sections, section pages and bundle resources.

use super::super::files::is_markdown;
use super::run::{MdFile, SitePlace};
use crate::content::links::host_of;
use crate::content::site::{self, Entry, Languages, SITE_CONFIG_FILES};
use crate::domain::Tag;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A scanned content folder.
pub struct Scan {
    root: PathBuf,
    /// The articles to import.
    pub files: Vec<MdFile>,
    section_pages: Vec<PathBuf>,
    sections: BTreeMap<String, (usize, Option<Tag>)>,
    resources: usize,
    /// The old site's host, from its `baseURL` / `base_url`.
    pub host: Option<String>,
    /// Files outside the folders the configuration mounts as content.
    unmounted: usize,
}

/// The `content/` folder `path` stands for: `path` itself when it is named `content` and sits in a site
/// (a Hugo or Zola configuration file beside it, or an `_index.md` in it), or `path/content` when `path`
/// is the site. A plain folder of Markdown files is none.
pub fn content_root(path: &Path) -> Option<PathBuf> {
    if !path.is_dir() {
        return None;
    }
    let has_config = |dir: &Path| SITE_CONFIG_FILES.iter().any(|f| dir.join(f).is_file());
    let named_content = path.file_name().is_some_and(|n| n == "content");
    if named_content {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return (has_config(parent) || path.join("_index.md").is_file()).then(|| path.to_owned());
    }
    let inner = path.join("content");
    (inner.is_dir() && has_config(path)).then_some(inner)
}

/// Lists the folder.
pub fn scan(root: &Path) -> anyhow::Result<Scan> {
    let (languages, host, mounts) = site_config(root);
    let mut s = Scan {
        root: root.to_owned(),
        files: Vec::new(),
        section_pages: Vec::new(),
        sections: BTreeMap::new(),
        resources: 0,
        host,
        unmounted: 0,
    };
    let mut all = Vec::new();
    walk(root, &mut all)?;
    all.sort();
    // With `[[module.mounts]]`, Hugo reads only the mounted folders (`content/en`), not the rest.
    if !mounts.is_empty() {
        let before = all.len();
        all.retain(|p| mounts.iter().any(|m| p.starts_with(m)));
        s.unmounted = before - all.len();
    }
    // A section's `cascade` of `build.render = "never"` (Hugo) makes every page below it a snippet
    // or a resource, never a page.
    let never: Vec<(PathBuf, PathBuf)> = all
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "_index.md"))
        .filter(|p| cascades_never(p))
        .filter_map(|p| Some((p.parent()?.to_owned(), p.clone())))
        .collect();
    for path in all {
        if !is_markdown(&path) {
            s.resources += 1;
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let parts: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
        let file = parts.join("/");
        match site::classify(&parts, &languages) {
            Entry::SectionIndex => s.section_pages.push(path),
            Entry::Page(place) => {
                let tag = place.section.as_deref().and_then(site::section_tag);
                if let Some(section) = &place.section {
                    s.sections.entry(section.clone()).or_insert((0, tag.clone())).0 += 1;
                }
                let skip = never.iter().find(|(dir, _)| path.starts_with(dir)).map(|(_, index)| {
                    format!(
                        "{} cascades `build.render = never` to it: Hugo builds no page from it",
                        index.display()
                    )
                });
                s.files.push(MdFile {
                    skip,
                    path,
                    slug: place.slug,
                    date: place.date,
                    tag,
                    site: Some(SitePlace {
                        dir: place.dir,
                        translation: place.language.as_ref().is_some_and(|l| *l != languages.default),
                        language: place.language,
                        file,
                        translation_key: place.translation_key,
                    }),
                    ..MdFile::default()
                });
            }
        }
    }
    Ok(s)
}

impl Scan {
    /// Prints what the folder held beside its articles.
    pub fn report(&self) {
        let root = self.root.display();
        if !self.sections.is_empty() {
            let list: Vec<String> = self
                .sections
                .iter()
                .map(|(name, (n, tag))| {
                    let what = match tag {
                        Some(t) => format!("tagged #{t}"),
                        None => "reported only".to_owned(),
                    };
                    format!("{name} ({n} {}, {what})", if *n == 1 { "article" } else { "articles" })
                })
                .collect();
            println!("{root}: sections: {}", list.join(", "));
        }
        for p in &self.section_pages {
            println!("{}: skipped: a section's list page (_index.md), not an article", p.display());
        }
        if self.unmounted > 0 {
            println!(
                "{root}: {} outside the folders the configuration mounts as content, not imported",
                super::super::report::plural(self.unmounted, "file")
            );
        }
        if self.resources > 0 {
            println!(
                "{root}: {} not imported (images, bundle resources)",
                super::super::report::plural(self.resources, "other file")
            );
        }
    }
}

/// Whether a section page's front matter cascades `build.render = "never"` (or `_build`) to its pages.
fn cascades_never(index: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(index) else { return false };
    let Some(map) = crate::content::front_matter::split(&text)
        .ok()
        .and_then(|s| crate::content::front_matter::parse(&s).ok())
    else {
        return false;
    };
    let Some(cascade) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case("cascade")).map(|(_, v)| v) else {
        return false;
    };
    let entries: Vec<&serde_json::Value> = match cascade {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    entries.iter().any(|e| {
        ["build", "_build"].iter().any(|b| e.get(b).is_some_and(crate::content::schema::renders_never))
    })
}

/// The languages and the host the site's configuration file (beside `content/`) declares.
fn site_config(root: &Path) -> (Languages, Option<String>, Vec<PathBuf>) {
    let site = root.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    for name in SITE_CONFIG_FILES {
        let Ok(text) = std::fs::read_to_string(site.join(name)) else { continue };
        let host = text.lines().find_map(|l| {
            let (k, v) = l.split_once(['=', ':'])?;
            let k = k.trim().trim_matches('"');
            (k.eq_ignore_ascii_case("baseurl") || k == "base_url")
                .then(|| host_of(v.trim().trim_matches(['"', '\'', ','])))
                .flatten()
        });
        let mounts = site::content_mounts(name, &text).into_iter().map(|m| site.join(m)).collect();
        return (Languages::from_config(name, &text), host, mounts);
    }
    (Languages::default(), None, Vec::new())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    for entry in entries {
        let p = entry?.path();
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}
