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

/// The form field of the admin editor a rule's findings belong to, when they
/// are reported outside the Markdown body (the editor shows body findings by
/// their line and column instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// The article as a whole (the body rules, should one land outside it).
    Article,
    /// The `[[references]]` list.
    References,
    /// The reader's question.
    Question,
    /// The tags and content notes.
    ContentNotes,
    /// `last_reviewed` and `next_review`.
    ReviewDates,
}

impl Field {
    /// The field's name as the editor shows it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Article => "Article",
            Field::References => "References",
            Field::Question => "Reader's question",
            Field::ContentNotes => "Tags and content notes",
            Field::ReviewDates => "Review dates",
        }
    }
}

/// One row of [`RULES`].
struct RuleInfo {
    rule: Rule,
    id: &'static str,
    severity: Severity,
    field: Field,
}

const fn row(rule: Rule, id: &'static str, severity: Severity, field: Field) -> RuleInfo {
    RuleInfo { rule, id, severity, field }
}

/// Every rule with its stable id, default severity and editor field, in
/// documentation order (which is also the enum's declaration order, so a
/// rule's row is `RULES[rule as usize]`; checked below at compile time).
/// This table is the one place these facts are written down: `Rule::id`,
/// `Rule::from_id`, `Rule::default_severity`, `Rule::field`, `Rule::ALL`, the
/// configuration check and the editor all read it.
#[rustfmt::skip]
const RULES: [RuleInfo; 11] = [
    row(Rule::CitationWithoutReference, "citation-without-reference", Severity::Error,   Field::Article),
    row(Rule::ReferenceNotCited,        "reference-not-cited",        Severity::Warning, Field::References),
    row(Rule::ClaimWithoutCitation,     "claim-without-citation",     Severity::Warning, Field::Article),
    row(Rule::PrescriptiveAdvice,       "prescriptive-advice",        Severity::Warning, Field::Article),
    row(Rule::ContentNoteMissing,       "content-note-missing",       Severity::Warning, Field::ContentNotes),
    row(Rule::ReferenceInvalid,         "reference-invalid",          Severity::Error,   Field::References),
    row(Rule::ReviewOverdue,            "review-overdue",             Severity::Warning, Field::ReviewDates),
    row(Rule::ImageAltMissing,          "image-alt-missing",          Severity::Warning, Field::Article),
    row(Rule::HeadingLevelSkipped,      "heading-level-skipped",      Severity::Warning, Field::Article),
    row(Rule::InternalLinkBroken,       "internal-link-broken",       Severity::Error,   Field::Article),
    row(Rule::QuestionMissing,          "question-missing",           Severity::Note,    Field::Question),
];

// Every row sits at its rule's index, so the lookups below cannot pick the wrong row.
const _: () = {
    let mut i = 0;
    while i < RULES.len() {
        assert!(RULES[i].rule as usize == i, "RULES must follow the declaration order of Rule");
        i += 1;
    }
};

impl Rule {
    /// Every rule, in documentation order.
    pub const ALL: [Rule; RULES.len()] = {
        let mut all = [Rule::CitationWithoutReference; RULES.len()];
        let mut i = 0;
        while i < RULES.len() {
            all[i] = RULES[i].rule;
            i += 1;
        }
        all
    };

    fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    /// The stable id, e.g. "citation-without-reference".
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The rule with this id, if any.
    pub fn from_id(id: &str) -> Option<Rule> {
        RULES.iter().find(|r| r.id == id).map(|r| r.rule)
    }

    /// The severity used unless the configuration overrides it.
    pub fn default_severity(self) -> Severity {
        self.info().severity
    }

    /// The editor field a finding of this rule belongs to when it is not in
    /// the body.
    pub fn field(self) -> Field {
        self.info().field
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
    fn default_severities_and_fields_come_from_the_table() {
        let errors: Vec<&str> =
            Rule::ALL.into_iter().filter(|r| r.default_severity() == Severity::Error).map(Rule::id).collect();
        assert_eq!(errors, ["citation-without-reference", "reference-invalid", "internal-link-broken"]);
        assert_eq!(Rule::QuestionMissing.default_severity(), Severity::Note);
        assert_eq!(Rule::ReviewOverdue.default_severity(), Severity::Warning);
        assert_eq!(Rule::ReferenceNotCited.field().label(), "References");
        assert_eq!(Rule::ContentNoteMissing.field(), Field::ContentNotes);
        assert_eq!(Rule::ClaimWithoutCitation.field(), Field::Article);
    }

    #[test]
    fn every_rule_id_round_trips() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
    }
}
