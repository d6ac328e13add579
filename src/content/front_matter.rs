//! Splitting a Markdown file into front matter and body, and parsing TOML (`+++`) or YAML (`---`) front matter
//! into one generic value tree, with errors that name a line.

use serde_json::{Map, Value};

/// Which front-matter syntax a file used; export writes TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `+++` … `+++` (Zola).
    Toml,
    /// `---` … `---` (Hugo, Jekyll).
    Yaml,
    /// A JSON object at the top of the file (Hugo).
    Json,
}

/// A file cut into its parts. Lines are 1-based source lines.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front-matter syntax.
    pub format: Format,
    /// Text between the delimiter lines.
    pub front_matter: &'a str,
    /// Line of the first front-matter line (the one after the opening delimiter).
    pub front_matter_first_line: usize,
    /// Everything after the closing delimiter.
    pub body: &'a str,
    /// Line where the body starts.
    pub body_first_line: usize,
}

/// A problem in a source file, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ContentError {
    /// 1-based line in the source file.
    pub line: usize,
    /// What is wrong, in words an editor understands.
    pub message: String,
}

impl ContentError {
    /// Builds an error at `line`.
    pub fn at(line: usize, message: impl Into<String>) -> ContentError {
        ContentError { line, message: message.into() }
    }
}

/// Cuts `source` into front matter and body. A file must start with `+++`, `---` or a JSON object
/// (`{`); a byte-order mark and blank lines before it are passed over, as Hugo and Zola do.
pub fn split(source: &str) -> Result<Split<'_>, ContentError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut start = 0;
    let mut skipped = 0;
    while let Some(end) = source[start..].find('\n').map(|i| start + i + 1) {
        if !source[start..end].trim().is_empty() {
            break;
        }
        start = end;
        skipped += 1;
    }
    let first_end = source[start..].find('\n').map_or(source.len(), |i| start + i + 1);
    let first = source[start..first_end].trim_end();
    let (format, delim) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ if first.starts_with('{') => return split_json(source, start, skipped),
        _ => {
            return Err(ContentError::at(
                1 + skipped,
                "the file must start with front matter: a line `+++` (TOML) or `---` (YAML), or a JSON object",
            ));
        }
    };
    let opening = 1 + skipped;
    let mut offset = first_end;
    let mut line = opening + 1;
    while offset < source.len() {
        let end = source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1);
        if source[offset..end].trim_end() == delim {
            return Ok(Split {
                format,
                front_matter: &source[first_end..offset],
                front_matter_first_line: opening + 1,
                body: &source[end..],
                body_first_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(ContentError::at(
        opening,
        format!(
            "the front matter opened with `{delim}` on line {opening} is never closed by a `{delim}` line"
        ),
    ))
}

/// Hugo's JSON front matter: one object from `start`, the body after the line it ends on.
fn split_json(source: &str, start: usize, skipped: usize) -> Result<Split<'_>, ContentError> {
    let opening = 1 + skipped;
    let mut values =
        serde_json::Deserializer::from_str(&source[start..]).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => {}
        Some(Err(e)) => {
            return Err(ContentError::at(opening + e.line().saturating_sub(1), format!("invalid JSON: {e}")));
        }
        None => return Err(ContentError::at(opening, "the JSON front matter is empty")),
    }
    let end = start + values.byte_offset();
    let body_start = source[end..].find('\n').map_or(source.len(), |i| end + i + 1);
    Ok(Split {
        format: Format::Json,
        front_matter: &source[start..end],
        front_matter_first_line: opening,
        body: &source[body_start..],
        body_first_line: opening + source[start..body_start].matches('\n').count(),
    })
}

