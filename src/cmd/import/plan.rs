//! Before anything is written, the whole run is planned: every file's slug (two files of one run
//! never share one: the later gets a language- or folder-qualified slug, or is refused), its old
//! addresses (its `/section/slug/`, `aliases`, `url`, Zola's `path`), and where every old address and
//! file now points, so links between the moved pages can be rewritten as they are imported.

use super::run::{DateFrom, MdFile, source};
use crate::content::links::LinkMap;
use crate::domain::{OldPath, Slug, Status};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// What a first, light read of a file says: its own slug, the slug as written, its old addresses,
/// and whether it needs a date. `None` when it cannot be read or parsed (the import reports why).
struct Look {
    slug: Slug,
    written_slug: Option<String>,
    addresses: Vec<String>,
    undated: bool,
}

fn look(file: &MdFile, now: OffsetDateTime) -> Option<Look> {
    if file.skip.is_some() {
        return None;
    }
    let text = std::fs::read_to_string(&file.path).ok()?;
    let src = source(file);
    let parsed = crate::content::parse_page(&text, src.fallback(), src.site_page, now).ok()?;
    if parsed.not_a_page.is_some() {
        return None;
    }
    let a = &parsed.article;
    Some(Look {
        slug: a.slug.clone(),
        written_slug: parsed.written_slug,
        addresses: parsed.old_addresses,
        undated: a.published.is_none() && file.date.is_none() && a.status == Status::Published,
    })
}

/// Plans `files` (in path order) and fills `links`. Files of the site's default language (or none)
/// claim their slugs first, so `x.md` keeps `x` and its translation `x.fr.md` becomes `x-fr`.
/// Returns every slug the run's files claim.
pub fn plan(files: &mut [MdFile], links: &mut LinkMap, now: OffsetDateTime) -> Vec<Slug> {
    let looks: Vec<Option<Look>> = files.par_iter().map(|f| look(f, now)).collect();
    let mut order: Vec<usize> = (0..files.len()).collect();
    // Translations last; then shallower pages first, so `documentation.md` keeps `documentation` and
    // `contribute/documentation/index.md` becomes `contribute-documentation`.
    let depth = |f: &MdFile| f.site.as_ref().map_or(0, |s| s.dir.matches('/').count());
    order.sort_by_key(|&i| (files[i].site.as_ref().is_some_and(|s| s.translation), depth(&files[i]), i));
    let mut shared: HashMap<&str, usize> = HashMap::new();
    for f in files.iter() {
        if let Some(k) = f.site.as_ref().and_then(|s| s.translation_key.as_deref()) {
            *shared.entry(k).or_insert(0) += 1;
        }
    }
    let keys: Vec<Option<String>> = files
        .iter()
        .map(|f| f.site.as_ref().and_then(|s| s.translation_key.clone()).filter(|k| shared[k.as_str()] > 1))
        .collect();
    for (f, k) in files.iter_mut().zip(keys) {
        f.plan.translation_key = k;
    }
    let mut claimed: HashMap<Slug, usize> = HashMap::new();
    let mut git = GitTimes::default();
    for i in order {
        let Some(look) = &looks[i] else { continue };
        let wanted = look.slug.clone();
        let chosen = match claimed.get(&wanted) {
            None => Some(wanted.clone()),
            Some(&other) => {
                let other_shown = files[other].path.display().to_string();
                let place = files[i].site.as_ref();
                let other_language = files[other].site.as_ref().and_then(|o| o.language.as_ref());
                // A translation is `slug-fr`; a page of another section is `section-slug`.
                let qualified = match place {
                    Some(p) if p.language.is_some() && p.language.as_ref() != other_language => {
                        p.language.as_ref().map(|l| format!("{wanted}-{l}"))
                    }
                    // The page's whole folder, as its old address had it: `methods/site/title`.
                    Some(p) => {
                        let dir = p.dir.trim_start_matches('/');
                        let dir = match (&p.language, p.translation) {
                            (Some(l), true) => {
                                dir.strip_prefix(l.as_str()).unwrap_or(dir).trim_start_matches('/')
                            }
                            _ => dir,
                        };
                        (!dir.is_empty()).then(|| format!("{}-{wanted}", dir.replace('/', "-")))
                    }
                    None => None,
                };
                let translation =
                    place.is_some_and(|p| p.language.is_some() && p.language.as_ref() != other_language);
                let qualified = qualified.and_then(|q| Slug::from_text(&q).ok());
                match qualified {
                    Some(q) if !claimed.contains_key(&q) => {
                        // A translation's `-fr` is expected; a renamed page is worth a word.
                        if !translation {
                            files[i].plan.notes.push(format!(
                                "the slug `{wanted}` is taken by {other_shown} in this import; this file is imported as `{q}`"
                            ));
                        }
                        Some(q)
                    }
                    q => {
                        let also = q
                            .and_then(|q| claimed.get(&q).map(|&o| (q, o)))
                            .map(|(q, o)| format!(", and `{q}` by {}", files[o].path.display()))
                            .unwrap_or_default();
                        files[i].plan.refused = Some(format!(
                            "the slug `{wanted}` is already taken by {other_shown}{also} in this import; \
                             give this file a `slug` of its own"
                        ));
                        None
                    }
                }
            }
        };
        let Some(slug) = chosen else { continue };
        claimed.insert(slug.clone(), i);
        let file = &mut files[i];
        if slug != wanted {
            file.plan.slug = Some(slug.clone());
        }
        if look.undated {
            let (t, from) = match git.time(&file.path) {
                Some(t) => (Some(t), DateFrom::Git),
                None => (modified(&file.path), DateFrom::FileTime),
            };
            if t.is_some() {
                file.date = t;
                file.plan.date_from = Some(from);
            }
        }
        let mut paths: Vec<OldPath> = Vec::new();
        let mut add = |p: Option<OldPath>| {
            if let Some(p) = p.filter(|p| !paths.contains(p)) {
                paths.push(p);
            }
        };
        if let Some(place) = &file.site {
            let own =
                look.written_slug.clone().or_else(|| file.slug.clone()).unwrap_or_else(|| wanted.to_string());
            add(OldPath::from_link(&format!("{}/{own}/", place.dir)));
            links.by_file.entry(place.file.clone()).or_insert_with(|| slug.clone());
        }
        let dir = file.site.as_ref().map_or("", |p| p.dir.as_str());
        for a in &look.addresses {
            let a = a.trim();
            let absolute = a.starts_with('/') || a.contains("://");
            add(if absolute { OldPath::from_link(a) } else { OldPath::from_link(&format!("{dir}/{a}")) });
        }
        // An old address two pages claim (an alias repeated) stays with the first, and is said.
        let mut kept = Vec::with_capacity(paths.len());
        for p in paths {
            match links.by_path.get(&p) {
                Some(owner) if *owner != slug => file.plan.notes.push(format!(
                    "the old address {p} is claimed by `{owner}` too; it keeps pointing there"
                )),
                Some(_) => kept.push(p),
                None => {
                    links.by_path.insert(p.clone(), slug.clone());
                    kept.push(p);
                }
            }
        }
        file.plan.old_paths = kept;
    }
    claimed.into_keys().collect()
}

