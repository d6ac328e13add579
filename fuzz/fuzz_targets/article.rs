//! An article file as `import` reads it: front matter (TOML `+++` or YAML `---`) split and parsed, the
//! file mapped onto an article, and the editorial checks run over it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use time::OffsetDateTime;
use zeroopposite::content::checks::{CheckConfig, Checker};
use zeroopposite::content::{editorial, front_matter, parse_article, shortcodes};

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| Checker::new(CheckConfig::default()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    if let Ok(split) = front_matter::split(source) {
        assert!(source.ends_with(split.body), "the body is the file's tail");
        let _ = front_matter::parse(&split);
        let _ = front_matter::key_line(&split, "title");
    }
    let now = OffsetDateTime::from_unix_timestamp(1_780_000_000).unwrap();
    if let Ok(parsed) = parse_article(source, Some("fallback-slug"), now) {
        let _ = shortcodes::find(&parsed.article.body);
        let _ = editorial::check_source(checker(), source, &parsed, &|s| s == "known", now.date());
    }
});