/// Parses the front matter into a JSON-like map. TOML dates become RFC 3339 strings.
pub fn parse(split: &Split<'_>) -> Result<Map<String, Value>, ContentError> {
    let base = split.front_matter_first_line;
    match split.format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(split.front_matter).map_err(|e| {
                let line = e.span().map_or(0, |s| line_of(split.front_matter, s.start));
                ContentError::at(base + line, format!("invalid TOML: {}", e.message()))
            })?;
            Ok(toml_table(table))
        }
        Format::Json => match serde_json::from_str::<Value>(split.front_matter) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(ContentError::at(base, "the JSON front matter must be an object of keys to values")),
            Err(e) => Err(ContentError::at(base + e.line().saturating_sub(1), format!("invalid JSON: {e}"))),
        },
        Format::Yaml => {
            if split.front_matter.trim().is_empty() {
                return Ok(Map::new());
            }
            let value: Value = serde_yaml_ng::from_str(split.front_matter).map_err(|e| {
                let line = e.location().map_or(0, |l| l.line().saturating_sub(1));
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
                ContentError::at(base + line, format!("invalid YAML: {msg}"))
            })?;
            match value {
                Value::Object(map) => Ok(map),
                Value::Null => Ok(Map::new()),
                _ => Err(ContentError::at(base, "the YAML front matter must be a mapping of keys to values")),
            }
        }
    }
}

/// The 1-based line on which `key` is set at the top level (case-insensitively), if it is.
pub fn find_key_line(split: &Split<'_>, key: &str) -> Option<usize> {
    for (i, line) in split.front_matter.lines().enumerate() {
        let t = line.trim_start();
        // Keys are matched case-insensitively, as the schema reads them; JSON quotes them.
        let quoted = t.strip_prefix('"');
        let t = quoted.unwrap_or(t);
        let rest =
            t.get(..key.len()).filter(|p| p.eq_ignore_ascii_case(key)).and_then(|_| t.get(key.len()..));
        let rest = if quoted.is_some() { rest.and_then(|r| r.strip_prefix('"')) } else { rest };
        if let Some(rest) = rest {
            let rest = rest.trim_start();
            if rest.starts_with('=') || rest.starts_with(':') {
                return Some(split.front_matter_first_line + i);
            }
        }
        if t.eq_ignore_ascii_case(&format!("[{key}]")) || t.eq_ignore_ascii_case(&format!("[[{key}]]")) {
            return Some(split.front_matter_first_line + i);
        }
    }
    None
}

/// The line for a message about `key`: where it is set, else the first front-matter line.
pub fn key_line(split: &Split<'_>, key: &str) -> usize {
    find_key_line(split, key).unwrap_or(split.front_matter_first_line)
}

/// Zero-based line number of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count()
}

fn toml_table(table: toml::Table) -> Map<String, Value> {
    table.into_iter().map(|(k, v)| (k, toml_value(v))).collect()
}

fn toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_value).collect()),
        toml::Value::Table(t) => Value::Object(toml_table(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_is_split_from_the_body() {
        let s = split("+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front_matter, "title = \"A\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_first_line, 4);
    }

    #[test]
    fn yaml_front_matter_with_crlf_is_split() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(parse(&s).unwrap()["title"], "A");
    }

    #[test]
    fn an_unclosed_front_matter_is_an_error_at_line_one() {
        let e = split("+++\ntitle = \"A\"\nBody").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn a_toml_syntax_error_names_its_line() {
        let s = split("+++\ntitle = \"A\"\ntags = [\"a\",\n+++\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert!(e.line >= 3, "{e}");
        assert!(e.message.starts_with("invalid TOML"));
    }

    #[test]
    fn a_yaml_syntax_error_names_its_line() {
        let s = split("---\ntitle: A\ntags: [a, b\n---\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert!(e.line >= 3, "{e}");
    }

    #[test]
    fn a_bom_and_blank_lines_before_the_front_matter_are_passed_over() {
        let s = split("\u{feff}\n\n+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"A\"\n");
        assert_eq!((s.front_matter_first_line, s.body_first_line), (4, 6));
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn json_front_matter_is_read() {
        let s = split("{\n  \"title\": \"A\",\n  \"tags\": [\"x\"]\n}\nBody\n").unwrap();
        assert_eq!(s.format, Format::Json);
        assert_eq!(parse(&s).unwrap()["title"], "A");
        assert_eq!((s.body, s.body_first_line), ("Body\n", 5));
        let e = split("{\n  \"title\": \"A\",\n  oops\n}\nBody\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn toml_dates_become_rfc3339_strings() {
        let s = split("+++\ndate = 2026-11-23T09:00:00Z\n+++\n").unwrap();
        assert_eq!(parse(&s).unwrap()["date"], "2026-11-23T09:00:00Z");
    }
}
