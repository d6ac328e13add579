//! APA author-and-year parsing shared by in-text citations and reference
//! keys: years ("2004", "2004a", "n.d.", "in press"), surnames with
//! particles ("van der Kolk"), group authors ("World Health Organization"),
//! "et al." and openers such as "e.g.," or "see also".

use super::phrases::Phrases;

/// Authors and years parsed from "Author & Other, 2004, 2005".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Parsed {
    /// Normalised surnames.
    pub authors: Vec<String>,
    /// Written with "et al.".
    pub et_al: bool,
    /// Normalised years, at least one.
    pub years: Vec<String>,
    /// Byte length of the leading prefix ("e.g., ") that was skipped.
    pub skipped: usize,
}

/// Parses one year at the start of `s`: the normalised year and its length.
pub(super) fn parse_year(s: &str) -> Option<(String, usize)> {
    let lower = s.to_ascii_lowercase();
    let (mut year, mut used) = if lower.starts_with("n.d.") {
        ("n.d.".to_string(), 4)
    } else if lower.starts_with("in press") {
        ("in press".to_string(), 8)
    } else {
        let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
        if digits != 4 || !matches!(lower.as_bytes()[0], b'1' | b'2') {
            return None;
        }
        (lower[..4].to_string(), 4)
    };
    let rest = &lower[used..];
    let dash = year.starts_with(['n', 'i']) && rest.starts_with('-');
    let mut chars = rest[usize::from(dash)..].chars();
    if let Some(c) = chars.next()
        && c.is_ascii_lowercase()
        && !chars.next().is_some_and(char::is_alphanumeric)
        && !(c == 's' && year.ends_with('0'))
    {
        if dash {
            year.push('-');
        }
        year.push(c);
        used += 1 + usize::from(dash);
    }
    if lower[used..].chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((year, used))
}

/// Parses "2004", "2004a, 2004b" or "2004, p. 12" at the start of `s`:
/// the years and the length consumed (locators are left unread).
pub(super) fn parse_years(s: &str) -> Option<(Vec<String>, usize)> {
    let (first, mut used) = parse_year(s)?;
    let mut years = vec![first];
    while let Some(rest) = s[used..].strip_prefix(',') {
        let trimmed = rest.trim_start();
        let Some((year, len)) = parse_year(trimmed) else {
            break;
        };
        years.push(year);
        used += 1 + (rest.len() - trimmed.len()) + len;
    }
    Some((years, used))
}

/// Lower-cases a surname and drops a possessive: "Bonanno’s" -> "bonanno".
pub(super) fn normalise_surname(name: &str) -> String {
    let name = name.replace('’', "'").to_lowercase();
    let name = name.strip_suffix("'s").unwrap_or(&name);
    name.trim_end_matches(['.', ',']).trim().to_string()
}

/// A word of initials: "R.", "J.-P.", "T.Y.".
pub(super) fn is_initial(word: &str) -> bool {
    word.contains('.') && word.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
}

/// Checks one author name in a citation ("van der Kolk", "World Health
/// Organization") and normalises it.
fn author_name(piece: &str, phrases: &Phrases) -> Option<String> {
    let words: Vec<&str> = piece.split_whitespace().skip_while(|w| is_initial(w)).collect();
    let (first, last) = (words.first()?, words.last()?);
    if words.len() > 6 || phrases.not_names.contains(&first.to_lowercase()) {
        return None;
    }
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let particle =
        |w: &str| phrases.particles.contains(&w.to_lowercase()) || w.starts_with("d'") || w.starts_with("d’");
    let connector = |w: &str| matches!(w, "of" | "for" | "the" | "on" | "and");
    let word_ok = |w: &str| w.chars().all(|c| c.is_alphanumeric() || "'’-.".contains(c));
    let valid = words
        .iter()
        .enumerate()
        .all(|(i, w)| word_ok(w) && (capitalised(w) || particle(w) || (i > 0 && connector(w))));
    (valid && capitalised(last) && (capitalised(first) || particle(first)))
        .then(|| normalise_surname(&words.join(" ")))
}

