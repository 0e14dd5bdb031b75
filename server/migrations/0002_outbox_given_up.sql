-- A note PassDesk stopped trying to post: the ticket is gone (404), or ConnectWise refused it with
-- an error a retry does not fix, many times over. The audit row's `note` becomes `failed`.
ALTER TABLE outbox ADD COLUMN failed_at TEXT;
