-- The Contact Us rate limit, kept in the store so every instance counts the same posts: one row per
-- keyed address hash, the start of its current one-hour window and the posts in it.
CREATE TABLE rate_limits (
    key          TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL
);
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);
