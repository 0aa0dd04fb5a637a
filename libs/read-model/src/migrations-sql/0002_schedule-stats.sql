-- Up Migration
-- What a schedule's fires became (issue 7): the last run, its outcome, and counters per outcome.
-- Like 0001, every value comes from the schedule's own events, so a rebuild gives the same rows.

ALTER TABLE schedules
  -- calendar | catch-up | manual | buffered | backfill (of the last ScheduleFired)
  ADD COLUMN last_fired_trigger text,
  -- The run the last fire started (scheduledRunId of its idempotency key).
  ADD COLUMN last_run_id text,
  -- The last run reported finished: completed | failed | cancelled | timedOut | refused (null if unreported).
  ADD COLUMN last_finished_run_id text,
  ADD COLUMN last_outcome text,
  ADD COLUMN last_finished_at timestamptz,
  -- Idempotency keys of started runs not reported finished yet: a set, because a backfill may fire a
  -- key that already fired (it starts no second run), so a plain counter would drift.
  ADD COLUMN running_keys text[] NOT NULL DEFAULT '{}',
  ADD COLUMN running_count integer NOT NULL DEFAULT 0,
  ADD COLUMN skipped_count integer NOT NULL DEFAULT 0,
  ADD COLUMN buffered_count integer NOT NULL DEFAULT 0,
  -- ScheduleFiresMissed reports a range of nominal times, not a number: count the reports, keep the last range.
  ADD COLUMN missed_report_count integer NOT NULL DEFAULT 0,
  ADD COLUMN last_missed_from timestamptz,
  ADD COLUMN last_missed_before timestamptz,
  ADD COLUMN backfill_count integer NOT NULL DEFAULT 0,
  ADD COLUMN completed_count integer NOT NULL DEFAULT 0,
  ADD COLUMN failed_count integer NOT NULL DEFAULT 0,
  ADD COLUMN cancelled_count integer NOT NULL DEFAULT 0,
  ADD COLUMN timed_out_count integer NOT NULL DEFAULT 0,
  ADD COLUMN refused_count integer NOT NULL DEFAULT 0;

CREATE INDEX schedules_workflow ON schedules (workflow_name);
