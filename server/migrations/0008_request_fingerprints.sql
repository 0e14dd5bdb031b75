-- What each idempotency key was first used for, so the same key with another password, `temporary`
-- or account is refused (server/src/store/fingerprint.rs). The password is only ever in `request_mac`,
-- an HMAC under a per-process key named by `request_epoch`: the database alone cannot test guesses.
ALTER TABLE idempotency ADD COLUMN request_epoch TEXT;
ALTER TABLE idempotency ADD COLUMN request_mac TEXT;
ALTER TABLE idempotency ADD COLUMN request_public TEXT;
