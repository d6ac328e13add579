//! Front-matter references: which work each one is (surnames and year, so
//! in-text citations can match it) and `reference-invalid` (a DOI, URL or
//! year that cannot be right).
//!
//! A reference is identified from its `key` ("Tedeschi & Calhoun, 1996") if
//! present, else from its APA `text` (the authors before "(1996)"), else from
//! its `author` and `year` fields.

use super::apa::{is_initial, normalise_surname, parse_author_year, parse_year};
use super::phrases::Phrases;
use super::{At, Draft, ReferenceInput, Rule};

/// Who wrote a referenced work and when, normalised like citations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Identity {
    /// Normalised surnames (or group names), in order.
    pub authors: Vec<String>,
    /// The author list was cut short with "et al.".
    pub et_al: bool,
    /// Normalised year, if one could be read.
    pub year: Option<String>,
    /// How to name the reference in messages: "Tedeschi & Calhoun, 1996".
    pub label: String,
}

/// Reads the authors of an APA reference list entry: "Tedeschi, R. G., &
/// Calhoun, L. G." gives tedeschi, calhoun; "World Health Organization."
/// gives one group author.
fn reference_authors(s: &str) -> (Vec<String>, bool) {
    let cleaned = s.replace("(Eds.)", "").replace("(Ed.)", "");
    let cleaned = cleaned.trim();
    let mut authors = Vec::new();
    let mut et_al = false;
    for piece in cleaned.replace(" and ", " & ").split([',', '&', ';']) {
        let piece = piece.trim();
        if piece.is_empty() || piece == "..." || piece == "…" {
            continue;
        }
        if piece.eq_ignore_ascii_case("et al.") || piece.eq_ignore_ascii_case("et al") {
            et_al = true;
            continue;
        }
        if piece.split_whitespace().all(|w| is_initial(w) || matches!(w, "Jr." | "Sr." | "II" | "III")) {
            continue;
        }
        authors.push(normalise_surname(piece));
    }
    (authors, et_al)
}

/// The authors and year from APA text: everything before the first "(YEAR"
/// that is followed by ")" or ",".
fn from_text(text: &str) -> Option<(Vec<String>, bool, String)> {
    for (open, _) in text.match_indices('(') {
        let after = &text[open + 1..];
        if let Some((year, used)) = parse_year(after)
            && after[used..].starts_with([')', ','])
        {
            let (authors, et_al) = reference_authors(&text[..open]);
            return Some((authors, et_al, year));
        }
    }
    None
}

/// Identifies a reference; `None` when neither authors nor year can be read.
pub(super) fn identify(reference: &ReferenceInput, phrases: &Phrases) -> Option<Identity> {
    let mut authors: Option<(Vec<String>, bool)> = None;
    let mut year: Option<String> = None;
    let mut label = None;
    if let Some(key) = reference.key.as_deref().filter(|k| !k.trim().is_empty()) {
        label = Some(key.trim().to_string());
        if let Some(parsed) = parse_author_year(key, phrases) {
            authors = Some((parsed.authors, parsed.et_al));
            year = parsed.years.into_iter().next();
        }
    }
    if (authors.is_none() || year.is_none())
        && let Some((names, et_al, text_year)) = from_text(&reference.text)
    {
        if authors.is_none() && !names.is_empty() {
            authors = Some((names, et_al));
        }
        year = year.or(Some(text_year));
    }
    if authors.is_none()
        && let Some(author) = reference.author.as_deref()
    {
        let (names, et_al) = reference_authors(author);
        authors = (!names.is_empty()).then_some((names, et_al));
    }
    if year.is_none()
        && let Some(field) = reference.year.as_deref()
    {
        year = parse_year(field.trim()).filter(|(_, used)| *used == field.trim().len()).map(|(y, _)| y);
    }
    let (authors, et_al) = authors?;
    let label = label.unwrap_or_else(|| {
        let shown: Vec<String> = authors.iter().map(|a| title_case(a)).collect();
        let names = match shown.len() {
            1 => shown[0].clone(),
            2 => format!("{} & {}", shown[0], shown[1]),
            _ => format!("{} et al.", shown[0]),
        };
        format!("{names}, {}", year.as_deref().unwrap_or("n.d."))
    });
    Some(Identity { authors, et_al, year, label })
}

