//! Writing an [`Article`] back to a Markdown file with TOML front matter (the one schema,
//! [`FrontMatter`]), so export then import gives it back.

use super::schema::FrontMatter;
use crate::domain::Article;

/// Renders `article` as a `+++` TOML front-matter Markdown file.
pub fn to_markdown_file(article: &Article) -> String {
    let front = FrontMatter::from_article(article);
    let toml =
        toml::to_string(&front).expect("front matter of text, lists and dates always serialises to TOML");
    format!("+++\n{toml}+++\n{}", article.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_article;
    use time::OffsetDateTime;

    #[test]
    #[allow(clippy::disallowed_methods, reason = "a test of its own, on the real clock")]
    fn a_written_file_parses_back_to_the_same_article() {
        let src = include_str!("../../content/demo/sexual-intimacy-and-posttraumatic-growth.md");
        let now = OffsetDateTime::now_utc();
        let a = parse_article(src, None, now).unwrap().article;
        let written = to_markdown_file(&a);
        let b = parse_article(&written, None, now).unwrap();
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        assert_eq!(a, b.article);
    }
}
