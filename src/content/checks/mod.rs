//! Editorial checks for ZeroOpposite articles (the product brief: unsourced claims, citations, prescriptive advice, content notes …).
//!
//! ZeroOpposite publishes about sexuality, trauma and mental health to
//! readers who are often in a vulnerable moment, so an article must source
//! its research claims, describe rather than prescribe, label sensitive
//! content and stay accessible. [`check`] reads one article (its Markdown
//! body plus the front-matter facts it needs, as a [`CheckInput`]) and
//! returns [`Finding`]s, each with a stable rule id, a severity, and the line
//! and column in the Markdown source. The same findings serve the
//! `zeroopposite check` command and the admin editor.
//!
//! The module is self-contained (it uses only external crates and its own
//! items) but for the Markdown dialect, `content::markdown::OPTIONS`, which
//! it shares with the renderer so it checks the text readers are shown; the
//! phrase lists it matches live in `data/checks/phrases.toml`.

mod advice;
mod apa;
mod citations;
mod claims;
mod lines;
mod markdown;
mod meta;
mod pattern;
mod phrases;
mod references;
mod rules;
mod structure;
#[cfg(test)]
mod testing;
mod text;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use citations::Citation;
use lines::LineIndex;
use markdown::{Block, BlockKind, Document};
use phrases::Phrases;
use references::Identity;
pub use rules::{CheckConfig, Field, Finding, Rule, Severity};
use text::Token;

/// One article as the checker sees it. The caller parses the front matter;
/// the checker only needs these facts, so it works for TOML and YAML files,
/// the database and the editor alike.
pub struct CheckInput<'a> {
    /// The Markdown body (after the front matter).
    pub body: &'a str,
    /// 1-based source line where the body starts, so findings point into the
    /// whole file.
    pub body_first_line: usize,
    /// The front matter's references, in order.
    pub references: &'a [ReferenceInput],
    /// Normalised lower-case tags, e.g. "trauma", "sexualcontent".
    pub tags: &'a [String],
    /// The content notes shown before the body, e.g. "sexual content".
    pub content_notes: &'a [String],
    /// Whether the article has a (non-empty) reader question.
    pub has_question: bool,
    /// Where the question is (or would be) in the source, if known.
    pub question_line: Option<usize>,
    /// When the article is next due for review.
    pub next_review: Option<time::Date>,
    /// When the article was last reviewed.
    pub last_reviewed: Option<time::Date>,
    /// Whether an internal-link target slug exists.
    pub known_slugs: &'a dyn Fn(&str) -> bool,
    /// Today, passed in so results are reproducible.
    pub today: time::Date,
    /// The line to report whole-article findings at (usually 1).
    pub front_matter_line: usize,
}

/// One `[[references]]` entry from the front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceInput {
    /// The in-text form, e.g. "Tedeschi & Calhoun, 1996"; matched first.
    pub key: Option<String>,
    /// The full APA reference; its authors and "(YEAR)" are used when there
    /// is no key.
    pub text: String,
    /// Author field, used when neither key nor text gives authors.
    pub author: Option<String>,
    /// Year field ("2004", "2004a", "n.d."), checked for range.
    pub year: Option<String>,
    /// DOI, checked for syntax.
    pub doi: Option<String>,
    /// URL, checked to be an absolute http(s) address.
    pub url: Option<String>,
    /// Source line of the entry, where its findings are reported.
    pub line: usize,
}

/// A checker with its configuration and phrase lists prepared once, for
/// checking many articles (`zeroopposite check` over a whole site).
#[derive(Debug, Clone)]
pub struct Checker {
    config: CheckConfig,
    phrases: Phrases,
}

impl Checker {
    /// Prepares the phrase lists for `config`.
    pub fn new(config: CheckConfig) -> Checker {
        let phrases = Phrases::with_extras(&config.extra_phrases);
        Checker { config, phrases }
    }

    /// The configuration in use.
    pub fn config(&self) -> &CheckConfig {
        &self.config
    }

