-- Up Migration
-- One view of a run (issue 14, docs/adr/0133): what the gateway's GET run and gRPC GetRun serve, as of
-- `last_revision` of the run's stream. `view` holds the decider state that `evolve` folds (step statuses
-- and outputs, skip reasons, awaited signals, the waits of rate limits and concurrency keys), every try
-- of every task with its input, the cancels, retries and signals, and the labels. A reader folds the
-- stream's events after `last_revision` onto it, so a run just started or changed reads its own write.
-- Written in the projector's transaction with the rows and checkpoint, from the events alone.
-- `json`, not `jsonb`: the document is written whole and read whole, never queried inside, and json
-- keeps it as the text it was written (no conversion on every write of a busy run).
CREATE TABLE run_views (
  run_id text PRIMARY KEY,
  last_revision bigint NOT NULL,
  last_position bigint NOT NULL,
  view json NOT NULL
);

-- Each attempt's input (the dispatch's), beside its output.
ALTER TABLE step_attempts ADD COLUMN input jsonb;
