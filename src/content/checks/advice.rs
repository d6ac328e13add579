//! `prescriptive-advice`: sentences that instruct the reader on their health
//! or behaviour ("you must …", "you should …", "everyone should …", "it is
//! crucial for individuals … to …"). ZeroOpposite describes what some people
//! find helpful and leaves the choice with the reader.
//!
//! Not flagged: negations and reassurance ("you should not feel ashamed",
//! "Nobody needs to have sex to heal"), conditional or relative uses ("if you
//! need to pause", "what you need to know"), reported pressure or belief
//! ("you may feel you should be over it"), quoted speech, questions, headings
//! and block quotes.

use super::claims::is_question;
use super::phrases::Phrases;
use super::text::excerpt;
use super::{At, Draft, Rule, View};

/// Runs the rule over every prose sentence.
pub(super) fn check(views: &[View<'_>], phrases: &Phrases) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for view in views.iter().filter(|v| v.is_own_prose()) {
        for sentence in &view.sentences {
            let text = &view.block.text[sentence.clone()];
            if is_question(text) {
                continue;
            }
            let tokens = view.tokens_in(sentence);
            let exceptions: Vec<std::ops::Range<usize>> =
                phrases.advice_exceptions.iter().flat_map(|p| p.find_all(tokens, &[])).collect();
            let mut best: Option<std::ops::Range<usize>> = None;
            for pattern in &phrases.advice_patterns {
                for m in pattern.find_all(tokens, &phrases.advice_gap_stops) {
                    let word = |i: usize| tokens.get(i).map(|t| t.word.as_str());
                    let negated =
                        word(m.end).is_some_and(|w| phrases.advice_negations.iter().any(|n| n == w));
                    let relative = m.start > 0
                        && word(m.start - 1)
                            .is_some_and(|w| phrases.advice_immediately_before.iter().any(|n| n == w));
                    let reported = tokens[m.start.saturating_sub(4)..m.start]
                        .iter()
                        .any(|t| phrases.advice_before.contains(&t.word));
                    let excepted = exceptions.iter().any(|e| e.start < m.end + 2 && e.end > m.start);
                    if negated || relative || reported || excepted || view.is_quoted(tokens[m.start].start) {
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
                rule: Rule::PrescriptiveAdvice,
                at: At::Body(view.block.source_offset(from)),
                message: format!(
                    "\"{phrase}\" tells the reader what to do about their health or relationships."
                ),
                excerpt: excerpt(text, 160),
                suggestion: Some(phrases.advice_suggestion.clone()),
            });
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::super::testing::{lines_of, run};

    fn flagged(body: &str) -> Vec<usize> {
        lines_of(&run(body), "prescriptive-advice")
    }

    #[test]
    fn instructions_to_the_reader_are_flagged() {
        assert_eq!(flagged("You must talk to your partner.\n"), [1]);
        assert_eq!(flagged("You should try couples therapy.\n"), [1]);
        assert_eq!(flagged("Everyone should see a therapist.\n"), [1]);
        assert_eq!(flagged("You need to set boundaries.\n"), [1]);
        assert_eq!(
            flagged("It is crucial for individuals who have experienced trauma to engage in therapy.\n"),
            [1]
        );
        assert_eq!(flagged("It's essential to keep talking.\n"), [1]);
    }

    #[test]
    fn the_sample_articles_reassurance_is_not_flagged() {
        assert!(
            flagged("Nobody needs to have sex to heal, and pressure can make things worse.\n").is_empty()
        );
    }

    #[test]
    fn negated_conditional_and_reported_uses_are_not_flagged() {
        assert!(flagged("You should not feel ashamed.\n").is_empty());
        assert!(flagged("You don't need to explain yourself.\n").is_empty());
        assert!(flagged("You never have to say yes.\n").is_empty());
        assert!(flagged("If you need to stop, that is fine.\n").is_empty());
        assert!(flagged("Here is what you need to know.\n").is_empty());
        assert!(flagged("You may feel you should be over it by now.\n").is_empty());
        assert!(flagged("Not everyone should be pushed into therapy.\n").is_empty());
        assert!(flagged("It is important to remember that growth is not a test.\n").is_empty());
    }

    #[test]
    fn questions_quotes_and_headings_are_not_flagged() {
        assert!(flagged("Do you need to tell your partner?\n").is_empty());
        assert!(flagged("Friends said “you should be over it”.\n").is_empty());
        assert!(flagged("## What you should know\n").is_empty());
    }
}
