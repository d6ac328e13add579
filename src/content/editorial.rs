//! The bridge from an article file to the editorial checker: positions of front-matter entries,
//! normalised tags, and the checker's input.

use super::ParsedArticle;
use super::checks::{CheckInput, Checker, Finding, ReferenceInput};
use super::front_matter::{self, Format};
use time::Date;

/// Runs `checker` over one article file: `source` is the whole file, `parsed` its parse.
/// `known_slugs` says whether an internal link's target exists.
pub fn check_source(
    checker: &Checker,
    source: &str,
    parsed: &ParsedArticle,
    known_slugs: &dyn Fn(&str) -> bool,
    today: Date,
) -> Vec<Finding> {
    let a = &parsed.article;
    let (ref_lines, question_line) = match front_matter::split(source) {
        Ok(split) => {
            (reference_lines(&split), a.question.as_ref().map(|_| front_matter::key_line(&split, "question")))
        }
        Err(_) => (Vec::new(), None),
    };
    let references: Vec<ReferenceInput> = a
        .references
        .iter()
        .enumerate()
        .map(|(i, r)| ReferenceInput {
            key: r.key.clone(),
            text: r.text.clone(),
            author: r.author.clone(),
            year: r.year.clone(),
            doi: r.doi.clone(),
            url: r.url.clone(),
            line: ref_lines.get(i).copied().unwrap_or(1),
        })
        .collect();
    let tags: Vec<String> = a.tags.iter().map(|t| t.to_string()).collect();
    let body = source.get(source.len().saturating_sub(a.body.len())..).unwrap_or(&a.body);
    let input = CheckInput {
        body,
        body_first_line: parsed.body_first_line,
        references: &references,
        tags: &tags,
        content_notes: &a.content_notes,
        has_question: a.question.as_deref().is_some_and(|q| !q.trim().is_empty()),
        question_line,
        next_review: a.next_review,
        last_reviewed: a.last_reviewed,
        known_slugs,
        today,
        front_matter_line: 1,
    };
    checker.check(&input)
}

/// The source line of each reference entry: `[[references]]` headers in TOML, list items under
/// `references:` in YAML.
fn reference_lines(split: &front_matter::Split<'_>) -> Vec<usize> {
    let base = split.front_matter_first_line;
    let lines: Vec<&str> = split.front_matter.lines().collect();
    match split.format {
        Format::Toml => lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("[[references]]"))
            .map(|(i, _)| base + i)
            .collect(),
        Format::Json => Vec::new(),
        Format::Yaml => {
            let Some(start) = lines.iter().position(|l| l.starts_with("references:")) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            let mut item_indent = None;
            for (i, l) in lines.iter().enumerate().skip(start + 1) {
                if !l.starts_with(' ') && !l.starts_with('-') && !l.trim().is_empty() {
                    break;
                }
                let indent = l.len() - l.trim_start().len();
                if l.trim_start().starts_with("- ") && *item_indent.get_or_insert(indent) == indent {
                    out.push(base + i);
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_reference_items_are_located() {
        let src =
            "---\ntitle: A\nreferences:\n  - text: One\n    doi: x\n  - text: Two\ntags: [a]\n---\nbody\n";
        let split = front_matter::split(src).unwrap();
        assert_eq!(reference_lines(&split), vec![4, 6]);
    }
}
