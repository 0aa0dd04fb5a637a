-- Up Migration
-- Every start a gateway accepted, written before its StartRun command is sent: any gateway instance can
-- answer for a run whose stream does not exist yet, and a repeated Idempotency-Key is compared with the
-- request it first came with.
CREATE TABLE run_starts (
  run_id             text PRIMARY KEY,
  -- NULL for starts without a key; a key names one request, whatever the workflow.
  idempotency_key    text UNIQUE,
  -- What the request asked for: {workflow, version (as requested, or null), input, labels} with the
  -- input and labels as SHA-256 of their canonical JSON.
  fingerprint        jsonb NOT NULL,
  workflow_name      text NOT NULL,
  workflow_version   integer NOT NULL,
  input              jsonb,
  labels             jsonb,
  accepted_at        timestamptz NOT NULL
);
