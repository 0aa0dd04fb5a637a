-- Up Migration
-- The run timeline is the run's stream in the event store (GET /runs/{id}/events, the CLI and the
-- console read it there); this copy of it was written for every event and read by nothing
-- (docs/adr/0050, addendum).
DROP TABLE run_timeline;

