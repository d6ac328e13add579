//! In-text APA citations: finding them in prose, and matching them with the
//! front-matter references for `citation-without-reference` and
//! `reference-not-cited`.
//!
//! Supported forms: "(Author, 2004)", "(Author & Other, 2009)", "(Author et
//! al., 2006)", "(A, B, & C, 2015)", several separated by ";", page numbers
//! "(Author, 2004, p. 12)", "n.d.", year suffixes "2004a", prefixes such as
//! "e.g.," or "see also", "as cited in", and the narrative forms
//! "Author (2004)", "Author et al. (2006)", "Author and Other (2009)",
//! "Author's (2004)". Surnames and years are compared; "et al." matches the
//! first author.

use super::apa::{normalise_surname, parse_author_year, parse_years};
use super::phrases::Phrases;
use super::references::Identity;
use super::{At, Draft, Rule, View};

/// One cited work, in the coordinates of a block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Citation {
    /// Byte offset of the citation's first author (or its bracket).
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// Normalised surnames, in order.
    pub authors: Vec<String>,
    /// Written with "et al.".
    pub et_al: bool,
    /// Normalised year: "2004", "2004a", "n.d.", "in press".
    pub year: String,
}

/// Matching bracket pairs (open, close) in `text`, innermost first.
fn bracket_pairs(text: &str) -> Vec<(usize, usize)> {
    let mut stack = Vec::new();
    let mut pairs = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => stack.push(i),
            ')' => {
                if let Some(open) = stack.pop()
                    && i - open <= 400
                {
                    pairs.push((open, i));
                }
            }
            _ => {}
        }
    }
    pairs
}

/// The authors written just before a bracketed year: "Bonanno", "Tedeschi
/// and Calhoun", "Yehuda, Lehrner, and Rosenbaum", "Bonanno et al.".
/// Returns the surnames, et al., and the offset of the first author.
fn narrative_authors(before: &str, phrases: &Phrases) -> Option<(Vec<String>, bool, usize)> {
    let window = before.len().saturating_sub(200);
    let window = (window..=before.len()).find(|&i| before.is_char_boundary(i)).unwrap_or(before.len());
    let mut toks: Vec<(usize, &str)> = Vec::new();
    for (i, word) in
        before[window..].split_whitespace().map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w))
    {
        match word.strip_suffix(',') {
            Some(w) if !w.is_empty() => {
                toks.push((i, w));
                toks.push((i + w.len(), ","));
            }
            _ => toks.push((i, word)),
        }
    }
    let mut end = toks.len();
    let mut et_al = false;
    if end >= 2 && toks[end - 1].1.eq_ignore_ascii_case("al.") && toks[end - 2].1.eq_ignore_ascii_case("et") {
        et_al = true;
        end -= 2;
    }
    let (name, mut start, mut end) = take_name(&toks, end, phrases)?;
    let mut names = vec![name];
    if !et_al && end >= 2 && matches!(toks[end - 1].1, "and" | "&") {
        let mut j = end - 1;
        if toks[j - 1].1 == "," {
            j -= 1;
        }
        if let Some((second, s, k)) = take_name(&toks, j, phrases) {
            names.push(second);
            (start, end) = (s, k);
            while end >= 2 && toks[end - 1].1 == "," {
                let Some((more, s, k)) = take_name(&toks, end - 1, phrases) else {
                    break;
                };
                names.push(more);
                (start, end) = (s, k);
            }
        }
    }
    names.reverse();
    Some((names, et_al, start))
}

/// The surname ending at token `end` (exclusive), with any particles before
/// it: (normalised name, offset, index of its first token).
fn take_name(toks: &[(usize, &str)], end: usize, phrases: &Phrases) -> Option<(String, usize, usize)> {
    let (offset, word) = *toks.get(end.checked_sub(1)?)?;
    let bare = word.trim_end_matches("'s").trim_end_matches("’s");
    let capitalised = bare.chars().next().is_some_and(char::is_uppercase);
    let clean = bare.chars().all(|c| c.is_alphabetic() || "'’-".contains(c));
    if !capitalised || !clean || phrases.not_names.contains(&bare.to_lowercase()) {
        return None;
    }
    let mut first = end - 1;
    let mut start = offset;
    while first > 0 && phrases.particles.contains(&toks[first - 1].1.to_lowercase()) {
        first -= 1;
        start = toks[first].0;
    }
    let words: Vec<&str> = toks[first..end - 1].iter().map(|t| t.1).chain([bare]).collect();
    Some((normalise_surname(&words.join(" ")), start, first))
}

