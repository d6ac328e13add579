//! A small, forgiving HTML reader for WordPress post bodies: tags, attributes, text and entities into a
//! tree. It is not a browser's parser; it knows the few implied-end rules WordPress content needs
//! (`<p>` closed by a block, `<li>` by the next `<li>`, void elements) and drops comments, which is
//! where the Gutenberg block markers (`<!-- wp:paragraph -->`) live. Nothing is fetched or run.

pub use super::entities::decode_entities;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element with its children.
    Element(Element),
    /// Text with entities decoded.
    Text(String),
}

/// An element: lower-case name, attributes in source order (names lower-case, values decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Tag name, lower-case.
    pub name: String,
    /// Attributes.
    pub attrs: Vec<(String, String)>,
    /// Children.
    pub children: Vec<Node>,
}

impl Element {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// All text below this element, tags removed.
    pub fn text(&self) -> String {
        let mut s = String::new();
        collect_text(&self.children, &mut s);
        s
    }
}

fn collect_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name == "br" => out.push('\n'),
            Node::Element(e) => collect_text(&e.children, out),
        }
    }
}

/// Elements that never have children.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Elements whose start closes an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Deepest nesting kept. Deeper start tags are flattened into their parent, so a hostile body cannot make
/// the (recursive) converter run out of stack.
const MAX_DEPTH: usize = 100;

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// Parses `html` into a list of top-level nodes. Never fails: what cannot be read is kept as text.
pub fn parse(html: &str) -> Vec<Node> {
    let mut b =
        Builder { stack: vec![Element { name: String::new(), attrs: Vec::new(), children: Vec::new() }] };
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let markup_end = if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(html.len(), |e| i + e + 3))
        } else if next == b'!' || next == b'?' {
            Some(rest.find('>').map_or(html.len(), |e| i + e + 1))
        } else if next == b'/' && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            let end = rest.find('>').map_or(html.len(), |e| i + e + 1);
            b.text(&html[text_start..i]);
            let name = tag_name(&html[i + 2..end]);
            b.close(&name);
            text_start = end;
            i = end;
            continue;
        } else if next.is_ascii_alphabetic() {
            let (tag, end) = start_tag(html, i);
            b.text(&html[text_start..i]);
            let raw = RAW_TEXT.contains(&tag.name.as_str()) && !tag.self_closing;
            let name = tag.name.clone();
            b.open(tag);
            i = end;
            if raw {
                let close = format!("</{name}");
                let stop = find_ascii_ci(&html[i..], &close).map_or(html.len(), |e| i + e);
                b.text(&html[i..stop]);
                b.close(&name);
                i = html[stop..].find('>').map_or(html.len(), |e| stop + e + 1);
            }
            text_start = i;
            continue;
        } else {
            None
        };
        match markup_end {
            Some(end) => {
                b.text(&html[text_start..i]);
                text_start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    b.text(&html[text_start..]);
    b.finish()
}

struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
}

/// Reads the start tag at `at` (which holds `<`); returns it and the offset after its `>`.
fn start_tag(html: &str, at: usize) -> (StartTag, usize) {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b':') {
        i += 1;
    }
    let name = html[at + 1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => break,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/') && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let attr = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[i + 1..].find(q as char).map_or(html.len(), |e| i + 1 + e);
                    value = decode_entities(&html[i + 1..end]);
                    i = (end + 1).min(html.len());
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = decode_entities(&html[start..i]);
                }
            }
        }
        if !attr.is_empty() {
            attrs.push((attr, value));
        } else if i == name_start {
            i += 1; // a stray character; step over it
        }
    }
    (StartTag { name, attrs, self_closing }, i)
}

fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The open elements; index 0 is the root.
struct Builder {
    stack: Vec<Element>,
}

