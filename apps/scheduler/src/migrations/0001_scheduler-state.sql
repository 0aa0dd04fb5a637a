-- Up Migration
-- The scheduler's own durable state, derived from the event store by the relay (docs/adr/0040).

-- Live timers of every run: one row per (run, timer id); rescheduling a timer id moves it.
CREATE TABLE timers (
  run_id text NOT NULL,
  timer_id text NOT NULL,
  fire_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, timer_id)
);
CREATE INDEX timers_fire_at ON timers (fire_at);

-- How far the relay has read the event store's global log.
CREATE TABLE relay_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