/// Every citation in one block of prose.
pub(super) fn find_citations(text: &str, phrases: &Phrases) -> Vec<Citation> {
    let mut out = Vec::new();
    for (open, close) in bracket_pairs(text) {
        let inner = &text[open + 1..close];
        if let Some((years, used)) = parse_years(inner.trim_start()) {
            let tail = inner.trim_start()[used..].trim_start();
            if (tail.is_empty() || tail.starts_with(','))
                && let Some((authors, et_al, start)) = narrative_authors(&text[..open], phrases)
            {
                out.extend(years.into_iter().map(|year| Citation {
                    start,
                    end: close + 1,
                    authors: authors.clone(),
                    et_al,
                    year,
                }));
            }
            continue;
        }
        let mut part_start = open + 1;
        for part in inner.split(';') {
            let start = part_start + (part.len() - part.trim_start().len());
            part_start += part.len() + 1;
            out.extend(parse_part(part.trim_start(), start, phrases));
        }
    }
    out.sort_by_key(|c| (c.start, c.end));
    out
}

/// Parses one ";"-separated part of a bracket. For "Jones, 1990, as cited
/// in Smith, 2004" only the secondary source (Smith) is returned: APA puts
/// only that one in the reference list.
fn parse_part(part: &str, start: usize, phrases: &Phrases) -> Vec<Citation> {
    const SECONDARY: &str = "as cited in ";
    if let Some(at) = part.to_ascii_lowercase().find(SECONDARY) {
        let from = at + SECONDARY.len();
        return parse_part(&part[from..], start + from, phrases);
    }
    let Some(parsed) = parse_author_year(part, phrases) else { return Vec::new() };
    let (begin, end) = (start + parsed.skipped, start + part.trim_end().len());
    let (authors, et_al) = (parsed.authors, parsed.et_al);
    parsed
        .years
        .into_iter()
        .map(|year| Citation { start: begin, end, authors: authors.clone(), et_al, year })
        .collect()
}

/// Two surnames are the same author: equal, or one is the other's last
/// words ("Kolk" in "van der Kolk", "Organization" in "World Health
/// Organization").
fn same_name(a: &str, b: &str) -> bool {
    a == b || b.ends_with(&format!(" {a}")) || a.ends_with(&format!(" {b}"))
}

/// Whether a citation's year fits a reference's: equal, or the same year
/// when the reference has no letter suffix.
fn same_year(cited: &str, reference: &str) -> bool {
    cited == reference || (reference.len() == 4 && cited.len() == 5 && cited.starts_with(reference))
}

/// Whether `citation` points at the reference identified as `id`.
pub(super) fn matches(citation: &Citation, id: &Identity) -> bool {
    let Some(year) = &id.year else { return false };
    if !same_year(&citation.year, year) || id.authors.is_empty() || citation.authors.is_empty() {
        return false;
    }
    let pairs_match =
        |n: usize| citation.authors.iter().zip(&id.authors).take(n).all(|(a, b)| same_name(a, b));
    if citation.et_al {
        // "(Bonanno et al., 2006)": the named authors lead a longer list.
        (id.et_al || id.authors.len() > citation.authors.len()) && pairs_match(citation.authors.len())
    } else if id.et_al {
        // A key written "Bonanno et al., 2006" matches a full author list.
        citation.authors.len() > id.authors.len() && pairs_match(id.authors.len())
    } else {
        citation.authors.len() == id.authors.len() && pairs_match(citation.authors.len())
    }
}

