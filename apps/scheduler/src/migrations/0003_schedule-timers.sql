-- Up Migration
-- The armed timer of every active schedule (one per schedule), written by the relay from
-- ScheduleTimerSet events. `nominal_time` is kept as the event's exact ISO text: the schedule
-- decider matches a firing to its timer by it.
CREATE TABLE schedule_timers (
  schedule_id text PRIMARY KEY,
  nominal_time text NOT NULL,
  fire_at timestamptz NOT NULL,
  traceparent text
);
CREATE INDEX schedule_timers_fire_at ON schedule_timers (fire_at);
