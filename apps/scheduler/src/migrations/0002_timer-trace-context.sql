-- Up Migration
-- The trace context of the decision that scheduled a timer, so the command it fires (a retry, a
-- timeout, the end of a wait) stays in the run's trace.
ALTER TABLE timers ADD COLUMN traceparent text;
