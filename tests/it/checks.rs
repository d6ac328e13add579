//! Editorial checks: precision and recall per rule over the labelled fixture set, through the real
//! front-matter parser, and the CLI's output forms.

use crate::helpers::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use zeroopposite::content::checks::{CheckConfig, Checker, Rule, Severity};
use zeroopposite::content::{editorial, parse_article};

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/checks"))
}

fn today() -> time::Date {
    time::macros::date!(2026 - 12 - 01)
}

fn expected(path: &Path) -> BTreeSet<(usize, String)> {
    let text = std::fs::read_to_string(path.with_extension("expected")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (line, rule) = l.split_once(' ').unwrap();
            assert!(Rule::from_id(rule.trim()).is_some(), "unknown rule {rule} in {}", path.display());
            (line.parse().unwrap(), rule.trim().to_owned())
        })
        .collect()
}

#[test]
fn every_rule_has_precision_and_recall_of_at_least_0_9_on_the_labelled_fixtures() {
    let mut files: Vec<_> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "at least 20 fixture articles");
    let stems: BTreeSet<String> =
        files.iter().map(|f| f.file_stem().unwrap().to_str().unwrap().to_owned()).collect();
    let known = |s: &str| stems.contains(s);
    let checker = Checker::new(CheckConfig::default());
    let now = time::OffsetDateTime::now_utc().replace_date(today());
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut labels = 0;
    for file in &files {
        let src = std::fs::read_to_string(file).unwrap();
        let parsed = parse_article(&src, file.file_stem().unwrap().to_str(), now)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let found: BTreeSet<(usize, String)> =
            editorial::check_source(&checker, &src, &parsed, &known, today())
                .into_iter()
                .map(|f| (f.line, f.rule.id().to_owned()))
                .collect();
        let want = expected(file);
        labels += want.len();
        for (line, rule) in found.union(&want) {
            let c = counts.entry(rule.clone()).or_default();
            match (found.contains(&(*line, rule.clone())), want.contains(&(*line, rule.clone()))) {
                (true, true) => c.0 += 1,
                (true, false) => {
                    c.1 += 1;
                    eprintln!("false positive: {}:{line} {rule}", file.display());
                }
                (false, true) => {
                    c.2 += 1;
                    eprintln!("false negative: {}:{line} {rule}", file.display());
                }
                (false, false) => {}
            }
        }
    }
    assert!(labels >= 60, "at least 60 labelled findings, got {labels}");
    println!("{:<28} {:>4} {:>4} {:>4} {:>9} {:>6}", "rule", "tp", "fp", "fn", "precision", "recall");
    let mut ok = true;
    for (rule, (tp, fp, fn_)) in &counts {
        let p = *tp as f64 / (tp + fp).max(1) as f64;
        let r = *tp as f64 / (tp + fn_).max(1) as f64;
        println!("{rule:<28} {tp:>4} {fp:>4} {fn_:>4} {p:>9.2} {r:>6.2}");
        ok &= p >= 0.9 && r >= 0.9;
    }
    assert!(ok, "a rule fell below 0.9 precision or recall");
}

#[test]
fn the_sample_article_has_no_error_level_finding() {
    let src = include_str!("../../content/demo/sexual-intimacy-and-posttraumatic-growth.md");
    let now = time::OffsetDateTime::now_utc();
    let parsed = parse_article(src, None, now).unwrap();
    let findings =
        editorial::check_source(&Checker::new(CheckConfig::default()), src, &parsed, &|_| true, now.date());
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_check_command_prints_positions_and_json_and_sets_the_exit_code() {
    let file = fixture_dir().join("attachment-styles.md");
    let (ok, out, _) = run_cli(&["check", file.to_str().unwrap()]);
    assert!(!ok, "an error-level finding fails the run");
    assert!(out.contains("attachment-styles.md:39:72: error[citation-without-reference]:"), "{out}");
    let (ok, out, _) = run_cli(&["check", "--format", "json", file.to_str().unwrap()]);
    assert!(!ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &v[0];
    for key in ["path", "line", "column", "rule", "severity", "message", "excerpt"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    let (ok, _, err) = run_cli(&["check", "content/demo"]);
    assert!(ok, "{err}");
    let (ok, _, err) = run_cli(&["check", "--deny", "warnings", "content/demo"]);
    assert!(ok, "the demo content has no warnings: {err}");
}

#[test]
fn import_prints_findings_and_the_store_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture_dir().join("attachment-styles.md");
    let (ok, _, err) = run_cli(&["--data", dir.path().to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(ok, "findings do not stop an import: {err}");
    // Without --findings a run counts them per rule, after the import's own problems.
    assert!(!err.contains("attachment-styles.md:39:72:"), "{err}");
    let summary = err.find("editorial findings:").expect("a count of the findings");
    assert!(err[summary..].contains("error[citation-without-reference]"), "{err}");
    let (ok, _, err) =
        run_cli(&["--data", dir.path().to_str().unwrap(), "import", "--findings", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("attachment-styles.md:39:72: error[citation-without-reference]"), "{err}");
    let store = zeroopposite::store::Store::open(dir.path()).unwrap();
    let slug = store.all_articles().unwrap()[0].article.slug.clone();
    let kept: serde_json::Value = serde_json::from_str(&store.findings(&slug).unwrap().unwrap()).unwrap();
    assert!(kept.as_array().unwrap().iter().any(|f| f["rule"] == "citation-without-reference"));
    let (ok, out, _) = run_cli(&["--data", dir.path().to_str().unwrap(), "check", "--all"]);
    assert!(!ok);
    assert!(out.contains(&format!("store:{slug}:")), "{out}");
}
