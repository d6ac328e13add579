-- Contact Us messages, kept apart from spam by status, and the e-mail notification outbox.
CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    received_at   INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('question', 'correction', 'general')),
    name          TEXT,
    email         TEXT,
    body          TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'handled', 'spam')),
    spam_reason   TEXT,
    ip_hash       TEXT    NOT NULL,  -- keyed hash, key rotated daily; never the address itself
    submission_id TEXT    NOT NULL UNIQUE, -- from the signed form token: a resent form is stored once
    handled_at    INTEGER,
    article_slug  TEXT               -- the draft that answers it, if any
);
CREATE INDEX messages_by_status ON messages (status, received_at DESC);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
