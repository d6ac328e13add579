-- Listings read pages of public articles newest first. One covering index in that order lets a page at
-- any depth (`?page=501`) and the public count be read from the index alone, without sorting the table or
-- reading any article's text; the old (status, sort_at) index tempted the planner into an OR of two
-- index searches followed by a sort of every public article. The scheduler's search for due articles
-- gets a small index of its own.
DROP INDEX articles_listing;
CREATE INDEX articles_public_order ON articles (sort_at DESC, slug, status, published_at);
CREATE INDEX articles_due ON articles (published_at) WHERE status = 'scheduled';
