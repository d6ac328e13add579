//! Hugo and Zola shortcodes in a Markdown body (`{{< youtube id >}}`, `{{% note %}}`, `{{ youtube(id=1) }}`,
//! `{% quote() %}…{% end %}`): found so that an import reports each one with its line. They have no
//! equivalent here, so the text is left in place for an editor to rewrite; nothing is dropped.

/// One shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// 1-based line in the body.
    pub line: usize,
    /// Its name, e.g. `youtube`.
    pub name: String,
    /// How it was written, e.g. `{{< youtube >}}`, for the message.
    pub shown: String,
}

/// Longest shortcode call we look for (a call spanning more is not one).
const MAX_CALL: usize = 4096;

/// The opening shortcodes in `body`, in order. Closing tags (`{{< /note >}}`, `{% end %}`) and the
/// escaped forms both tools use to show a shortcode literally (`{{</* x */>}}`, `{{/* x() */}}`) are
/// not reported.
pub fn find(body: &str) -> Vec<Shortcode> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = body[i..].find('{') {
        let at = i + off;
        let rest = &body[at..];
        let found = if rest.starts_with("{{<") || rest.starts_with("{{%") {
            let (open, close) = if rest.starts_with("{{<") { ("<", ">") } else { ("%", "%") };
            call(rest, 3, &format!("{close}}}}}")).and_then(|(inner, len)| {
                hugo_name(inner).map(|n| (format!("{{{{{open} {n} {close}}}}}"), n, len))
            })
        } else if rest.starts_with("{{") {
            call(rest, 2, "}}")
                .and_then(|(inner, len)| zola_name(inner).map(|n| (format!("{{{{ {n}() }}}}"), n, len)))
        } else if rest.starts_with("{%") {
            call(rest, 2, "%}").and_then(|(inner, len)| {
                zola_name(inner).map(|n| (format!("{{% {n}() %}}…{{% end %}}"), n, len))
            })
        } else {
            None
        };
        match found {
            Some((shown, name, len)) => {
                out.push(Shortcode { line: 1 + body[..at].matches('\n').count(), name, shown });
                i = at + len;
            }
            None => i = at + 1,
        }
    }
    out
}

/// `body` with the escaped shortcodes both tools use to show one literally (`{{</* x */>}}`,
/// `{{%/* x */%}}`, `{{/* x() */}}`, `{%/* x() */%}`) written as the reader was meant to see them.
pub fn unescape(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("/*") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = body.to_owned();
    for (from, to) in [
        ("{{</*", "{{<"),
        ("*/>}}", ">}}"),
        ("{{%/*", "{{%"),
        ("*/%}}", "%}}"),
        ("{{/*", "{{"),
        ("*/}}", "}}"),
        ("{%/*", "{%"),
        ("*/%}", "%}"),
    ] {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The text between the opening (`open` bytes) and `close`, and the length of the whole call.
fn call<'a>(rest: &'a str, open: usize, close: &str) -> Option<(&'a str, usize)> {
    let window = &rest[..floor_boundary(rest, MAX_CALL)];
    let end = window[open..].find(close)? + open;
    Some((rest[open..end].trim(), end + close.len()))
}

fn floor_boundary(s: &str, max: usize) -> usize {
    let mut n = max.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))
}

/// `youtube id` → `youtube`; closing and escaped calls are not reported.
fn hugo_name(inner: &str) -> Option<String> {
    if inner.starts_with("/*") || inner.starts_with('/') {
        return None;
    }
    let name = inner.split_whitespace().next()?;
    is_name(name).then(|| name.to_owned())
}

/// `youtube(id="x")` → `youtube`: a name directly followed by a parenthesised argument list.
fn zola_name(inner: &str) -> Option<String> {
    if inner.starts_with("/*") {
        return None;
    }
    let (name, args) = inner.split_once('(')?;
    let name = name.trim_end();
    (is_name(name) && !name.contains('/') && args.trim_end().ends_with(')')).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_shortcodes_lose_their_comment_markers() {
        assert_eq!(
            unescape(
                "Write {{</* youtube id */>}}, {{%/* note */%}}, {{/* video(id=1) */}} or {%/* quote() */%}."
            ),
            "Write {{< youtube id >}}, {{% note %}}, {{ video(id=1) }} or {% quote() %}."
        );
        assert_eq!(unescape("Plain text"), "Plain text");
    }

    fn names(body: &str) -> Vec<(usize, String)> {
        find(body).into_iter().map(|s| (s.line, s.name)).collect()
    }

    #[test]
    fn hugo_shortcodes_are_found_with_their_lines() {
        let body =
            "Intro\n{{< youtube w7Ft2ymGmfc >}}\n{{% note %}}\nText\n{{% /note %}}\n{{</* figure */>}}\n";
        assert_eq!(names(body), [(2, "youtube".to_owned()), (3, "note".to_owned())]);
    }

    #[test]
    fn zola_shortcodes_are_found_and_template_text_is_not() {
        let body = "{{ youtube(id=\"x\") }}\n\n{% quote(author=\"A\") %}\nQ\n{% end %}\n{{ not a call }}\n{{/* x() */}}";
        assert_eq!(names(body), [(1, "youtube".to_owned()), (3, "quote".to_owned())]);
        assert_eq!(find(body)[0].shown, "{{ youtube() }}");
    }

    #[test]
    fn plain_braces_are_not_shortcodes() {
        assert!(find("a { b } {{ c }} {%").is_empty());
    }
}
