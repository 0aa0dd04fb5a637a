-- Up Migration
CREATE TABLE triggers (
  id                 uuid PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('webhook', 'kafka')),
  workflow_name      text NOT NULL,
  workflow_version   integer CHECK (workflow_version > 0),
  input_expression   text,
  description        text,
  enabled            boolean NOT NULL DEFAULT true,
  -- Webhook: the signing secret sealed with AES-256-GCM ('trigger:<id>' is the additional data).
  tolerance_seconds  integer CHECK (tolerance_seconds > 0),
  secret_iv          bytea,
  secret_cipher      bytea,
  secret_tag         bytea,
  -- Kafka: the topic by its own name, an optional filter, where a new consumer group starts.
  topic              text,
  filter_expression  text,
  start_from         text CHECK (start_from IN ('latest', 'earliest')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'webhook' OR (secret_cipher IS NOT NULL AND tolerance_seconds IS NOT NULL)),
  CHECK (kind <> 'kafka' OR (topic IS NOT NULL AND start_from IS NOT NULL))
);
