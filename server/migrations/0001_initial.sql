-- PassDesk schema. No column ever holds a password or a raw technician token.

-- Technician tokens: only the SHA-256 of the token is kept (the token is printed once).
CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- One row per reset / unlock attempt that reached the directory.
CREATE TABLE audit (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    technician_id   INTEGER NOT NULL REFERENCES tokens(id),
    technician      TEXT NOT NULL,
    ticket_id       INTEGER NOT NULL,
    ticket_kind     TEXT NOT NULL,
    company         TEXT NOT NULL,
    account         TEXT NOT NULL,
    action          TEXT NOT NULL,       -- reset | unlock
    temporary       INTEGER,             -- NULL for unlock
    result          TEXT NOT NULL,       -- success | refused | error
    directory_code  TEXT,
    note            TEXT                 -- posted | queued | NULL (no note for this action)
);
CREATE INDEX audit_ticket ON audit (ticket_id);
CREATE INDEX audit_at ON audit (at);

-- Internal notes waiting to be posted to ConnectWise (survives restarts).
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    audit_id         INTEGER NOT NULL REFERENCES audit(id),
    ticket_id        INTEGER NOT NULL,
    ticket_kind      TEXT NOT NULL,
    text             TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,   -- unix milliseconds; also a lease while a post is in flight
    last_error       TEXT,
    posted_at        TEXT,
    note_id          INTEGER
);
CREATE INDEX outbox_due ON outbox (posted_at, next_attempt_at);

-- Idempotency keys, scoped per technician. `response` is NULL while the first request runs.
CREATE TABLE idempotency (
    technician_id  INTEGER NOT NULL REFERENCES tokens(id),
    key            TEXT NOT NULL,
    ticket_id      INTEGER NOT NULL,
    ticket_kind    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    status         INTEGER,
    response       TEXT,
    PRIMARY KEY (technician_id, key)
);
