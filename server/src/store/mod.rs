//! Database: tokens, audit, outbox, idempotency (server app work).
