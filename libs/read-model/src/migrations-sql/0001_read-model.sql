-- Up Migration
-- The read models the projector derives from the event store (docs/adr/0050). Every timestamp comes
-- from the events themselves (never now()), so a rebuild from position 0 produces the same rows.

-- One row per workflow name, with its newest version.
CREATE TABLE workflows (
  name text PRIMARY KEY,
  latest_version integer NOT NULL,
  version_count integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Every registered (immutable) version of a workflow.
CREATE TABLE workflow_versions (
  name text NOT NULL,
  version integer NOT NULL,
  content_hash text NOT NULL,
  definition jsonb NOT NULL,
  registered_at timestamptz NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE TABLE runs (
  id text PRIMARY KEY,
  workflow_name text NOT NULL,
  workflow_version integer NOT NULL,
  -- running | compensating | completed | failed | cancelled | timedOut
  status text NOT NULL,
  input jsonb,
  output jsonb,
  error jsonb,
  failed_step text,
  labels jsonb NOT NULL DEFAULT '{}'::jsonb,
  parent_run_id text,
  parent_step_id text,
  idempotency_key text,
  run_attempt integer NOT NULL DEFAULT 1,
  -- When the run was accepted (RunStarted), when its first step attempt started, when it ended.
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL,
  last_revision bigint NOT NULL,
  last_position bigint NOT NULL
);
CREATE INDEX runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX runs_workflow_created ON runs (workflow_name, created_at DESC, id DESC);
CREATE INDEX runs_status_created ON runs (status, created_at DESC, id DESC);
CREATE INDEX runs_labels ON runs USING gin (labels jsonb_path_ops);
CREATE INDEX runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;

-- One row per attempt of a task (a step, a map item `step[3]`, a compensation `step#compensate`, or a child run).
CREATE TABLE step_attempts (
  run_id text NOT NULL,
  task_id text NOT NULL,
  attempt integer NOT NULL,
  step_id text NOT NULL,
  item_index integer,
  -- step | compensation
  purpose text NOT NULL,
  -- scheduled | dispatched | started | succeeded | failed | timedOut | cancelled
  status text NOT NULL,
  handler text,
  queue text,
  child_run_id text,
  scheduled_for timestamptz,
  dispatched_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  output jsonb,
  error jsonb,
  retryable boolean,
  worker_id text,
  last_position bigint NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
);

-- One row per run event, in stream order.
CREATE TABLE run_timeline (
  run_id text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL,
  summary jsonb NOT NULL,
  event_id text NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (run_id, revision)
);

CREATE TABLE schedules (
  id text PRIMARY KEY,
  workflow_name text NOT NULL,
  workflow_version integer,
  -- active | paused | exhausted | deleted
  status text NOT NULL,
  definition jsonb NOT NULL,
  next_nominal_time timestamptz,
  next_fire_at timestamptz,
  last_fired_at timestamptz,
  last_nominal_time timestamptz,
  fire_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_position bigint NOT NULL
);
CREATE INDEX schedules_next_fire ON schedules (next_fire_at) WHERE status = 'active';

-- How far each consumer of the global log got (-1: nothing yet). `read-model` moves in the same
-- transaction as the rows above; `public-events` after the CloudEvents are acknowledged by Kafka.
CREATE TABLE projection_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  recorded_at timestamptz
);
INSERT INTO projection_checkpoints (name, position) VALUES ('read-model', -1), ('public-events', -1);
