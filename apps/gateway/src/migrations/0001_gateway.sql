-- Up Migration
CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  -- SHA-256 of the bearer token, hex; the token itself is never stored.
  key_hash    text NOT NULL UNIQUE,
  prefix      text NOT NULL,
  scopes      text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE sources (
  name              text PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('langflow', 'agent')),
  base_url          text NOT NULL,
  description       text,
  -- AES-256-GCM: 12-byte IV, ciphertext, 16-byte tag; the source name is the additional data.
  api_key_iv        bytea,
  api_key_cipher    bytea,
  api_key_tag       bytea,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