    /// Checks one article; findings are sorted by line, then column.
    pub fn check(&self, input: &CheckInput<'_>) -> Vec<Finding> {
        let doc = Document::parse(input.body);
        let views: Vec<View<'_>> = doc.blocks.iter().map(|b| View::new(b, &self.phrases)).collect();
        let ids: Vec<(usize, Option<Identity>)> =
            input.references.iter().map(|r| (r.line, references::identify(r, &self.phrases))).collect();
        let mut drafts = citations::check(&views, &ids);
        drafts.extend(references::check_invalid(input.references, &ids, input.today.year()));
        drafts.extend(claims::check(&views, &self.phrases));
        drafts.extend(advice::check(&views, &self.phrases));
        drafts.extend(structure::check(&doc, input.body, input.known_slugs));
        drafts.extend(meta::check(input, &self.config, &self.phrases));
        let lines = LineIndex::new(input.body, input.body_first_line);
        let mut findings: Vec<Finding> = drafts
            .into_iter()
            .filter(|d| self.config.is_enabled(d.rule))
            .map(|d| {
                let (line, column) = match d.at {
                    At::Body(offset) => lines.position(offset),
                    At::Line(line) => (line, 1),
                };
                Finding {
                    rule: d.rule,
                    severity: self.config.severity_of(d.rule),
                    line,
                    column,
                    message: d.message,
                    excerpt: d.excerpt,
                    suggestion: d.suggestion,
                }
            })
            .collect();
        findings.sort_by_key(|f| (f.line, f.column, f.rule));
        findings.dedup_by(|a, b| {
            a.line == b.line && a.column == b.column && a.rule == b.rule && a.message == b.message
        });
        findings
    }
}

/// Checks one article with `config`. For many articles, build a [`Checker`]
/// once instead.
pub fn check(input: &CheckInput<'_>, config: &CheckConfig) -> Vec<Finding> {
    Checker::new(config.clone()).check(input)
}

/// Where a draft finding is: a body byte offset, or a source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Body(usize),
    Line(usize),
}

/// A finding before positions and severities are resolved.
#[derive(Debug, Clone)]
struct Draft {
    rule: Rule,
    at: At,
    message: String,
    excerpt: String,
    suggestion: Option<String>,
}

/// One prose block analysed once for all prose rules.
struct View<'d> {
    block: &'d Block,
    tokens: Vec<Token>,
    sentences: Vec<Range<usize>>,
    citations: Vec<Citation>,
    quoted: Vec<Range<usize>>,
}

impl<'d> View<'d> {
    fn new(block: &'d Block, phrases: &Phrases) -> View<'d> {
        View {
            block,
            tokens: text::tokenize(&block.text),
            sentences: text::sentences(&block.text, &phrases.abbreviations),
            citations: citations::find_citations(&block.text, phrases),
            quoted: text::quoted_ranges(&block.text),
        }
    }

    /// Paragraph-like prose in the article's own voice (not a heading or a
    /// block quote), which the claim and advice rules read.
    fn is_own_prose(&self) -> bool {
        self.block.kind == BlockKind::Prose && !self.block.quoted
    }

    /// The tokens that start inside `sentence`.
    fn tokens_in(&self, sentence: &Range<usize>) -> &[Token] {
        let from = self.tokens.partition_point(|t| t.start < sentence.start);
        let to = self.tokens.partition_point(|t| t.start < sentence.end);
        &self.tokens[from..to]
    }

    /// Whether `sentence` has a citation, footnote mark or external link.
    fn is_cited(&self, sentence: &Range<usize>) -> bool {
        self.citations.iter().any(|c| c.start < sentence.end && c.end > sentence.start)
            || self.block.sources.iter().any(|&s| sentence.contains(&s))
    }

    /// Whether `offset` is inside quotation marks.
    fn is_quoted(&self, offset: usize) -> bool {
        self.quoted.iter().any(|q| q.contains(&offset))
    }
}

#[cfg(test)]
mod tests {
    use super::testing::input;
    use super::*;

    #[test]
    fn positions_count_from_the_first_body_line() {
        let mut i = input("\nIntro.\n\nWe know studies show it.\n");
        i.body_first_line = 20;
        let findings = check(&i, &CheckConfig::default());
        assert_eq!((findings[0].line, findings[0].column), (23, 9));
    }

    #[test]
    fn disabled_rules_are_skipped_and_severities_overridden() {
        let mut config = CheckConfig::default();
        config.disabled.insert("prescriptive-advice".into());
        config.severity.insert("claim-without-citation".into(), Severity::Error);
        let findings = check(&input("Studies show it. You must rest.\n"), &config);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Error);
    }

    #[test]
    fn extra_phrases_from_configuration_take_effect() {
        let mut config = CheckConfig::default();
        config.extra_phrases.insert("claims.patterns".into(), vec!["rumour|rumor has it".into()]);
        assert!(check(&input("Rumour has it that rest helps.\n"), &CheckConfig::default()).is_empty());
        assert_eq!(check(&input("Rumour has it that rest helps.\n"), &config).len(), 1);
    }
}
