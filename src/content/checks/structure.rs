//! Structural rules over the Markdown: `image-alt-missing` (readers using a
//! screen reader need the picture described, WCAG 1.1.1),
//! `heading-level-skipped` (the outline must not jump levels; the article
//! title is the page's h1, so the body starts at h2) and
//! `internal-link-broken` (a link to `/articles/SLUG` or `../SLUG/` whose
//! article does not exist).

use super::markdown::Document;
use super::{At, Draft, Rule};

/// The article slug an internal link points at, if it is an article link:
/// `/articles/SLUG`, `/articles/SLUG/`, `../SLUG`, `../SLUG/`, with any
/// `#fragment` or `?query` ignored.
pub(super) fn article_slug(dest: &str) -> Option<&str> {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let rest = path.strip_prefix("/articles/").or_else(|| path.strip_prefix("../"))?;
    let slug = rest.strip_suffix('/').unwrap_or(rest);
    (!slug.is_empty() && !slug.contains('/') && slug != "..").then_some(slug)
}

/// A short excerpt of the source at `offset`: to the end of the line, at
/// most 80 characters.
fn source_excerpt(body: &str, offset: usize) -> String {
    let line = body.get(offset..).unwrap_or_default().lines().next().unwrap_or_default();
    super::text::excerpt(line, 80)
}

/// Runs the three rules.
pub(super) fn check(doc: &Document, body: &str, known_slugs: &dyn Fn(&str) -> bool) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for image in doc.images.iter().filter(|i| !i.has_alt) {
        drafts.push(Draft {
            rule: Rule::ImageAltMissing,
            at: At::Body(image.offset),
            message: format!("The image \"{}\" has no alt text.", image.dest),
            excerpt: source_excerpt(body, image.offset),
            suggestion: Some(
                "Describe what the image shows for readers who cannot see it, e.g. ![Two hands resting together](…); use alt=\"\" in HTML only for decoration."
                    .to_string(),
            ),
        });
    }
    let mut previous = 1;
    for (i, heading) in doc.headings.iter().enumerate() {
        if heading.level > previous + 1 {
            let after = if i == 0 { "the title (h1)".to_string() } else { format!("h{previous}") };
            drafts.push(Draft {
                rule: Rule::HeadingLevelSkipped,
                at: At::Body(heading.offset),
                message: format!(
                    "The heading \"{}\" is h{} after {after}; levels must not be skipped.",
                    super::text::excerpt(&heading.text, 60),
                    heading.level,
                ),
                excerpt: source_excerpt(body, heading.offset),
                suggestion: Some(format!("Make it h{} ({}).", previous + 1, "#".repeat(previous + 1))),
            });
        }
        previous = heading.level;
    }
    for link in &doc.links {
        let Some(slug) = article_slug(&link.dest) else {
            continue;
        };
        if !known_slugs(slug) {
            drafts.push(Draft {
                rule: Rule::InternalLinkBroken,
                at: At::Body(link.offset),
                message: format!(
                    "The link to \"{}\" points at an article that does not exist (\"{slug}\").",
                    link.dest
                ),
                excerpt: source_excerpt(body, link.offset),
                suggestion: Some(
                    "Check the slug, or remove the link until the article is published.".to_string(),
                ),
            });
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::super::testing::{lines_of, run};
    use super::*;

    #[test]
    fn article_slugs_are_read_from_both_link_forms() {
        assert_eq!(article_slug("/articles/consent-basics"), Some("consent-basics"));
        assert_eq!(article_slug("/articles/consent-basics/#top"), Some("consent-basics"));
        assert_eq!(article_slug("../consent-basics/"), Some("consent-basics"));
        assert_eq!(article_slug("../images/x.png"), None);
        assert_eq!(article_slug("https://example.org/articles/x"), None);
        assert_eq!(article_slug("/tags/trauma"), None);
    }

    #[test]
    fn an_image_without_alt_text_is_flagged() {
        let findings =
            run("Text.\n\n![](hug.png)\n\n![Two people talking](talk.png)\n\n<img src=\"x.png\">\n");
        assert_eq!(lines_of(&findings, "image-alt-missing"), [3, 7]);
    }

    #[test]
    fn a_skipped_heading_level_is_flagged_starting_from_the_title() {
        let findings = run("### Too deep\n\n## Fine\n\n### Fine\n\n##### Skips h4\n");
        assert_eq!(lines_of(&findings, "heading-level-skipped"), [1, 7]);
    }

    #[test]
    fn a_link_to_an_unknown_article_is_broken() {
        let findings = run("See [this](/articles/known) and [that](/articles/missing) and [up](../gone/).\n");
        assert_eq!(lines_of(&findings, "internal-link-broken"), [1, 1]);
        let columns: Vec<usize> =
            findings.iter().filter(|f| f.rule.id() == "internal-link-broken").map(|f| f.column).collect();
        assert_eq!(columns, [33, 63]);
    }
}
