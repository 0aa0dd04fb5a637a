-- Up Migration
-- The stream revision of the event that armed (or disarmed) each schedule timer. Timers are written both by
-- the leader as it decides a fire and by the relay when it reaches the event; a write only wins over a
-- newer one's row if its event is newer, so a relay that lags behind never re-arms a timer already past.
ALTER TABLE schedule_timers ADD COLUMN revision bigint NOT NULL DEFAULT -1;
