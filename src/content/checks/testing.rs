//! Helpers shared by the rule modules' unit tests: a neutral article input
//! (question present, no tags, no references, one known slug "known").

use super::{CheckConfig, CheckInput, Finding, ReferenceInput, check};

/// The one slug the test site has.
fn known(slug: &str) -> bool {
    slug == "known"
}

/// An input for `body` with nothing else that could produce findings.
pub(super) fn input(body: &str) -> CheckInput<'_> {
    CheckInput {
        body,
        body_first_line: 1,
        references: &[],
        tags: &[],
        content_notes: &[],
        has_question: true,
        question_line: None,
        next_review: None,
        last_reviewed: None,
        known_slugs: &known,
        today: time::macros::date!(2026 - 12 - 01),
        front_matter_line: 1,
    }
}

/// Findings for `body` with default configuration.
pub(super) fn run(body: &str) -> Vec<Finding> {
    check(&input(body), &CheckConfig::default())
}

/// Findings for `body` with these references.
pub(super) fn run_with(body: &str, references: &[ReferenceInput]) -> Vec<Finding> {
    let mut i = input(body);
    i.references = references;
    check(&i, &CheckConfig::default())
}

/// A reference with a key, at `line`.
pub(super) fn keyed(key: &str, line: usize) -> ReferenceInput {
    ReferenceInput { key: Some(key.to_string()), line, ..Default::default() }
}

/// The lines of the findings of one rule.
pub(super) fn lines_of(findings: &[Finding], rule: &str) -> Vec<usize> {
    findings.iter().filter(|f| f.rule.id() == rule).map(|f| f.line).collect()
}
