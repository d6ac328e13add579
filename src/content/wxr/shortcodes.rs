//! WordPress shortcodes (`[caption …]…[/caption]`, `[gallery ids="1,2"]`) in post bodies: found so that
//! the import reports them. `[caption]` becomes a figure; every other shortcode is left as text.

/// Shortcodes WordPress core and the common plugins register; others are recognised by their
/// attributes (`[name key="…"]`) or by a closing tag (`[/name]`).
const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "audio",
    "video",
    "playlist",
    "contact-form",
    "contact-form-7",
    "gravityform",
    "wpforms",
    "youtube",
];

/// One opening shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// Its name, e.g. `gallery`.
    pub name: String,
    /// Byte offset of its `[` in the text.
    pub offset: usize,
}

/// The opening shortcodes in `text`, in order. `[[gallery]]` is WordPress's way to write one literally,
/// and is not reported; nor is a bracketed word such as `[sic]`.
pub fn find(text: &str) -> Vec<Shortcode> {
    let tags = tags(text);
    let closed: Vec<&str> = tags.iter().filter(|t| t.closing).map(|t| t.name).collect();
    tags.iter()
        .filter(|t| !t.closing)
        .filter(|t| KNOWN.contains(&t.name) || t.has_attrs || closed.contains(&t.name))
        .map(|t| Shortcode { name: t.name.to_owned(), offset: t.start })
        .collect()
}

/// Turns `[caption …]<img …> Text[/caption]` into `<figure><img …><figcaption>Text</figcaption></figure>`.
pub fn captions_to_figures(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = find_tag(rest, "caption", false).or_else(|| find_tag(rest, "wp_caption", false)) {
        let name = if rest[open.0..].starts_with("[caption") { "caption" } else { "wp_caption" };
        let Some(close) = find_tag(&rest[open.1..], name, true).map(|(s, e)| (open.1 + s, open.1 + e)) else {
            break;
        };
        out.push_str(&rest[..open.0]);
        let inner = &rest[open.1..close.0];
        let split = inner.rfind('>').map_or(0, |i| i + 1);
        let (media, caption) = inner.split_at(split);
        out.push_str("<figure>");
        out.push_str(media);
        if !caption.trim().is_empty() {
            out.push_str(&format!("<figcaption>{}</figcaption>", caption.trim()));
        }
        out.push_str("</figure>");
        rest = &rest[close.1..];
    }
    out.push_str(rest);
    out
}

struct Tag<'a> {
    name: &'a str,
    start: usize,
    end: usize,
    closing: bool,
    has_attrs: bool,
}

fn tags(text: &str) -> Vec<Tag<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find('[') {
        let start = i + off;
        i = start + 1;
        if b.get(start + 1) == Some(&b'[') || (start > 0 && b[start - 1] == b'[') {
            continue;
        }
        let closing = b.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
            j += 1;
        }
        if j == name_start || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let Some(close) = text[j..].find([']', '\n', '[']).map(|c| j + c) else { continue };
        if b[close] != b']' || (j < close && !b[j].is_ascii_whitespace() && b[j] != b'/') {
            continue;
        }
        let attrs = &text[j..close];
        out.push(Tag {
            name: &text[name_start..j],
            start,
            end: close + 1,
            closing,
            has_attrs: attrs.contains('='),
        });
        i = close + 1;
    }
    out
}

/// The byte range of the first `[name …]` (or `[/name]`) in `text`.
fn find_tag(text: &str, name: &str, closing: bool) -> Option<(usize, usize)> {
    tags(text).into_iter().find(|t| t.name == name && t.closing == closing).map(|t| (t.start, t.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_found_but_bracketed_words_and_escapes_are_not() {
        let text = "A [sic] note. [gallery ids=\"1,2\"] [[gallery]] [note]x[/note] [1] [embed]u[/embed]";
        let names: Vec<String> = find(text).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["gallery", "note", "embed"]);
    }

    #[test]
    fn a_caption_becomes_a_figure_with_its_text() {
        let html = "x [caption id=\"a\" width=\"300\"]<img src=\"i.jpg\" alt=\"A\" /> The view[/caption] y";
        assert_eq!(
            captions_to_figures(html),
            "x <figure><img src=\"i.jpg\" alt=\"A\" /><figcaption>The view</figcaption></figure> y"
        );
    }
}