/// The two matching rules over all blocks' citations.
pub(super) fn check(views: &[View<'_>], ids: &[(usize, Option<Identity>)]) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut used = vec![false; ids.len()];
    for view in views {
        let block = view.block;
        for citation in &view.citations {
            let mut found = false;
            for (k, (_, id)) in ids.iter().enumerate() {
                if id.as_ref().is_some_and(|id| matches(citation, id)) {
                    used[k] = true;
                    found = true;
                }
            }
            if found {
                continue;
            }
            let written = super::text::excerpt(&block.text[citation.start..citation.end], 120);
            let near = ids.iter().filter_map(|(_, id)| id.as_ref()).find(|id| {
                id.authors.first().zip(citation.authors.first()).is_some_and(|(a, b)| same_name(a, b))
            });
            let suggestion = match near {
                Some(id) => format!("The references have {}; check the authors and year.", id.label),
                None => "Add a [[references]] entry for this work, or remove the citation.".to_string(),
            };
            drafts.push(Draft {
                rule: Rule::CitationWithoutReference,
                at: At::Body(block.source_offset(citation.start)),
                message: format!("No reference matches the citation \"{written}\"."),
                excerpt: written,
                suggestion: Some(suggestion),
            });
        }
    }
    for ((line, id), used) in ids.iter().zip(used) {
        if used {
            continue;
        }
        let (message, suggestion) = match id {
            Some(id) => (
                format!("The reference \"{}\" is never cited in the text.", id.label),
                format!("Cite it where it is used, e.g. ({}), or remove it.", id.label),
            ),
            None => (
                "The authors and year of this reference could not be read, so no citation can match it."
                    .to_string(),
                "Give it a key such as \"Author & Other, 2004\", or APA text \"Author, A. (2004). Title.\""
                    .to_string(),
            ),
        };
        drafts.push(Draft {
            rule: Rule::ReferenceNotCited,
            at: At::Line(*line),
            message,
            excerpt: id.as_ref().map(|i| i.label.clone()).unwrap_or_default(),
            suggestion: Some(suggestion),
        });
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::super::testing::{keyed, lines_of, run_with};
    use super::*;

    #[test]
    fn a_citation_without_a_reference_is_an_error_at_its_position() {
        let refs = [keyed("Bonanno, 2004", 30)];
        let findings = run_with("Resilience is common (Bonanno, 2004; Smith, 2010).\n", &refs);
        let missing: Vec<(usize, usize)> = findings
            .iter()
            .filter(|f| f.rule.id() == "citation-without-reference")
            .map(|f| (f.line, f.column))
            .collect();
        assert_eq!(missing, [(1, 38)]);
        assert_eq!(findings[0].severity, super::super::Severity::Error);
    }

    #[test]
    fn a_reference_that_is_never_cited_is_reported_at_its_line() {
        let refs = [keyed("Bonanno, 2004", 7), keyed("Prati & Pietrantoni, 2009", 12)];
        let findings = run_with("Bonanno (2004) saw resilience.\n", &refs);
        assert_eq!(lines_of(&findings, "reference-not-cited"), [12]);
        assert!(lines_of(&findings, "citation-without-reference").is_empty());
    }

    #[test]
    fn a_wrong_year_names_the_reference_that_was_probably_meant() {
        let findings = run_with("As Bonanno (2005) showed.\n", &[keyed("Bonanno, 2004", 3)]);
        let suggestion = findings[0].suggestion.clone().unwrap_or_default();
        assert!(suggestion.contains("Bonanno, 2004"), "{suggestion}");
    }

    #[test]
    fn only_the_secondary_source_of_as_cited_in_needs_a_reference() {
        let findings =
            run_with("Attachment matters (Bowlby, 1969, as cited in Hazan & Shaver, 1987).\n", &[]);
        let cited: Vec<&str> = findings.iter().map(|f| f.excerpt.as_str()).collect();
        assert_eq!(cited, ["Hazan & Shaver, 1987"]);
    }

    #[test]
    fn malformed_or_unusual_text_never_panics() {
        let nasty = [
            "(",
            ")",
            "((((Smith, 2004",
            "(Smith, ",
            "(İstanbul, 2004) İİİ (K, 2004)",
            "e.g.",
            "et al. (",
            "\r\nStudies show it.\r\n",
            "![",
            "<img",
            "<a href=",
            "<a href=\"/articles/",
            "[^x]",
            "10.",
            "🙂 (Émile, 2004) 🙂 You must 🙂.",
            "( \u{FFFC}, 2004)",
            "Smith (n.d.-",
            "#",
            "######## x",
            "| a |\n| - |\n| (Lee, 2001 |",
            "> > > studies show",
            "\u{0}\u{FFFF}",
        ];
        for text in nasty {
            let _ = run_with(text, &[keyed("Smith, 2004", 1), keyed("", 2), keyed("(", 3)]);
        }
    }

    #[test]
    fn citations_in_code_are_not_citations() {
        assert!(run_with("Write `(Smith, 2004)` like this.\n", &[]).is_empty());
    }

    fn cites(text: &str) -> Vec<(Vec<String>, bool, String)> {
        let phrases = Phrases::with_extras(&Default::default());
        find_citations(text, &phrases).into_iter().map(|c| (c.authors, c.et_al, c.year)).collect()
    }

    fn one(authors: &[&str], et_al: bool, year: &str) -> (Vec<String>, bool, String) {
        (authors.iter().map(|a| a.to_string()).collect(), et_al, year.to_string())
    }

    #[test]
    fn parenthetical_citations_in_every_supported_form_are_found() {
        assert_eq!(cites("x (Bonanno, 2004)."), [one(&["bonanno"], false, "2004")]);
        assert_eq!(cites("x (Prati & Pietrantoni, 2009)"), [one(&["prati", "pietrantoni"], false, "2009")]);
        assert_eq!(cites("x (Bonanno et al., 2006)"), [one(&["bonanno"], true, "2006")]);
        assert_eq!(
            cites("x (Yehuda, Lehrner, & Rosenbaum, 2015)"),
            [one(&["yehuda", "lehrner", "rosenbaum"], false, "2015")]
        );
        assert_eq!(cites("x (Bonanno, 2004, p. 12)"), [one(&["bonanno"], false, "2004")]);
        assert_eq!(cites("x (Smith, n.d.)"), [one(&["smith"], false, "n.d.")]);
        assert_eq!(
            cites("x (Smith, 2004a, 2004b)"),
            [one(&["smith"], false, "2004a"), one(&["smith"], false, "2004b")]
        );
        assert_eq!(
            cites("x (e.g., Bonanno, 2004; see also van der Kolk, 2014)"),
            [one(&["bonanno"], false, "2004"), one(&["van der kolk"], false, "2014")]
        );
    }

    #[test]
    fn narrative_citations_are_found() {
        assert_eq!(cites("As Bonanno (2004) showed"), [one(&["bonanno"], false, "2004")]);
        assert_eq!(cites("Bonanno et al. (2006) found"), [one(&["bonanno"], true, "2006")]);
        assert_eq!(
            cites("Tedeschi and Calhoun (1996) coined"),
            [one(&["tedeschi", "calhoun"], false, "1996")]
        );
        assert_eq!(
            cites("Yehuda, Lehrner, and Rosenbaum (2015, p. 3) say"),
            [one(&["yehuda", "lehrner", "rosenbaum"], false, "2015")]
        );
        assert_eq!(cites("In Bonanno’s (2004) review"), [one(&["bonanno"], false, "2004")]);
    }

    #[test]
    fn brackets_that_only_look_like_citations_are_ignored() {
        assert!(cites("the law changed (2004) and (In Sweden, 2004) and (since 2010)").is_empty());
        assert!(cites("(about 40%, 2019 data) and (ages 18, 2004)").is_empty());
    }

    #[test]
    fn et_al_matches_the_first_author_of_a_longer_reference() {
        let id = Identity {
            authors: vec!["yehuda".into(), "lehrner".into(), "rosenbaum".into()],
            et_al: false,
            year: Some("2015".into()),
            label: String::new(),
        };
        let c = |a: &[&str], et_al: bool| Citation {
            start: 0,
            end: 0,
            authors: a.iter().map(|s| s.to_string()).collect(),
            et_al,
            year: "2015".into(),
        };
        assert!(matches(&c(&["yehuda"], true), &id));
        assert!(matches(&c(&["yehuda", "lehrner", "rosenbaum"], false), &id));
        assert!(!matches(&c(&["yehuda"], false), &id));
        assert!(!matches(&c(&["lehrner"], true), &id));
    }
}
