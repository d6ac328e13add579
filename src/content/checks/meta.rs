//! Whole-article rules read from the front matter: `content-note-missing`
//! (a sensitive tag with no content note covering it), `review-overdue`
//! (health information goes stale) and `question-missing` (ZeroOpposite
//! articles answer a reader's question).

use time::Duration;

use super::phrases::{Phrases, label_key};
use super::{At, CheckConfig, CheckInput, Draft, Rule};

/// Whether one content note covers a sensitive tag: the note is the tag, or
/// contains it ("childhood trauma" covers "trauma"), or is one of its
/// aliases from `phrases.toml`.
fn covers(note: &str, tag: &str, phrases: &Phrases) -> bool {
    let aliases = phrases.note_aliases.get(tag).map(Vec::as_slice).unwrap_or_default();
    note.contains(tag) || aliases.iter().any(|a| !a.is_empty() && note.contains(a.as_str()))
}

/// `content-note-missing`: one finding per uncovered sensitive tag.
fn content_notes(input: &CheckInput<'_>, config: &CheckConfig, phrases: &Phrases) -> Vec<Draft> {
    let sensitive: Vec<String> = config.sensitive_tags.iter().map(|t| label_key(t)).collect();
    let notes: Vec<String> =
        input.content_notes.iter().map(|n| label_key(n)).filter(|n| !n.is_empty()).collect();
    let mut drafts = Vec::new();
    let mut seen = Vec::new();
    for tag in input.tags {
        let key = label_key(tag);
        if !sensitive.contains(&key) || seen.contains(&key) || notes.iter().any(|n| covers(n, &key, phrases))
        {
            continue;
        }
        seen.push(key.clone());
        drafts.push(Draft {
            rule: Rule::ContentNoteMissing,
            at: At::Line(input.front_matter_line),
            message: format!("The article is tagged #{key}, but no content note covers it."),
            excerpt: format!("#{key}"),
            suggestion: Some(format!(
                "Add a content note that covers #{key} to content_notes; it is shown as a descriptive label before the body."
            )),
        });
    }
    drafts
}

/// `review-overdue`: `next_review`, or `last_reviewed` plus the configured
/// interval, is before today.
fn review(input: &CheckInput<'_>, config: &CheckConfig) -> Option<Draft> {
    let interval = Duration::days(i64::from(config.review_interval_days));
    let (due, why) = match (input.next_review, input.last_reviewed) {
        (Some(next), _) => (next, "next_review".to_string()),
        (None, Some(last)) => (
            last.checked_add(interval)?,
            format!("last_reviewed {last} + {} days", config.review_interval_days),
        ),
        (None, None) => return None,
    };
    if due >= input.today {
        return None;
    }
    let late = (input.today - due).whole_days();
    Some(Draft {
        rule: Rule::ReviewOverdue,
        at: At::Line(input.front_matter_line),
        message: format!(
            "The review was due on {due} ({why}); it is {late} day{} overdue.",
            if late == 1 { "" } else { "s" }
        ),
        excerpt: due.to_string(),
        suggestion: Some(
            "Review the article against current evidence, then update last_reviewed and next_review."
                .to_string(),
        ),
    })
}

/// Runs the whole-article rules.
pub(super) fn check(input: &CheckInput<'_>, config: &CheckConfig, phrases: &Phrases) -> Vec<Draft> {
    let mut drafts = content_notes(input, config, phrases);
    drafts.extend(review(input, config));
    if !input.has_question {
        drafts.push(Draft {
            rule: Rule::QuestionMissing,
            at: At::Line(input.question_line.unwrap_or(input.front_matter_line)),
            message: "The article has no reader question; ZeroOpposite articles answer one.".to_string(),
            excerpt: String::new(),
            suggestion: Some(
                "Add the reader's question as `question = \"…\"` in the front matter.".to_string(),
            ),
        });
    }
    drafts
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::testing::{input, lines_of};
    use super::super::{CheckConfig, check as check_all};

    #[test]
    fn a_sensitive_tag_without_a_content_note_is_flagged() {
        let tags = vec!["trauma".to_string(), "healing".to_string(), "selfharm".to_string()];
        let notes = vec!["Childhood trauma".to_string()];
        let mut i = input("Body.\n");
        i.tags = &tags;
        i.content_notes = &notes;
        let findings = check_all(&i, &CheckConfig::default());
        let flagged: Vec<&str> = findings
            .iter()
            .filter(|f| f.rule.id() == "content-note-missing")
            .map(|f| f.excerpt.as_str())
            .collect();
        assert_eq!(flagged, ["#selfharm"]);
    }

    #[test]
    fn content_note_aliases_and_spacing_are_accepted() {
        let tags = vec!["sexualcontent".to_string(), "sexualassault".to_string()];
        let notes = vec!["Sexual content".to_string(), "sexual violence".to_string()];
        let mut i = input("Body.\n");
        i.tags = &tags;
        i.content_notes = &notes;
        assert!(lines_of(&check_all(&i, &CheckConfig::default()), "content-note-missing").is_empty());
    }

    #[test]
    fn an_overdue_review_is_flagged_from_either_date() {
        let mut i = input("Body.\n");
        i.today = date!(2026 - 12 - 01);
        i.next_review = Some(date!(2026 - 11 - 30));
        assert_eq!(lines_of(&check_all(&i, &CheckConfig::default()), "review-overdue"), [1]);
        i.next_review = None;
        i.last_reviewed = Some(date!(2025 - 11 - 30));
        assert_eq!(lines_of(&check_all(&i, &CheckConfig::default()), "review-overdue"), [1]);
        i.last_reviewed = Some(date!(2025 - 12 - 02));
        assert!(lines_of(&check_all(&i, &CheckConfig::default()), "review-overdue").is_empty());
    }

    #[test]
    fn a_missing_question_is_a_note() {
        let mut i = input("Body.\n");
        i.has_question = false;
        let findings = check_all(&i, &CheckConfig::default());
        assert_eq!(lines_of(&findings, "question-missing"), [1]);
        assert_eq!(findings[0].severity, super::super::Severity::Note);
    }
}
