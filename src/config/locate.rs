//! Where a setting is in the TOML text: the line for a dotted key, and the key whose value covers a
//! byte offset. Only used to make error messages point at the right place, so a lookup that fails just
//! gives no key (or line 1).

use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// The 1-based line holding byte `offset` of `text`.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// The line of the (last part of the) dotted `key`, e.g. `contact.smtp.to`, if the text sets it.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        let (k, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == part)?;
        if parts.peek().is_none() {
            return Some(line_at(text, k.span().start));
        }
        match v.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    None
}

/// The dotted key whose value holds `span` (an error's span), e.g. `admin.session_max_hours`, or
/// `support[1].title` inside an array of tables; None when the span is a key or outside any value.
pub(super) fn key_of_value_at(text: &str, span: &Range<usize>) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    find(root.get_ref(), span, "")
}

fn find(table: &DeTable<'_>, at: &Range<usize>, prefix: &str) -> Option<String> {
    for (k, v) in table {
        let key =
            if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
        let found = match v.get_ref() {
            DeValue::Table(t) => find(t, at, &key),
            DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| match item.get_ref() {
                DeValue::Table(t) => find(t, at, &format!("{key}[{i}]")),
                _ => None,
            }),
            _ => None,
        };
        let inside = v.span().start <= at.start && at.end <= v.span().end;
        if found.is_some() || inside {
            return found.or(Some(key));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "page_size = 5151\n\n[admin]\nsession_max_hours = 77\n\n[[support]]\ntags = []\n\
                        title = \"a\"\n\n[[support]]\ntags = [\"x\"]\ntitle = 3\n";

    fn span_of(needle: &str) -> Range<usize> {
        let start = TEXT.find(needle).unwrap();
        start..start + needle.len()
    }

    #[test]
    fn a_value_is_named_by_its_dotted_key() {
        assert_eq!(key_of_value_at(TEXT, &span_of("5151")).as_deref(), Some("page_size"));
        assert_eq!(key_of_value_at(TEXT, &span_of("77")).as_deref(), Some("admin.session_max_hours"));
        assert_eq!(key_of_value_at(TEXT, &span_of("3")).as_deref(), Some("support[1].title"));
    }

    #[test]
    fn a_key_itself_is_not_a_value() {
        assert_eq!(key_of_value_at(TEXT, &span_of("page_size")), None);
    }

    #[test]
    fn a_dotted_key_is_found_on_its_line() {
        assert_eq!(line_of_key(TEXT, "page_size"), Some(1));
        assert_eq!(line_of_key(TEXT, "admin.session_max_hours"), Some(4));
        assert_eq!(line_of_key(TEXT, "admin"), Some(3));
        assert_eq!(line_of_key(TEXT, "admin.nothing"), None);
    }
}
