//! `claim-without-citation`: a sentence that asserts a research finding
//! ("a study found", "studies show", "research suggests", "experts agree",
//! "it has been established that", …) with no source in the same sentence.
//!
//! A source is an in-text citation (matched or not; the citation rules
//! judge it), a footnote mark or an external link. Mentions of research that
//! assert nothing are left alone: questions, quoted speech, block quotes,
//! headings, and claims introduced by cue words such as "whether", "if" or
//! "headlines claim" ("Ask whether a study was peer reviewed").

use super::phrases::Phrases;
use super::text::excerpt;
use super::{At, Draft, Rule, View};

/// Whether the sentence is a question (its last visible mark is "?").
pub(super) fn is_question(sentence: &str) -> bool {
    sentence.trim_end_matches(|c: char| c.is_whitespace() || "\"”’')]*_\u{FFFC}".contains(c)).ends_with('?')
}

/// Whether the words after a claim's verb make it a general remark about
/// research ("rarely proves anything", "tells us little about …"): a
/// generic object within the next two words; "little" and "much" only
/// before "about" or at the end of the sentence.
fn generic_object(tokens: &[super::text::Token], end: usize, phrases: &Phrases) -> bool {
    (end..tokens.len().min(end + 2)).any(|i| {
        let word = tokens[i].word.as_str();
        if !phrases.claim_generic_objects.iter().any(|g| g == word) {
            return false;
        }
        if matches!(word, "little" | "much") {
            return tokens.get(i + 1).is_none_or(|next| next.word == "about");
        }
        true
    })
}

/// Runs the rule over every prose sentence.
pub(super) fn check(views: &[View<'_>], phrases: &Phrases) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for view in views.iter().filter(|v| v.is_own_prose()) {
        for sentence in &view.sentences {
            let text = &view.block.text[sentence.clone()];
            if is_question(text) || view.is_cited(sentence) {
                continue;
            }
            let tokens = view.tokens_in(sentence);
            let mut best: Option<std::ops::Range<usize>> = None;
            for pattern in &phrases.claim_patterns {
                for m in pattern.find_all(tokens, &phrases.claim_gap_stops) {
                    let cue_window = &tokens[m.start.saturating_sub(5)..m.start];
                    let cued = cue_window
                        .iter()
                        .chain(tokens.first())
                        .any(|t| phrases.claim_mention_cues.contains(&t.word));
                    if cued || generic_object(tokens, m.end, phrases) || view.is_quoted(tokens[m.start].start)
                    {
                        continue;
                    }
                    if best.as_ref().is_none_or(|b| m.start < b.start) {
                        best = Some(m);
                    }
                }
            }
            let Some(m) = best else { continue };
            let (from, to) = (tokens[m.start].start, tokens[m.end - 1].end);
            let phrase = excerpt(&view.block.text[from..to], 60);
            drafts.push(Draft {
                rule: Rule::ClaimWithoutCitation,
                at: At::Body(view.block.source_offset(from)),
                message: format!("\"{phrase}\" presents a research finding, but the sentence cites no source."),
                excerpt: excerpt(text, 160),
                suggestion: Some(
                    "Add an in-text citation such as (Author, 2004) with a matching reference, or say what is known without claiming research support."
                        .to_string(),
                ),
            });
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::super::testing::{lines_of, run};

    fn flagged(body: &str) -> Vec<usize> {
        lines_of(&run(body), "claim-without-citation")
    }

    #[test]
    fn an_uncited_research_claim_is_flagged() {
        assert_eq!(flagged("A study found that touch lowers stress.\n"), [1]);
        assert_eq!(flagged("Studies consistently show that support matters.\n"), [1]);
        assert_eq!(flagged("Research suggests intimacy helps.\n"), [1]);
        assert_eq!(flagged("Scientists have proven that hugs heal.\n"), [1]);
        assert_eq!(flagged("It has been established that growth is common.\n"), [1]);
        assert_eq!(flagged("Evidence shows that couples recover.\n"), [1]);
        assert_eq!(flagged("Experts agree that pacing helps.\n"), [1]);
        assert_eq!(flagged("Loneliness has also been linked to poor sleep.\n"), [1]);
        assert_eq!(flagged("Breathing exercises are proven to work.\n"), [1]);
        assert_eq!(flagged("Studies show little benefit from forcing it.\n"), [1]);
    }

    #[test]
    fn a_claim_with_a_citation_in_the_same_sentence_is_not_flagged() {
        assert!(flagged("Studies show support matters (Prati & Pietrantoni, 2009).\n").is_empty());
        assert!(flagged("Bonanno (2004) found that resilience is common.\n").is_empty());
        assert!(flagged("A study found this.[^1]\n\n[^1]: Smith.\n").is_empty());
        assert!(flagged("A [study](https://doi.org/10.1000/x) found this.\n").is_empty());
    }

    #[test]
    fn the_citation_must_be_in_the_same_sentence() {
        assert_eq!(flagged("Growth is common (Bonanno, 2004). Research suggests more.\n"), [1]);
    }

    #[test]
    fn sentences_that_only_mention_research_are_not_flagged() {
        assert!(flagged("Research on this topic is still young.\n").is_empty());
        assert!(flagged("A single study rarely proves anything.\n").is_empty());
        assert!(flagged("A survey of students tells us little about older people.\n").is_empty());
        assert!(flagged("Ask whether a study was peer reviewed.\n").is_empty());
        assert!(flagged("Ask whether the study found a real effect.\n").is_empty());
        assert!(flagged("Does research show that sex heals?\n").is_empty());
        assert!(flagged("Future research will show more.\n").is_empty());
        assert!(flagged("Headlines claim that studies prove it.\n").is_empty());
        assert!(flagged("A headline read “Studies show sex cures grief.”\n").is_empty());
        assert!(flagged("> Studies show I should be over it.\n").is_empty());
        assert!(flagged("## What research shows\n").is_empty());
    }

    #[test]
    fn code_is_not_prose() {
        assert!(flagged("Type `studies show` into the search box.\n").is_empty());
        assert!(flagged("```\nresearch suggests\n```\n").is_empty());
    }
}
