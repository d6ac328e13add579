//! Markdown and HTML output details for the converter: escaping, code spans and fences, link
//! destinations and titles, and elements written back as HTML.

use super::html::{Element, Node};

/// Dropped with a note: active or embedded content that cannot be carried over safely. Declared here,
/// beside [`serialize`], because both writers need it: `markdown` drops these elements (and names them
/// in the notes), and `serialize` leaves them out of the HTML it keeps; `markdown` depends on this
/// module, never the other way round.
pub(super) const DROPPED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "select", "textarea",
    "noscript", "svg", "canvas", "video", "audio", "template",
];

pub(super) fn code_span(text: &str) -> String {
    let text: String = text.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    if text.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

pub(super) fn code_block(pre: &Element) -> String {
    let code = pre.children.iter().find_map(|n| match n {
        Node::Element(c) if c.name == "code" => Some(c),
        _ => None,
    });
    let elements = || [Some(pre), code].into_iter().flatten();
    // `class="language-x"` (Prism, the block editor), `lang="x"` / `data-lang` (code plugins),
    // `class="brush: x; …"` (SyntaxHighlighter).
    let from_class = elements().filter_map(|e| e.attr("class")).find_map(|c| {
        let words: Vec<&str> = c.split([' ', ';']).filter(|w| !w.is_empty()).collect();
        words.iter().enumerate().find_map(|(i, w)| {
            w.strip_prefix("language-")
                .or_else(|| w.strip_prefix("lang-"))
                .or_else(|| w.strip_prefix("brush:").filter(|l| !l.is_empty()))
                .or_else(|| (*w == "brush:").then(|| words.get(i + 1).copied()).flatten())
        })
    });
    let from_attr = || elements().find_map(|e| e.attr("lang").or_else(|| e.attr("data-lang")));
    let lang = from_class
        .or_else(from_attr)
        .map(str::trim)
        .filter(|l| l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '+'))
        .unwrap_or("");
    let text = pre.text();
    let text = text.strip_prefix('\n').unwrap_or(&text).trim_end();
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}{lang}\n{text}\n{fence}")
}

pub(super) fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        cur = if c == ch { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

/// A link or image destination, in angle brackets when it holds spaces or parentheses.
pub(super) fn destination(url: &str) -> String {
    if url.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>')) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E").replace('\n', " "))
    } else {
        url.to_owned()
    }
}

pub(super) fn title(e: &Element) -> String {
    match e.attr("title").map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => format!(" \"{}\"", t.replace('\\', "\\\\").replace('"', "\\\"")),
        None => String::new(),
    }
}

pub(super) fn escape_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn looks_like_entity(rest: &[char]) -> bool {
    let n = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    n > 0 && rest.get(n) == Some(&';')
}

pub(super) fn starts_with_number_marker(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (1..=9).contains(&digits) && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
}

/// Escapes what would make a paragraph line into another block (heading, quote, list, rule).
pub(super) fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '>', '-', '+', '=']) {
        return format!("\\{line}");
    }
    if starts_with_number_marker(line) {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_owned()
}

/// The element as HTML again (for what is kept as HTML), on as few lines as possible: a blank line
/// would end the HTML block in Markdown.
pub(super) fn serialize(e: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    for (k, v) in &e.attrs {
        if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':') {
            out.push_str(&format!(" {k}=\"{}\"", escape_html(v, true)));
        }
    }
    out.push('>');
    if matches!(e.name.as_str(), "br" | "img" | "hr" | "col" | "wbr") {
        return;
    }
    for child in &e.children {
        match child {
            Node::Text(t) => {
                let collapsed: Vec<&str> = t.split_whitespace().collect();
                let mut s = collapsed.join(" ");
                if t.starts_with(char::is_whitespace) && !s.is_empty() {
                    s.insert(0, ' ');
                }
                if t.ends_with(char::is_whitespace) && !s.is_empty() {
                    s.push(' ');
                }
                out.push_str(&escape_html(&s, false));
            }
            Node::Element(c) if DROPPED.contains(&c.name.as_str()) => {}
            Node::Element(c) => serialize(c, out),
        }
    }
    out.push_str(&format!("</{}>", e.name));
    if matches!(e.name.as_str(), "tr" | "thead" | "tbody" | "tfoot" | "caption" | "dt" | "dd" | "summary") {
        out.push('\n');
    }
}

pub(super) fn escape_html(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
