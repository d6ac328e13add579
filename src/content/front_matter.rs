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

/// Cuts `source` into front matter and body. A file must start with `+++` or `---`.
pub fn split(source: &str) -> Result<Split<'_>, ContentError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let first_end = source.find('\n').map_or(source.len(), |i| i + 1);
    let first = source[..first_end].trim_end();
    let (format, delim) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Err(ContentError::at(
                1,
                "the file must start with front matter: a line `+++` (TOML) or `---` (YAML)",
            ));
        }
    };
    let mut offset = first_end;
    let mut line = 2;
    while offset < source.len() {
        let end = source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1);
        if source[offset..end].trim_end() == delim {
            return Ok(Split {
                format,
                front_matter: &source[first_end..offset],
                front_matter_first_line: 2,
                body: &source[end..],
                body_first_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(ContentError::at(
        1,
        format!("the front matter opened with `{delim}` on line 1 is never closed by a `{delim}` line"),
    ))
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
        // Keys are matched case-insensitively, as the schema reads them.
        let rest =
            t.get(..key.len()).filter(|p| p.eq_ignore_ascii_case(key)).and_then(|_| t.get(key.len()..));
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
    fn toml_dates_become_rfc3339_strings() {
        let s = split("+++\ndate = 2026-11-23T09:00:00Z\n+++\n").unwrap();
        assert_eq!(parse(&s).unwrap()["date"], "2026-11-23T09:00:00Z");
    }
}
