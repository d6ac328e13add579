//! The public vocabulary of the checker: rules with stable ids, severities,
//! findings, and the operator's configuration.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use super::{pattern, phrases};

/// How serious a finding is: errors block publishing, warnings ask an
/// editor to look, notes are hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before publishing.
    Error,
    /// Should be looked at by an editor.
    Warning,
    /// A hint.
    Note,
}

impl Severity {
    /// The lower-case name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rules, with stable ids for configuration, output and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// An in-text citation with no matching reference.
    CitationWithoutReference,
    /// A reference the text never cites.
    ReferenceNotCited,
    /// A research claim with no citation in its sentence.
    ClaimWithoutCitation,
    /// Prescriptive health advice.
    PrescriptiveAdvice,
    /// A sensitive tag with no content note.
    ContentNoteMissing,
    /// A reference with an impossible DOI, URL or year.
    ReferenceInvalid,
    /// The review date has passed.
    ReviewOverdue,
    /// An image without alt text.
    ImageAltMissing,
    /// A heading that skips a level.
    HeadingLevelSkipped,
    /// A link to an article that does not exist.
    InternalLinkBroken,
    /// No reader question.
    QuestionMissing,
}

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: [Rule; 11] = [
        Rule::CitationWithoutReference,
        Rule::ReferenceNotCited,
        Rule::ClaimWithoutCitation,
        Rule::PrescriptiveAdvice,
        Rule::ContentNoteMissing,
        Rule::ReferenceInvalid,
        Rule::ReviewOverdue,
        Rule::ImageAltMissing,
        Rule::HeadingLevelSkipped,
        Rule::InternalLinkBroken,
        Rule::QuestionMissing,
    ];

    /// The stable id, e.g. "citation-without-reference".
    pub fn id(self) -> &'static str {
        match self {
            Rule::CitationWithoutReference => "citation-without-reference",
            Rule::ReferenceNotCited => "reference-not-cited",
            Rule::ClaimWithoutCitation => "claim-without-citation",
            Rule::PrescriptiveAdvice => "prescriptive-advice",
            Rule::ContentNoteMissing => "content-note-missing",
            Rule::ReferenceInvalid => "reference-invalid",
            Rule::ReviewOverdue => "review-overdue",
            Rule::ImageAltMissing => "image-alt-missing",
            Rule::HeadingLevelSkipped => "heading-level-skipped",
            Rule::InternalLinkBroken => "internal-link-broken",
            Rule::QuestionMissing => "question-missing",
        }
    }

    /// The rule with this id, if any.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The severity used unless the configuration overrides it.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::CitationWithoutReference | Rule::ReferenceInvalid | Rule::InternalLinkBroken => {
                Severity::Error
            }
            Rule::QuestionMissing => Severity::Note,
            _ => Severity::Warning,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem found in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Which rule found it (serialised as its id).
    pub rule: Rule,
    /// How serious it is, after configuration.
    pub severity: Severity,
    /// 1-based line in the Markdown source file.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The text concerned (sentence, citation, tag, …).
    pub excerpt: String,
    /// How to fix it, when there is a useful hint.
    pub suggestion: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {} [{}] {}", self.line, self.column, self.severity, self.rule, self.message)
    }
}

/// Operator settings for the checker (a `[check]` table in the site
/// configuration). Every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Rule ids that are not run, e.g. `["question-missing"]`.
    pub disabled: BTreeSet<String>,
    /// Severity per rule id, e.g. `{ "review-overdue" = "error" }`.
    pub severity: BTreeMap<String, Severity>,
    /// Entries added to the phrase lists of `data/checks/phrases.toml`, keyed
    /// "section.list" (e.g. "claims.patterns") or
    /// "content_notes.aliases.TAG".
    pub extra_phrases: BTreeMap<String, Vec<String>>,
    /// Tags that need a content note.
    pub sensitive_tags: Vec<String>,
    /// Days after `last_reviewed` when a review is due, if `next_review` is
    /// not set.
    pub review_interval_days: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            disabled: BTreeSet::new(),
            severity: BTreeMap::new(),
            extra_phrases: BTreeMap::new(),
            sensitive_tags: [
                "trauma",
                "abuse",
                "selfharm",
                "suicide",
                "sexualcontent",
                "sexualassault",
                "eatingdisorders",
            ]
            .into_iter()
            .map(str::to_string)
            .collect(),
            review_interval_days: 365,
        }
    }
}

impl CheckConfig {
    /// Problems with this configuration (unknown rule ids or phrase lists,
    /// patterns that cannot match, a broken embedded phrase file), so the
    /// caller can refuse a typo at startup instead of silently ignoring it.
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = phrases::embedded_error().map(str::to_string).into_iter().collect();
        for id in self.disabled.iter().chain(self.severity.keys()) {
            if Rule::from_id(id).is_none() {
                problems.push(format!("unknown check rule \"{id}\""));
            }
        }
        for (list, entries) in &self.extra_phrases {
            if !phrases::LIST_NAMES.contains(&list.as_str()) && !list.starts_with(phrases::ALIAS_PREFIX) {
                problems.push(format!("unknown phrase list \"{list}\""));
            }
            if list.ends_with(".patterns") || list.ends_with(".exceptions") {
                for entry in entries.iter().filter(|e| pattern::Pattern::parse(e).is_none()) {
                    problems.push(format!("phrase pattern \"{entry}\" in {list} has no words"));
                }
            }
        }
        problems
    }

    /// Whether `rule` runs.
    pub(super) fn is_enabled(&self, rule: Rule) -> bool {
        !self.disabled.contains(rule.id())
    }

    /// The severity `rule` reports with.
    pub(super) fn severity_of(&self, rule: Rule) -> Severity {
        self.severity.get(rule.id()).copied().unwrap_or_else(|| rule.default_severity())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    #[test]
    fn findings_serialise_with_rule_ids_and_lower_case_severities() {
        let findings = run("Studies show it.\n");
        let json = serde_json::to_value(&findings).unwrap();
        assert_eq!(json[0]["rule"], "claim-without-citation");
        assert_eq!(json[0]["severity"], "warning");
        assert_eq!(json[0]["line"], 1);
        assert_eq!(json[0]["column"], 1);
    }

    #[test]
    fn configuration_typos_are_reported() {
        let mut config = CheckConfig::default();
        config.disabled.insert("no-such-rule".into());
        config.extra_phrases.insert("claims.paterns".into(), vec!["x".into()]);
        config.extra_phrases.insert("advice.patterns".into(), vec!["…".into()]);
        assert_eq!(config.problems().len(), 3);
        assert!(CheckConfig::default().problems().is_empty());
    }

    #[test]
    fn configuration_deserialises_from_toml_with_defaults() {
        let config: CheckConfig =
            toml::from_str("disabled = [\"question-missing\"]\n[severity]\nreview-overdue = \"error\"\n")
                .unwrap();
        assert!(config.disabled.contains("question-missing"));
        assert_eq!(config.severity["review-overdue"], Severity::Error);
        assert_eq!(config.review_interval_days, 365);
    }

    #[test]
    fn every_rule_id_round_trips() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
    }
}
