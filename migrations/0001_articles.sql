-- Articles, tags, their links, revisions, and the change log other processes follow.
CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    slug             TEXT    NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'trashed')),
    published_at     INTEGER,           -- unix seconds, NULL when the article gives none
    sort_at          INTEGER NOT NULL,  -- published_at, else created_at: the order of listings
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    article_json     TEXT    NOT NULL,  -- the whole domain Article, as written
    body_html        TEXT    NOT NULL,  -- derived: rendered, sanitised body
    renderer_version INTEGER NOT NULL   -- which renderer made body_html
);
CREATE INDEX articles_listing ON articles (status, sort_at DESC);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);

CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    author       TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    article_json TEXT    NOT NULL
);
CREATE INDEX revisions_by_article ON revisions (article_id, id);

-- Every write that readers could see appends here; servers poll max(seq) to refresh caches and search.
CREATE TABLE changes (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    at   INTEGER NOT NULL,
    kind TEXT    NOT NULL,
    slug TEXT
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