/// Parses an author list "A, B, & C" or "A et al." into surnames.
fn author_list(s: &str, phrases: &Phrases) -> Option<(Vec<String>, bool)> {
    let mut s = s.trim().trim_end_matches(',').trim();
    let mut et_al = false;
    for marker in ["et al.", "et al"] {
        if s.len() > marker.len() && s.to_ascii_lowercase().ends_with(marker) {
            s = s[..s.len() - marker.len()].trim().trim_end_matches(',').trim();
            et_al = true;
            break;
        }
    }
    let joined = s.replace(" and ", " & ");
    let names: Option<Vec<String>> = joined
        .split([',', '&'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| author_name(p, phrases))
        .collect();
    names.filter(|n| !n.is_empty()).map(|n| (n, et_al))
}

/// Strips leading openers ("e.g., ", "see also ") and returns the rest and
/// how many bytes were skipped.
fn strip_prefixes<'s>(s: &'s str, phrases: &Phrases) -> (&'s str, usize) {
    let mut rest = s.trim_start();
    'again: loop {
        let lower = rest.to_lowercase();
        for prefix in &phrases.citation_prefixes {
            if lower.starts_with(prefix.as_str())
                && rest.is_char_boundary(prefix.len())
                && rest[prefix.len()..].starts_with(|c: char| c.is_whitespace() || c == ',')
            {
                rest = rest[prefix.len()..].trim_start_matches(',').trim_start();
                continue 'again;
            }
        }
        break;
    }
    (rest, s.len() - rest.len())
}

/// Parses "Author, 2004" (after optional openers) as in a bracket or a
/// reference key. Text after the years (page numbers) is allowed.
pub(super) fn parse_author_year(part: &str, phrases: &Phrases) -> Option<Parsed> {
    let (rest, skipped) = strip_prefixes(part, phrases);
    for (comma, _) in rest.match_indices(',') {
        let after = &rest[comma + 1..];
        let trimmed = after.trim_start();
        if let Some((years, used)) = parse_years(trimmed) {
            let tail = trimmed[used..].trim_start();
            if !(tail.is_empty() || tail.starts_with(',') || tail.starts_with(':')) {
                continue;
            }
            if let Some((authors, et_al)) = author_list(&rest[..comma], phrases) {
                return Some(Parsed { authors, et_al, years, skipped });
            }
        }
    }
    // "Author et al. 2006" without the comma.
    let lower = rest.to_ascii_lowercase();
    let at = lower.find("et al. ")? + "et al. ".len();
    let (years, used) = parse_years(&rest[at..])?;
    let tail = rest[at + used..].trim_start();
    if !(tail.is_empty() || tail.starts_with(',')) {
        return None;
    }
    let (authors, et_al) = author_list(&rest[..at], phrases)?;
    Some(Parsed { authors, et_al, years, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases() -> Phrases {
        Phrases::with_extras(&Default::default())
    }

    #[test]
    fn years_parse_with_suffixes_and_reject_longer_numbers() {
        assert_eq!(parse_year("2004a)"), Some(("2004a".to_string(), 5)));
        assert_eq!(parse_year("n.d.-b"), Some(("n.d.-b".to_string(), 6)));
        assert_eq!(parse_year("20045"), None);
        assert_eq!(parse_year("1990s"), None);
    }

    #[test]
    fn author_years_parse_with_openers_page_numbers_and_et_al() {
        let p = parse_author_year("e.g., Bonanno et al., 2006, p. 12", &phrases()).unwrap();
        assert_eq!(
            (p.authors, p.et_al, p.years),
            (vec!["bonanno".to_string()], true, vec!["2006".to_string()])
        );
        assert_eq!(p.skipped, "e.g., ".len());
        let p = parse_author_year("Yehuda, Lehrner, & Rosenbaum, 2015", &phrases()).unwrap();
        assert_eq!(p.authors, ["yehuda", "lehrner", "rosenbaum"]);
    }

    #[test]
    fn words_that_are_never_authors_are_rejected() {
        assert_eq!(parse_author_year("In Sweden, 2004", &phrases()), None);
        assert_eq!(parse_author_year("about 40%, 2019", &phrases()), None);
        assert_eq!(parse_author_year("Smith, 2004-2008", &phrases()), None);
    }
}
