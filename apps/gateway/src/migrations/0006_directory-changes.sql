-- Up Migration
-- Sources and secrets reach executors through event streams (source-<name>, secret-<name>; ADR 0134).
-- Each write takes a number from one sequence; the stream's event carries it, so readers keep the newest
-- state of a name whatever order appends land in, and the gateway's reconcile sees which rows a stream
-- has not caught up with (existing rows get numbers here and are published at the next start).
CREATE SEQUENCE directory_changes;
ALTER TABLE sources ADD COLUMN change bigint NOT NULL DEFAULT nextval('directory_changes');
ALTER TABLE secrets ADD COLUMN change bigint NOT NULL DEFAULT nextval('directory_changes');
