-- The editors' side: accounts, server-side sessions, and failed sign-ins for throttling.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,  -- a Username: lower-case, checked by the domain type
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'editor')),
    password_hash TEXT    NOT NULL,         -- argon2id PHC string; never the password
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         TEXT    NOT NULL,          -- the session's CSRF token, checked on every POST
    created_at   INTEGER NOT NULL,          -- absolute expiry counts from here
    last_seen_at INTEGER NOT NULL           -- idle expiry counts from here
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- One row per failed sign-in, kept only for the throttling window. The name tried is kept whether or
-- not such an account exists, so throttling says nothing about which accounts exist.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    account TEXT    NOT NULL,
    ip_hash TEXT    NOT NULL                -- keyed hash, as for messages; never the address
);
CREATE INDEX login_failures_by_account ON login_failures (account, at);
CREATE INDEX login_failures_by_ip ON login_failures (ip_hash, at);
