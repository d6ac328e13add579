-- Editorial findings kept with each article, and privacy-preserving search insights.
ALTER TABLE articles ADD COLUMN findings_json TEXT NOT NULL DEFAULT '[]';

-- One row per normalised query per UTC day: counts only, no IP, no session, no cookie.
CREATE TABLE search_queries (
    day        TEXT    NOT NULL,   -- YYYY-MM-DD
    query      TEXT    NOT NULL,
    count      INTEGER NOT NULL,
    zero_count INTEGER NOT NULL,   -- how many of them found nothing
    PRIMARY KEY (day, query)
);
