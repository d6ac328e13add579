//! One WordPress post body (HTML) turned into Markdown, as the WXR import does, then rendered: no panic,
//! and the rendered HTML is safe. Fuzzed apart from `wxr` so that inputs need no XML around them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zeroopposite::content::markdown::to_html;
use zeroopposite::content::wxr::{html, markdown, shortcodes};
use zeroopposite_fuzz::assert_safe_html;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses classic-editor (autop) or block-editor reading.
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let _ = shortcodes::find(body);
    let body = shortcodes::captions_to_figures(body);
    let rewrite = |url: &str| url.starts_with("/old/").then(|| "/articles/new".to_owned());
    let opts = markdown::Options { autop: mode & 1 == 1, rewrite: &rewrite, footnotes: &[] };
    let converted = markdown::to_markdown(&body, &opts);
    assert_safe_html(&to_html(&converted.markdown));
    let _ = html::Element { name: String::new(), attrs: Vec::new(), children: html::parse(&body) }.text();
});
