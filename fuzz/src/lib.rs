//! Checks shared by the fuzz targets.

/// Elements that must never survive sanitising.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "svg", "math", "base", "meta", "link", "noscript", "template",
];

/// URL schemes the sanitiser lets through (relative addresses have none).
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Attributes that hold an address.
const URL_ATTRS: &[&str] = &["href", "src", "cite", "action", "formaction", "srcset", "poster", "background"];

/// Panics unless `html` (sanitiser output, serialised by html5ever) is safe: every `<` opens an element
/// or closes one (text `<` is escaped), no forbidden element, no event handler, no `style` except the
/// table cells' alignment, and no address with a scheme other than http, https or mailto.
pub fn assert_safe_html(html: &str) {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let mut j = start + 1;
        let closing = b.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        assert!(j > name_start, "a `<` that opens no element at byte {start} in {html:?}");
        let name = html[name_start..j].to_ascii_lowercase();
        assert!(!FORBIDDEN_TAGS.contains(&name.as_str()), "<{name}> survived sanitising: {html:?}");
        // Attributes: name="value", values escaped by the serialiser (`"` as `&quot;`).
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                None => panic!("an unterminated tag at byte {start} in {html:?}"),
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(b'/') => {
                    j += 1;
                    continue;
                }
                Some(_) => {}
            }
            let attr_start = j;
            while j < b.len() && !matches!(b[j], b'=' | b'>' | b'/') && !b[j].is_ascii_whitespace() {
                j += 1;
            }
            let attr = html[attr_start..j].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                assert_eq!(b.get(j), Some(&b'"'), "an unquoted attribute value in {html:?}");
                j += 1;
                let v_start = j;
                while j < b.len() && b[j] != b'"' {
                    j += 1;
                }
                assert!(j < b.len(), "an unterminated attribute value in {html:?}");
                value = html[v_start..j].to_owned();
                j += 1;
            }
            assert!(!closing, "a closing tag with attributes in {html:?}");
            assert!(!attr.starts_with("on"), "event handler {attr} on <{name}>: {html:?}");
            if attr == "style" {
                assert!(matches!(name.as_str(), "td" | "th"), "style on <{name}>: {html:?}");
                let v = decode(&value).to_ascii_lowercase();
                for d in css_declarations(&v) {
                    let property = d.split(':').next().unwrap_or("").trim();
                    assert!(
                        property.is_empty() || property == "text-align",
                        "style {v:?} on <{name}>: {html:?}"
                    );
                }
            }
            if URL_ATTRS.contains(&attr.as_str()) {
                assert_safe_url(&value, html);
            }
        }
        i = j;
    }
}

/// A style attribute cut into declarations as a CSS parser does: at `;` outside strings, comments,
/// escapes and parentheses or brackets (`text-align: f(a; b)` is one declaration, invalid, dropped).
fn css_declarations(style: &str) -> Vec<String> {
    let (mut out, mut cur) = (Vec::new(), String::new());
    let (mut depth, mut quote, mut chars) = (0usize, None, style.chars().peekable());
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                cur.push(c);
                cur.extend(chars.next());
                continue;
            }
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '/') if chars.peek() == Some(&'*') => {
                // A comment is not there at all.
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                continue;
            }
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ';') if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            (None, _) => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// An attribute value as a browser reads it: the serialiser's escapes undone.
fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// An address as a browser reads it: entities decoded, tabs and newlines removed, leading spaces and
/// control characters trimmed; its scheme, if any, must be allowed.
fn assert_safe_url(raw: &str, html: &str) {
    let url: String = decode(raw)
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    if let Some(end) = scheme_end
        && url[end..].starts_with(':')
        && end > 0
        && url.as_bytes()[0].is_ascii_alphabetic()
    {
        let scheme = url[..end].to_ascii_lowercase();
        assert!(ALLOWED_SCHEMES.contains(&scheme.as_str()), "address {url:?} with scheme {scheme}: {html:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_html_passes() {
        assert_safe_html(
            "<p>a &lt;script&gt; <a href=\"https://x.org/?a=1&amp;b=2\" rel=\"noopener\">x</a></p>\
             <table><tr><td style=\"text-align: left\">1</td></tr></table><br><img src=\"/a.png\" alt=\"\">",
        );
    }

    #[test]
    fn escaped_semicolons_in_an_alignment_are_not_declarations() {
        assert_safe_html("<td style=\"text-align:righ &lt; p &gt; x\">1</td>");
    }

    #[test]
    fn a_semicolon_inside_a_function_is_not_a_declaration() {
        assert_safe_html("<td style=\"text-align:r(ight ; background : url(x))\">1</td>");
        assert_safe_html("<td style=\"text-align:'a;color:red' /* ; color: red */\">1</td>");
    }

    #[test]
    #[should_panic(expected = "style")]
    fn another_style_property_fails() {
        assert_safe_html("<td style=\"text-align:right;color:red\">1</td>");
    }

    #[test]
    #[should_panic(expected = "survived")]
    fn a_script_fails() {
        assert_safe_html("<p><script>alert(1)</script></p>");
    }

    #[test]
    #[should_panic(expected = "event handler")]
    fn a_handler_fails() {
        assert_safe_html("<img src=\"x\" onerror=\"alert(1)\">");
    }

    #[test]
    #[should_panic(expected = "scheme javascript")]
    fn a_javascript_address_fails() {
        assert_safe_html("<a href=\" java&#x09;script:alert(1)\">x</a>".replace("&#x09;", "\t").as_str());
    }
}
