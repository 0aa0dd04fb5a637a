import { scheduleStreamName, snapshotStreamName } from '@spark/contracts';
import { type EventStore } from '@spark/event-store';
import {
  scheduleDecider,
  type ScheduleCommand,
  type ScheduleEvent,
  type ScheduleState,
} from '@spark/workflow-domain';
import { DeciderRepository } from '../decider-repository';

export type ScheduleRepository = DeciderRepository<ScheduleState, ScheduleCommand, ScheduleEvent>;

/** Bump when the schedule state's shape changes: older snapshots are then ignored. */
const SCHEDULE_SNAPSHOT_SCHEMA = 1;

/**
 * Schedules (`schedule-<id>` streams) have two writers: the gateway (user commands) and the
 * scheduler's leader (timer fires, finished runs). A fire decided on a stale cached state would be
 * "nothing to do" and never conflict, so cached states are caught up before every decision.
 * They also live forever (three events a fire), so a cold load starts from a snapshot taken every 100
 * events in `snapshot-schedule-<id>`, a prefix nothing relays or projects.
 */
export const scheduleRepository = (store: EventStore, cacheSize = 10_000): ScheduleRepository =>
  new DeciderRepository(store, scheduleDecider, scheduleStreamName, {
    cacheSize,
    catchUpCachedState: true,
    snapshots: {
      every: 100,
      streamNameOf: (scheduleId) => snapshotStreamName(scheduleStreamName(scheduleId)),
      schemaVersion: SCHEDULE_SNAPSHOT_SCHEMA,
    },
  });