impl Builder {
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let text = decode_entities(raw);
        let top = self.stack.last_mut().expect("the root is never popped");
        if let Some(Node::Text(prev)) = top.children.last_mut() {
            prev.push_str(&text);
        } else {
            top.children.push(Node::Text(text));
        }
    }

    fn open(&mut self, tag: StartTag) {
        let name = tag.name.as_str();
        if CLOSES_P.contains(&name) {
            self.close_within("p", &["div", "li", "blockquote", "td", "th", "figure", "section"]);
        }
        match name {
            "li" => self.close_within("li", &["ul", "ol"]),
            "dt" | "dd" => {
                self.close_within("dt", &["dl"]);
                self.close_within("dd", &["dl"]);
            }
            "tr" => self.close_within("tr", &["table", "thead", "tbody", "tfoot"]),
            "td" | "th" => {
                self.close_within("td", &["tr", "table"]);
                self.close_within("th", &["tr", "table"]);
            }
            _ => {}
        }
        let el = Element { name: tag.name, attrs: tag.attrs, children: Vec::new() };
        if self.stack.len() > MAX_DEPTH && !VOID.contains(&el.name.as_str()) {
            return;
        }
        if tag.self_closing || VOID.contains(&el.name.as_str()) {
            self.stack.last_mut().expect("the root is never popped").children.push(Node::Element(el));
        } else {
            self.stack.push(el);
        }
    }

    /// Closes the innermost open `name` unless one of `scope` is open inside it.
    fn close_within(&mut self, name: &str, scope: &[&str]) {
        for i in (1..self.stack.len()).rev() {
            let n = self.stack[i].name.as_str();
            if n == name {
                self.pop_to(i);
                return;
            }
            if scope.contains(&n) {
                return;
            }
        }
    }

    /// An end tag: closes the innermost open element of that name; a stray end tag is ignored.
    fn close(&mut self, name: &str) {
        if let Some(i) = (1..self.stack.len()).rev().find(|&i| self.stack[i].name == name) {
            self.pop_to(i);
        }
    }

    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index {
            let el = self.stack.pop().expect("the loop keeps the root");
            self.stack.last_mut().expect("index is at least 1").children.push(Node::Element(el));
        }
    }

    fn finish(mut self) -> Vec<Node> {
        self.pop_to(1);
        self.stack.pop().map(|root| root.children).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(n: &Node) -> &Element {
        match n {
            Node::Element(e) => e,
            Node::Text(t) => panic!("text {t:?}"),
        }
    }

    #[test]
    fn block_comments_are_dropped_and_elements_nest() {
        let nodes = parse("<!-- wp:paragraph --><p>Hi <strong>there</strong></p><!-- /wp:paragraph -->");
        assert_eq!(nodes.len(), 1);
        let p = el(&nodes[0]);
        assert_eq!(p.name, "p");
        assert_eq!(p.text(), "Hi there");
    }

    #[test]
    fn implied_ends_close_paragraphs_and_list_items() {
        let nodes = parse("<p>one<p>two<ul><li>a<li>b</ul>");
        let names: Vec<&str> = nodes.iter().map(|n| el(n).name.as_str()).collect();
        assert_eq!(names, ["p", "p", "ul"]);
        assert_eq!(el(&nodes[2]).children.len(), 2);
    }

    #[test]
    fn attributes_in_any_quoting_are_read_and_decoded() {
        let nodes = parse("<img src=a.jpg alt='A &amp; B' data-x=\"1\"/>");
        let img = el(&nodes[0]);
        assert_eq!(img.attr("src"), Some("a.jpg"));
        assert_eq!(img.attr("alt"), Some("A & B"));
    }

    #[test]
    fn script_content_is_not_parsed_as_markup() {
        let nodes = parse("<script>if (a<b) { x('</p>') }</script>after");
        assert_eq!(el(&nodes[0]).name, "script");
        assert_eq!(nodes[1], Node::Text("after".into()));
    }

    #[test]
    fn entities_decode_and_unknown_ones_stay() {
        assert_eq!(decode_entities("a &amp; b &#8217; &#x2014; &rsquo; &zzz; & c"), "a & b ’ — ’ &zzz; & c");
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        let nodes = parse(&html);
        let mut depth = 0;
        let mut n = &nodes[0];
        while let Node::Element(e) = n {
            depth += 1;
            n = &e.children[0];
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(n, &Node::Text("deep".into()));
    }

    #[test]
    fn a_lone_less_than_sign_is_text() {
        assert_eq!(parse("1 < 2"), vec![Node::Text("1 < 2".into())]);
    }
}
