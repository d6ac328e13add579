//! Reads the benchmark corpus written by `bench/corpus/gen_corpus.py`: TOML front matter between
//! `+++` lines (only the `title`, `description`, `date` and top-level `tags` keys the generator
//! writes), then a Markdown body that is reduced to plain text the way the store would.
//!
//! A tiny hand parser instead of the `toml` and `pulldown-cmark` crates keeps the benchmark's
//! only dependency the search module itself, so it measures that and builds in seconds.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::search::SearchDoc;

/// The articles of a generated site, in generation order (the numeric slug suffix), so that a
/// `--limit` prefix is the same as a smaller generated corpus.
pub fn article_paths(root: &Path) -> io::Result<Vec<PathBuf>> {
    let dir = if root.join("content/articles").is_dir() {
        root.join("content/articles")
    } else {
        root.to_path_buf()
    };
    let mut paths: Vec<(u64, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if path.extension().is_some_and(|e| e == "md") && !stem.starts_with('_') {
            let order = stem.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or(u64::MAX);
            paths.push((order, path));
        }
    }
    paths.sort();
    Ok(paths.into_iter().map(|p| p.1).collect())
}

/// Parses one article file into a search document.
pub fn parse_article(path: &Path) -> io::Result<SearchDoc> {
    let text = fs::read_to_string(path)?;
    let slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    Ok(parse(&slug, &text))
}

fn parse(slug: &str, text: &str) -> SearchDoc {
    let mut doc = SearchDoc { slug: slug.to_string(), ..SearchDoc::default() };
    let rest = text.strip_prefix("+++\n").unwrap_or(text);
    let (front, body) = rest.split_once("\n+++\n").unwrap_or(("", rest));
    for line in front.lines() {
        if line.starts_with('[') {
            break; // a table such as [taxonomies]: the top-level keys are done
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let value = value.trim();
        match key.trim() {
            "title" => doc.title = unquote(value),
            "description" => doc.description = unquote(value),
            "date" => doc.published_unix = unix_time(value).unwrap_or(0),
            "tags" => {
                let inner = value.trim_start_matches('[').trim_end_matches(']');
                doc.tags = inner.split(',').map(unquote).filter(|t| !t.is_empty()).collect();
            }
            _ => {}
        }
    }
    doc.body_text = markdown_to_text(body);
    doc
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').replace("\\\"", "\"")
}

/// `2001-04-25T02:09:00Z` → seconds since the epoch (proleptic Gregorian, UTC).
fn unix_time(s: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|v| v.parse::<i64>().ok());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3_600 + mm * 60 + ss)
}

/// Plain text of the generator's Markdown: headings, list markers, emphasis and link targets
/// removed, link text kept.
fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let mut l = line.trim_start_matches('#').trim_start();
        if let Some(item) = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")) {
            l = item;
        } else if let Some((n, item)) = l.split_once(". ")
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            l = item;
        }
        let mut plain = String::with_capacity(l.len());
        strip_links(l, &mut plain);
        out.extend(plain.chars().filter(|c| !matches!(c, '*' | '_' | '`')));
        out.push('\n');
    }
    out
}

/// `[text](target)` → `text`.
fn strip_links(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else { break };
        let Some(end) = rest[close + 2..].find(')').map(|i| close + 2 + i) else { break };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body_are_parsed() {
        let text = "+++\ntitle = \"A b\"\ndate = 1970-01-02T00:00:01Z\ndescription = \"D.\"\ntags = [\"x\", \"y-z\"]\n\n[taxonomies]\ntags = [\"q\"]\n+++\n\n## Head\n\n- item *one*\n1. two\nSee [link text](/articles/a-1/). More at [w](https://e.com/v).\n";
        let d = parse("a-1", text);
        assert_eq!((d.title.as_str(), d.description.as_str(), d.published_unix), ("A b", "D.", 86_401));
        assert_eq!(d.tags, vec!["x", "y-z"]);
        assert_eq!(d.body_text.trim(), "Head\n\nitem one\ntwo\nSee link text. More at w.");
    }
}
