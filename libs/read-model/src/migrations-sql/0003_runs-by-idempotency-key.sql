-- Up Migration
-- The run list's search by idempotency key (issue 18: the console finds a run by the key it was started with).
CREATE INDEX runs_idempotency_key ON runs (idempotency_key) WHERE idempotency_key IS NOT NULL;
