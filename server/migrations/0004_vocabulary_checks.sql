-- Every vocabulary column only holds its enum's words (server/src: TicketKind, AuditAction, AuditResult,
-- NoteStatus), so a corrupt or hand-edited row is refused at write time; the code also refuses to read
-- an unknown word instead of guessing. SQLite cannot add a CHECK to a table: each table is rebuilt.
-- This also supersedes the comments of 0001 (which an applied migration cannot change: sqlx checks
-- its checksum): `result` includes `rejected`, `note` includes `failed`.
PRAGMA defer_foreign_keys = ON;
-- outbox_new points at audit_new: the rename below makes it point at the new `audit`, and dropping the
-- old `audit` leaves no row pointing at it.

-- One row per reset / unlock attempt: those that reached the directory, and resets refused by the
-- policy check before it (`rejected`).
CREATE TABLE audit_new (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    technician_id   INTEGER NOT NULL REFERENCES tokens(id),
    technician      TEXT NOT NULL,
    ticket_id       INTEGER NOT NULL,
    ticket_kind     TEXT NOT NULL CHECK (ticket_kind IN ('service', 'project')),
    company         TEXT NOT NULL,
    account         TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('reset', 'unlock')),
    temporary       INTEGER,             -- NULL for unlock
    result          TEXT NOT NULL CHECK (result IN ('success', 'refused', 'error', 'rejected')),
    directory_code  TEXT,
    note            TEXT CHECK (note IN ('posted', 'queued', 'failed'))  -- NULL: no note for this row
);
INSERT INTO audit_new SELECT id, at, technician_id, technician, ticket_id, ticket_kind, company, account,
    action, temporary, result, directory_code, note FROM audit;

-- Internal notes waiting to be posted to ConnectWise (survives restarts).
CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY,
    audit_id         INTEGER NOT NULL REFERENCES audit_new(id),  -- "audit" once renamed below
    ticket_id        INTEGER NOT NULL,
    ticket_kind      TEXT NOT NULL CHECK (ticket_kind IN ('service', 'project')),
    text             TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,   -- unix milliseconds; also a lease while a post is in flight
    last_error       TEXT,
    posted_at        TEXT,
    note_id          INTEGER,
    failed_at        TEXT                -- given up (0002): the audit row's note is `failed`
);
INSERT INTO outbox_new SELECT id, audit_id, ticket_id, ticket_kind, text, attempts, next_attempt_at,
    last_error, posted_at, note_id, failed_at FROM outbox;

-- Idempotency keys, scoped per technician. `outcome` (0003) is NULL while the first request runs.
CREATE TABLE idempotency_new (
    technician_id  INTEGER NOT NULL REFERENCES tokens(id),
    key            TEXT NOT NULL,
    ticket_id      INTEGER NOT NULL,
    ticket_kind    TEXT NOT NULL CHECK (ticket_kind IN ('service', 'project')),
    created_at     TEXT NOT NULL,
    outcome        TEXT CHECK (outcome IS NULL OR json_valid(outcome)),
    PRIMARY KEY (technician_id, key)
);
INSERT INTO idempotency_new SELECT technician_id, key, ticket_id, ticket_kind, created_at, outcome
    FROM idempotency;

DROP TABLE idempotency;
DROP TABLE outbox;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
ALTER TABLE outbox_new RENAME TO outbox;
ALTER TABLE idempotency_new RENAME TO idempotency;
CREATE INDEX audit_ticket ON audit (ticket_id);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX outbox_due ON outbox (posted_at, next_attempt_at);
