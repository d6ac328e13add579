//! Content rules that hold a message back as spam (kept for an editor, never dropped).

/// Counts links: `http://`, `https://`, `www.` and `<a ` occurrences.
pub fn link_count(text: &str) -> usize {
    let lower = text.to_lowercase();
    ["http://", "https://", "www.", "<a "].iter().map(|p| lower.matches(p).count()).sum::<usize>()
        - lower.matches("http://www.").count()
        - lower.matches("https://www.").count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_counted_once_each() {
        assert_eq!(link_count("see https://www.example.org and http://a.b and www.c.d"), 3);
        assert_eq!(link_count("no links here"), 0);
    }
}
