-- Up Migration
-- The latest actual starts of each rate-limit key, shared by every executor (docs/adr/0127): an
-- executor claims a start here (row locked, on the database's clock) before it starts a rate-limited
-- attempt, so that no window of `per` holds more than `limit` starts of the key, however late a start is.
CREATE TABLE rate_limit_starts (
  key     text PRIMARY KEY,
  -- The last `limit` starts, oldest first (each the database's time when the start was recorded).
  starts  timestamptz[] NOT NULL DEFAULT '{}'
);
