//! A configuration that cannot work stops the binary at start, naming the file, line and setting.

use crate::helpers::run_cli;

/// Runs `zeroopposite --config FILE ARGS…` with `settings` in FILE; returns (exit ok, stderr, data dir
/// created). The address cannot be bound, so a server that wrongly got past the configuration exits
/// with a different error instead of serving for ever.
fn run_with(settings: &str, args: &[&str]) -> (bool, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("bad.toml");
    let text = format!("data_dir = {:?}\naddr = \"192.0.2.1:9\"\ndemo_content = false\n{settings}", data);
    std::fs::write(&file, text).unwrap();
    let mut all = vec!["--config", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let (ok, _, err) = run_cli(&all);
    (ok, err, data.exists())
}

#[test]
fn serve_refuses_a_misspelt_check_rule_before_opening_the_site() {
    let (ok, err, opened) = run_with("\n[checks]\ndisabled = [\"question-mising\"]\n", &["serve"]);
    assert!(!ok);
    assert!(
        err.contains(
            "bad.toml:5: the [checks] configuration is invalid: unknown check rule \"question-mising\""
        ),
        "{err}"
    );
    assert!(!opened, "the data dir was created: the site was opened");
    assert!(!err.contains("cannot listen"), "{err}");
}

#[test]
fn check_gives_the_same_message_for_a_misspelt_severity_key() {
    let settings = "[checks.severity]\nreview-overdu = \"error\"\n";
    let expected = "the [checks] configuration is invalid: unknown check rule \"review-overdu\"";
    let (ok, err, _) = run_with(settings, &["serve"]);
    assert!(!ok && err.contains(expected), "{err}");
    let (ok, err, _) = run_with(settings, &["check", "content/demo"]);
    assert!(!ok && err.contains(expected), "{err}");
}

#[test]
fn serve_refuses_numbers_that_cannot_work_naming_the_setting() {
    let (ok, err, opened) = run_with("page_size = 0\n", &["serve"]);
    assert!(!ok);
    assert!(err.contains("bad.toml:4: page_size: must be at least 1, not 0"), "{err}");
    assert!(!opened);
    let (ok, err, _) = run_with("[admin]\nsession_idle_minutes = -5\n", &["serve"]);
    assert!(!ok);
    assert!(err.contains("bad.toml:5: admin.session_idle_minutes: must be at least 1, not -5"), "{err}");
    let (ok, err, _) = run_with("[search]\ninsights_min_count = 0\n", &["serve"]);
    assert!(!ok);
    assert!(err.contains("bad.toml:5: search.insights_min_count: must be at least 1, not 0"), "{err}");
}
