-- Translations of one page (an imported Hugo or Zola site's `x.md` and `x.fr.md`, or articles an editor
-- links) share a translation key; an article page lists the others as `hreflang` alternates. Few articles
-- have one, so the index holds only those.
ALTER TABLE articles ADD COLUMN translation_key TEXT;
CREATE INDEX articles_translations ON articles (translation_key) WHERE translation_key IS NOT NULL;
