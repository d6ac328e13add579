//! Byte offsets in the Markdown body to 1-based source lines and character
//! columns, so every finding points at the exact place in the file.

/// Maps body byte offsets to source lines and 1-based character columns.
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`, whose first line is source line `first_line`.
    pub(super) fn new(text: &'a str, first_line: usize) -> LineIndex<'a> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts, first_line: first_line.max(1) }
    }

    /// The (line, column) of `offset`.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self.text[start..offset].chars().count() + 1;
        (self.first_line + line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_columns_in_characters() {
        let index = LineIndex::new("ab\nçé x", 10);
        assert_eq!(index.position(0), (10, 1));
        assert_eq!(index.position("ab\nçé ".len()), (11, 4));
    }
}
