//! A WordPress export (WXR) as `import` reads it: the XML, then every post and page as an article.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zeroopposite::content::wxr;

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else { return };
    if let Ok(export) = wxr::parse(xml) {
        let _ = export.articles();
    }
});
