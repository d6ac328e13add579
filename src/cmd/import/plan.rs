//! Before anything is written, the whole run is planned: every file's slug (two files of one run
//! never share one: the later gets a language- or section-qualified slug, or is refused), its old
//! addresses (its `/section/slug/`, `aliases`, `url`, Zola's `path`), and where every old address and
//! file now points, so links between the moved pages can be rewritten as they are imported.

use super::run::{MdFile, source};
use crate::content::links::LinkMap;
use crate::domain::{OldPath, Slug, Status};
use rayon::prelude::*;
use std::collections::HashMap;
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
    let text = std::fs::read_to_string(&file.path).ok()?;
    let src = source(file);
    let parsed = crate::content::parse_article(&text, src.fallback(), now).ok()?;
    if parsed.not_a_page.is_some() {
        return None;
    }
    let written_slug = crate::content::front_matter::split(&text)
        .ok()
        .and_then(|s| crate::content::front_matter::parse(&s).ok())
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("slug"))
                .and_then(|(_, v)| v.as_str().map(str::to_owned))
        });
    let a = &parsed.article;
    Some(Look {
        slug: a.slug.clone(),
        written_slug,
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
    order.sort_by_key(|&i| (files[i].site.as_ref().is_some_and(|s| s.translation), i));
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
                    Some(p) => p.section.as_ref().map(|s| format!("{s}-{wanted}")),
                    None => None,
                };
                let qualified =
                    qualified.and_then(|q| Slug::from_text(&q).ok()).filter(|s| !claimed.contains_key(s));
                match qualified {
                    Some(q) => {
                        files[i].plan.notes.push(format!(
                            "the slug `{wanted}` is taken by {other_shown} in this import; this file is imported as `{q}`"
                        ));
                        Some(q)
                    }
                    None => {
                        files[i].plan.refused = Some(format!(
                            "the slug `{wanted}` is already taken by {other_shown} in this import; \
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
        if look.undated
            && let Some(t) = modified(&file.path)
        {
            file.date = Some(t);
            file.plan.date_is_file_time = true;
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
        for p in &paths {
            links.by_path.entry(p.clone()).or_insert_with(|| slug.clone());
        }
        file.plan.old_paths = paths;
    }
    claimed.into_keys().collect()
}

/// A file's modification time.
fn modified(path: &std::path::Path) -> Option<OffsetDateTime> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(OffsetDateTime::from(t))
}
