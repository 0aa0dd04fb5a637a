-- Up Migration
-- Signatures of accepted webhook deliveries, kept until their timestamp leaves the tolerance window.
-- The signature covers timestamp and body but not the delivery id: without this, a captured request
-- could be replayed within the window under a new delivery id and start a second run.
CREATE TABLE webhook_signatures (
  trigger_id  uuid NOT NULL,
  signature   text NOT NULL,
  delivery_id text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (trigger_id, signature)
);
CREATE INDEX webhook_signatures_expires_at ON webhook_signatures (expires_at);
