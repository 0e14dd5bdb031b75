-- The idempotency table keeps the flow's outcome (`{"success": {...}}` or `{"failure": {"code": ...}}`),
-- not an HTTP status and body: the API maps a replay exactly like a first answer (server/src/http/error.rs).
-- Existing answers are carried over: a 2xx body is the success; an error envelope's `error` object is
-- the failure (its `code` and fields are the flow error's own).
ALTER TABLE idempotency ADD COLUMN outcome TEXT;
UPDATE idempotency SET outcome = CASE
        WHEN status BETWEEN 200 AND 299 THEN json_object('success', json(response))
        ELSE json_object('failure', json(json_extract(response, '$.error')))
    END
    WHERE response IS NOT NULL;
ALTER TABLE idempotency DROP COLUMN status;
ALTER TABLE idempotency DROP COLUMN response;