/// When each file of a git work tree last changed, by its commits: one `git log` per work tree,
/// read the first time one of its files asks. Outside a work tree (or without git) there is none.
#[derive(Default)]
struct GitTimes {
    trees: HashMap<PathBuf, HashMap<PathBuf, OffsetDateTime>>,
    tops: HashMap<PathBuf, Option<PathBuf>>,
}

impl GitTimes {
    fn time(&mut self, file: &Path) -> Option<OffsetDateTime> {
        let file = std::fs::canonicalize(file).ok()?;
        let dir = file.parent()?.to_owned();
        let top = self
            .tops
            .entry(dir.clone())
            .or_insert_with(|| git(&dir, &["rev-parse", "--show-toplevel"]).map(|t| PathBuf::from(t.trim())))
            .clone()?;
        let times = self.trees.entry(top.clone()).or_insert_with(|| {
            let mut times = HashMap::new();
            let log = git(&top, &["log", "--format=@%ct", "--name-only", "--no-renames"]).unwrap_or_default();
            let mut at = None;
            for line in log.lines() {
                if let Some(t) = line.strip_prefix('@') {
                    at = t.parse::<i64>().ok().and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok());
                } else if let (Some(t), false) = (at, line.is_empty()) {
                    // Newest first: the first commit seen for a file is its last change.
                    times.entry(top.join(line)).or_insert(t);
                }
            }
            times
        });
        times.get(&file).copied()
    }
}

/// Runs git in `dir`; its standard output when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A file's modification time.
fn modified(path: &std::path::Path) -> Option<OffsetDateTime> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(OffsetDateTime::from(t))
}
