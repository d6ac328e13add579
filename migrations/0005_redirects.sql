-- Old addresses from a site we moved in from (a WordPress permalink, `/?p=123`), answered with `301` to
-- `/articles/{slug}`. `old_path` is normalised by `domain::OldPath` (no trailing slash; query kept).
CREATE TABLE redirects (
    old_path   TEXT    NOT NULL UNIQUE,
    slug       TEXT    NOT NULL,
    source     TEXT    NOT NULL,   -- the file it came from, e.g. "export.xml"
    created_at INTEGER NOT NULL
);
CREATE INDEX redirects_by_slug ON redirects (slug);
