//! Markdown bodies rendered to sanitised HTML (and to plain text for search): no panic, and the HTML is
//! safe whatever the body holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zeroopposite::content::markdown;
use zeroopposite_fuzz::assert_safe_html;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let html = markdown::to_html(body);
    assert_safe_html(&html);
    let _ = markdown::to_plain_text(body);
    let _ = markdown::heading_levels(body);
});
