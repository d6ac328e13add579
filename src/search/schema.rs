//! The index schema, its version, and the mapping from [`SearchDoc`] to a tantivy document.
//!
//! Bump [`SCHEMA_VERSION`] whenever a field, an option or an analyzer changes: an index written
//! with another version is then rebuilt empty on open (and re-filled by the caller) instead of
//! silently answering with mismatched terms.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::SearchDoc;
use super::analyzer::{EN_STEM, SPELL};

/// Written to [`VERSION_FILE`] beside the index; any other content means "rebuild".
pub(crate) const SCHEMA_VERSION: &str = "zeroopposite-search 2";
/// Name of the schema version file inside the index directory.
pub(crate) const VERSION_FILE: &str = "zeroopposite-search-version";
/// How much of the body is stored for snippets. Matches further in are still found by the index;
/// their snippet then comes from the description, answer or question instead.
pub(crate) const EXCERPT_BYTES: usize = 8 * 1024;

/// Ranking weight of each searchable text field: a word in the title says far more about what
/// an article is about than the same word once in a 1,000-word body.
pub(crate) const FIELD_BOOSTS: [(SearchField, f32); 6] = [
    (SearchField::Title, 3.0),
    (SearchField::Tags, 2.0),
    (SearchField::Question, 1.8),
    (SearchField::Description, 1.3),
    (SearchField::Answer, 1.3),
    (SearchField::Body, 1.0),
];

/// The searchable text fields (all analysed with the stemmed analyzer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchField {
    Title,
    Tags,
    Question,
    Description,
    Answer,
    Body,
}

impl SearchField {
    /// Whether positions are indexed, i.e. phrase queries can run on the field.
    pub(crate) fn has_positions(self) -> bool {
        !matches!(self, SearchField::Tags)
    }
}

/// Field handles of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub slug: Field,
    pub title: Field,
    pub question: Field,
    pub answer: Field,
    pub description: Field,
    pub tags: Field,
    pub body: Field,
    /// Normalised tags, untokenized: the exact tag filter, and stored for hits.
    pub tag: Field,
    /// Stored head of the body, for snippets only.
    pub excerpt: Field,
    /// Unstemmed words of all text fields: the vocabulary for "Did you mean" and word splitting.
    pub spell: Field,
    pub published: Field,
}

impl Fields {
    /// The handle of a searchable text field.
    pub(crate) fn get(&self, f: SearchField) -> Field {
        match f {
            SearchField::Title => self.title,
            SearchField::Tags => self.tags,
            SearchField::Question => self.question,
            SearchField::Description => self.description,
            SearchField::Answer => self.answer,
            SearchField::Body => self.body,
        }
    }
}

fn text(record: IndexRecordOption, stored: bool) -> TextOptions {
    let opts = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(EN_STEM).set_index_option(record));
    if stored { opts.set_stored() } else { opts }
}

/// Builds the schema and its field handles.
pub(crate) fn build() -> (Schema, Fields) {
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let mut b = Schema::builder();
    let fields = Fields {
        slug: b.add_text_field("slug", STRING | STORED),
        title: b.add_text_field("title", text(positions, true)),
        question: b.add_text_field("question", text(positions, true)),
        answer: b.add_text_field("answer", text(positions, true)),
        description: b.add_text_field("description", text(positions, true)),
        tags: b.add_text_field("tags", text(IndexRecordOption::WithFreqs, false)),
        body: b.add_text_field("body", text(positions, false)),
        tag: b.add_text_field("tag", STRING | STORED),
        excerpt: b.add_text_field("excerpt", STORED),
        spell: b.add_text_field(
            "spell",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(SPELL)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
        published: b.add_i64_field("published", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// Normalises a tag the way the filter and the stored tags expect: trimmed, without leading
/// `#`, lower-case, inner whitespace as `-`. The store should apply the same rule when saving.
pub fn normalize_tag(raw: &str) -> String {
    let trimmed = raw.trim().trim_start_matches('#').trim();
    let mut out = String::with_capacity(trimmed.len());
    let mut gap = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Cuts `text` to at most `max` bytes without splitting a UTF-8 character.
pub(crate) fn cut_at_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Converts an article into the document that is indexed.
pub(crate) fn to_document(f: &Fields, doc: &SearchDoc) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.slug, &doc.slug);
    d.add_text(f.title, &doc.title);
    d.add_text(f.question, &doc.question);
    d.add_text(f.answer, &doc.answer);
    d.add_text(f.description, &doc.description);
    d.add_text(f.body, &doc.body_text);
    for tag in &doc.tags {
        let tag = normalize_tag(tag);
        if !tag.is_empty() {
            d.add_text(f.tags, &tag);
            d.add_text(f.tag, &tag);
        }
    }
    d.add_text(f.excerpt, cut_at_char_boundary(&doc.body_text, EXCERPT_BYTES));
    for part in [&doc.title, &doc.question, &doc.answer, &doc.description, &doc.body_text] {
        if !part.is_empty() {
            d.add_text(f.spell, part);
        }
    }
    d.add_i64(f.published, doc.published_unix);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_to_lower_case_without_hash() {
        assert_eq!(normalize_tag("  #PostTraumaticGrowth "), "posttraumaticgrowth");
        assert_eq!(normalize_tag("Self  Care"), "self-care");
        assert_eq!(normalize_tag("###"), "");
    }

    #[test]
    fn cutting_never_splits_a_character() {
        let s = "aé€😀";
        for max in 0..=s.len() {
            let cut = cut_at_char_boundary(s, max);
            assert!(cut.len() <= max);
            assert!(s.starts_with(cut));
        }
    }

    #[test]
    fn every_boosted_field_resolves_to_a_schema_field() {
        let (schema, fields) = build();
        for (f, boost) in FIELD_BOOSTS {
            assert!(boost > 0.0);
            assert!(schema.get_field_name(fields.get(f)).len() > 2);
        }
        assert_eq!(FIELD_BOOSTS[0], (SearchField::Title, 3.0), "title must weigh most");
    }
}
