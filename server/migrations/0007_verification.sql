-- Caller verification (src/verification/). The audit gains the action `verify`, its results and two
-- columns (`method`, masked `target`); SQLite cannot change a CHECK, so audit and outbox (which
-- points at audit) are rebuilt as in 0004. No code, phone number or e-mail address is stored in clear:
-- `target` is masked, `code_hash` is a keyed hash.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE audit_new (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    technician_id   INTEGER NOT NULL REFERENCES tokens(id),
    technician      TEXT NOT NULL,
    ticket_id       INTEGER NOT NULL,
    ticket_kind     TEXT NOT NULL CHECK (ticket_kind IN ('service', 'project')),
    company         TEXT NOT NULL,
    account         TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('reset', 'unlock', 'verify')),
    temporary       INTEGER,             -- NULL for unlock and verify
    result          TEXT NOT NULL CHECK (result IN ('success', 'refused', 'error', 'rejected',
                        'sent', 'verified', 'wrong_code', 'locked', 'expired', 'approved', 'denied',
                        'timeout', 'failed')),
    directory_code  TEXT,
    note            TEXT CHECK (note IN ('posted', 'queued', 'failed')),  -- NULL: no note for this row
    method          TEXT CHECK (method IN ('sms', 'email', 'duo_push')),  -- verify rows only
    target          TEXT                 -- verify rows only: the masked contact point
);
INSERT INTO audit_new (id, at, technician_id, technician, ticket_id, ticket_kind, company, account, action,
    temporary, result, directory_code, note)
    SELECT id, at, technician_id, technician, ticket_id, ticket_kind, company, account,
    action, temporary, result, directory_code, note FROM audit;

CREATE TABLE outbox_new (
    id               INTEGER PRIMARY KEY,
    audit_id         INTEGER NOT NULL REFERENCES audit_new(id),  -- "audit" once renamed below
    ticket_id        INTEGER NOT NULL,
    ticket_kind      TEXT NOT NULL CHECK (ticket_kind IN ('service', 'project')),
    text             TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    posted_at        TEXT,
    note_id          INTEGER,
    failed_at        TEXT
);
INSERT INTO outbox_new SELECT id, audit_id, ticket_id, ticket_kind, text, attempts, next_attempt_at,
    last_error, posted_at, note_id, failed_at FROM outbox;

DROP TABLE outbox;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX audit_ticket ON audit (ticket_id);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX outbox_due ON outbox (posted_at, next_attempt_at);

-- One row per verification attempt, bound to technician + ticket + directory account.
CREATE TABLE verifications (
    id              TEXT PRIMARY KEY,    -- 128 random bits, hex
    created_at_ms   INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL,    -- code / push deadline
    technician_id   INTEGER NOT NULL REFERENCES tokens(id),
    ticket_id       INTEGER NOT NULL,
    ticket_kind     TEXT NOT NULL CHECK (ticket_kind IN ('service', 'project')),
    company         TEXT NOT NULL,       -- ConnectWise company identifier (for the audit)
    directory       TEXT NOT NULL,
    account_id      TEXT NOT NULL,       -- DN / object id, as the context showed it
    account         TEXT NOT NULL,       -- the audit's account label
    method_id       TEXT NOT NULL,       -- e.g. email:otherMailbox
    kind            TEXT NOT NULL CHECK (kind IN ('sms', 'email', 'duo_push')),
    target          TEXT NOT NULL,       -- masked
    code_hash       TEXT,                -- HMAC-SHA256 of the code; NULL for a push and once used
    provider_ref    TEXT,                -- Duo txid
    wrong_attempts  INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'verified', 'locked', 'expired',
                        'approved', 'denied', 'timeout', 'failed')),
    verified_at_ms  INTEGER
);
CREATE INDEX verifications_account ON verifications (directory, account_id, created_at_ms);
CREATE INDEX verifications_binding ON verifications (technician_id, ticket_id, account_id);
