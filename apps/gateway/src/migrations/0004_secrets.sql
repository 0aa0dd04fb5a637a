-- Up Migration
-- Named secrets that http steps reference ({ "secret": "<name>" }) instead of writing them in a definition.
-- AES-256-GCM with SPARK_SECRETS_KEY: 12-byte IV, ciphertext, 16-byte tag; "secret:<name>" is the
-- additional data (a sealed value cannot be moved to another name, or to a source's key).
CREATE TABLE secrets (
  name          text PRIMARY KEY,
  description   text,
  value_iv      bytea NOT NULL,
  value_cipher  bytea NOT NULL,
  value_tag     bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