/// "van der kolk" -> "van der Kolk" for messages (particles stay lower-case).
fn title_case(name: &str) -> String {
    let last = name.split_whitespace().count().saturating_sub(1);
    name.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if i < last && w.len() <= 3 {
                return w.to_string();
            }
            let mut chars = w.chars();
            chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A DOI is "10." + a registrant code of digits (and dots) + "/" + a suffix
/// without spaces; `https://doi.org/` and `doi:` prefixes are accepted.
pub(super) fn is_doi(doi: &str) -> bool {
    let doi = doi.trim();
    let lower = doi.to_ascii_lowercase();
    let mut rest = doi;
    for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"]
    {
        if lower.starts_with(prefix) {
            rest = doi[prefix.len()..].trim_start();
            break;
        }
    }
    let Some(rest) = rest.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    let digits = registrant.chars().filter(char::is_ascii_digit).count();
    digits >= 4
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !registrant.starts_with('.')
        && !suffix.is_empty()
        && !suffix.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An absolute http(s) URL with a plausible host and port.
pub(super) fn is_http_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return false;
    };
    if lower.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c)) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((addr, after)) => (addr, after.strip_prefix(':')),
            None => return false,
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u32>().is_ok_and(|n| n <= 65535));
    let host_ok = if host_port.starts_with('[') {
        !host.is_empty() && host.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        let labels: Vec<&str> = host.split('.').collect();
        (labels.len() >= 2 || host == "localhost")
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
    };
    port_ok && host_ok
}

/// Whether a year string is acceptable: "n.d.", "in press", or a year in
/// 1800..=current year + 1 (with an optional letter).
fn year_problem(year: &str, current: i32) -> Option<String> {
    let year = year.trim();
    let Some(parsed) = parse_year(year).filter(|(_, used)| *used == year.len()).map(|(p, _)| p) else {
        return Some(format!("the year \"{year}\" is not a year"));
    };
    let Ok(number) = parsed.get(..4).unwrap_or_default().parse::<i32>() else {
        return None;
    };
    (!(1800..=current + 1).contains(&number))
        .then(|| format!("the year {number} is outside 1800–{}", current + 1))
}

