-- Site agents (src/agent/). Only SHA-256 hashes of enrolment codes and credentials are kept.
CREATE TABLE agents (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    credential_hash  TEXT UNIQUE,         -- NULL until the agent has joined
    joined_at        TEXT,
    revoked_at       TEXT                 -- a revoked agent's credential is refused for good
);

-- One-time enrolment codes: valid until expires_at_ms (unix ms), used once.
CREATE TABLE agent_enrolments (
    id             INTEGER PRIMARY KEY,
    agent_id       INTEGER NOT NULL REFERENCES agents(id),
    code_hash      TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    expires_at_ms  INTEGER NOT NULL,
    used_at        TEXT
);