/// `reference-invalid` for every reference.
pub(super) fn check_invalid(
    references: &[ReferenceInput],
    ids: &[(usize, Option<Identity>)],
    current_year: i32,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for (reference, (_, id)) in references.iter().zip(ids) {
        let mut problems = Vec::new();
        if let Some(doi) = reference.doi.as_deref().filter(|d| !d.trim().is_empty())
            && !is_doi(doi)
        {
            problems.push((
                format!("the DOI \"{}\" is not a DOI", doi.trim()),
                "Write it as 10.NNNN/suffix, e.g. 10.1037/0003-066X.59.1.20.",
            ));
        }
        if let Some(url) = reference.url.as_deref().filter(|u| !u.trim().is_empty())
            && !is_http_url(url)
        {
            problems.push((
                format!("the URL \"{}\" is not an http(s) address", url.trim()),
                "Give the full address, starting with https://.",
            ));
        }
        let year = reference.year.as_deref().filter(|y| !y.trim().is_empty());
        let derived = id.as_ref().and_then(|i| i.year.as_deref());
        if let Some(problem) = year.or(derived).and_then(|y| year_problem(y, current_year)) {
            problems.push((problem, "Check the publication year against the source."));
        }
        for (problem, suggestion) in problems {
            let label =
                id.as_ref().map_or_else(|| super::text::excerpt(&reference.text, 60), |i| i.label.clone());
            drafts.push(Draft {
                rule: Rule::ReferenceInvalid,
                at: At::Line(reference.line),
                message: format!("In the reference \"{label}\", {problem}."),
                excerpt: label,
                suggestion: Some(suggestion.to_string()),
            });
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases() -> Phrases {
        Phrases::with_extras(&Default::default())
    }

    fn reference(key: Option<&str>, text: &str) -> ReferenceInput {
        ReferenceInput { key: key.map(str::to_string), text: text.to_string(), line: 3, ..Default::default() }
    }

    #[test]
    fn a_reference_is_identified_by_its_key_first() {
        let id = identify(&reference(Some("Tedeschi & Calhoun, 1996"), "ignored"), &phrases()).unwrap();
        assert_eq!(id.authors, ["tedeschi", "calhoun"]);
        assert_eq!(id.year.as_deref(), Some("1996"));
    }

    #[test]
    fn a_reference_without_key_is_identified_from_its_apa_text() {
        let text = "Yehuda, R., Lehrner, A., & Rosenbaum, T. Y. (2015). PTSD and sexual dysfunction.";
        let id = identify(&reference(None, text), &phrases()).unwrap();
        assert_eq!(id.authors, ["yehuda", "lehrner", "rosenbaum"]);
        assert_eq!(id.year.as_deref(), Some("2015"));
        let group =
            identify(&reference(None, "World Health Organization. (2020, March 3). Title."), &phrases())
                .unwrap();
        assert_eq!(group.authors, ["world health organization"]);
        assert_eq!(group.label, "World Health Organization, 2020");
    }

    #[test]
    fn author_and_year_fields_are_the_last_resort() {
        let r = ReferenceInput {
            author: Some("Bonanno, G. A.".into()),
            year: Some("2004".into()),
            ..Default::default()
        };
        let id = identify(&r, &phrases()).unwrap();
        assert_eq!((id.authors, id.year.as_deref()), (vec!["bonanno".to_string()], Some("2004")));
        assert_eq!(identify(&reference(None, "Untitled leaflet"), &phrases()), None);
    }

    #[test]
    fn an_invalid_reference_is_an_error_at_its_own_line() {
        let bad = ReferenceInput {
            key: Some("Bonanno, 2004".into()),
            doi: Some("jts.2490090305".into()),
            url: Some("www.apa.org".into()),
            line: 14,
            ..Default::default()
        };
        let findings = super::super::testing::run_with("Resilience (Bonanno, 2004).\n", &[bad]);
        let found: Vec<(&str, usize, super::super::Severity)> =
            findings.iter().map(|f| (f.rule.id(), f.line, f.severity)).collect();
        let error = super::super::Severity::Error;
        assert_eq!(found, [("reference-invalid", 14, error), ("reference-invalid", 14, error)]);
    }

    #[test]
    fn dois_must_look_like_dois() {
        assert!(is_doi("10.1002/jts.2490090305"));
        assert!(is_doi("https://doi.org/10.1037/0003-066X.59.1.20"));
        assert!(!is_doi("10.12/x"));
        assert!(!is_doi("doi.org/jts.2490090305"));
        assert!(!is_doi("10.1002/"));
        assert!(!is_doi("10.1002/has space"));
    }

    #[test]
    fn urls_must_be_absolute_http_addresses() {
        assert!(is_http_url("https://www.who.int/news/item/1"));
        assert!(is_http_url("http://localhost:8080/x"));
        assert!(!is_http_url("www.who.int"));
        assert!(!is_http_url("ftp://example.org/file"));
        assert!(!is_http_url("https://exa mple.org"));
        assert!(!is_http_url("https://example"));
        assert!(!is_http_url("https://example.org:99999/"));
    }

    #[test]
    fn years_outside_the_plausible_range_are_reported() {
        assert_eq!(year_problem("2004", 2026), None);
        assert_eq!(year_problem("n.d.", 2026), None);
        assert_eq!(year_problem("2027", 2026), None);
        assert!(year_problem("2028", 2026).is_some());
        assert!(year_problem("1700", 2026).is_some());
        assert!(year_problem("soon", 2026).is_some());
    }
}
