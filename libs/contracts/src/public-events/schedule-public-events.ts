/**
 * Public events of schedules (`spark.schedule.*`), published on `spark.events.v1` like the run events,
 * with the schedule id as CloudEvent subject and Kafka key: one schedule's events are in order. A fire's
 * run has events of its own (`spark.run.*`, keyed by run id), in no guaranteed order relative to these.
 */

export const PUBLIC_SCHEDULE_EVENT_SOURCE = '/spark/schedules';

export const SchedulePublicEventTypes = {
  scheduleCreated: 'spark.schedule.created.v1',
  scheduleUpdated: 'spark.schedule.updated.v1',
  schedulePaused: 'spark.schedule.paused.v1',
  scheduleResumed: 'spark.schedule.resumed.v1',
  scheduleDeleted: 'spark.schedule.deleted.v1',
  scheduleExhausted: 'spark.schedule.exhausted.v1',
  scheduleFired: 'spark.schedule.fired.v1',
  scheduleSkipped: 'spark.schedule.skipped.v1',
  scheduleBuffered: 'spark.schedule.buffered.v1',
  scheduleMissed: 'spark.schedule.missed.v1',
  scheduleBackfillRequested: 'spark.schedule.backfill_requested.v1',
  scheduleRunFinished: 'spark.schedule.run_finished.v1',
} as const;

/** A schedule may follow the latest version of its workflow (no `version`). */
export interface PublicScheduleWorkflowRef {
  name: string;
  version?: number;
}

export type PublicScheduleSpec =
  | { kind: 'cron'; expression: string; timezone?: string }
  | { kind: 'interval'; every: string; anchor?: string }
  | { kind: 'once'; at: string };

/** calendar: its time came; catch-up: late, after downtime; manual: trigger now; buffered: held back by overlap; backfill. */
export type PublicFireTrigger = 'calendar' | 'catch-up' | 'manual' | 'buffered' | 'backfill';
export type PublicScheduledRunOutcome = 'completed' | 'failed' | 'cancelled' | 'timedOut' | 'refused';

interface SchedulePayload {
  scheduleId: string;
}

export interface ScheduleCreatedV1 extends SchedulePayload {
  workflow: PublicScheduleWorkflowRef;
  spec: PublicScheduleSpec;
  createdAt: string;
}
export interface ScheduleUpdatedV1 extends SchedulePayload {
  workflow: PublicScheduleWorkflowRef;
  spec: PublicScheduleSpec;
  updatedAt: string;
}
export interface SchedulePausedV1 extends SchedulePayload {
  reason?: string;
  pausedAt: string;
}
export interface ScheduleResumedV1 extends SchedulePayload {
  resumedAt: string;
}
export interface ScheduleDeletedV1 extends SchedulePayload {
  deletedAt: string;
}
export interface ScheduleExhaustedV1 extends SchedulePayload {
  at: string;
}
export interface ScheduleFiredV1 extends SchedulePayload {
  nominalTime: string;
  /** The run this fire starts (a fire time fired again names the same run and starts no second one). */
  runId: string;
  workflow: PublicScheduleWorkflowRef;
  trigger: PublicFireTrigger;
  firedAt: string;
}
export interface ScheduleSkippedV1 extends SchedulePayload {
  nominalTime: string;
  reason: string;
  at: string;
}
export interface ScheduleBufferedV1 extends SchedulePayload {
  nominalTime: string;
  trigger: PublicFireTrigger;
  at: string;
}
/** Fire times in [from, before) that never run: older than the catch-up window when the scheduler came back. */
export interface ScheduleMissedV1 extends SchedulePayload {
  from: string;
  before: string;
  at: string;
}
export interface ScheduleBackfillRequestedV1 extends SchedulePayload {
  from: string;
  to: string;
  fires: number;
  at: string;
}
export interface ScheduleRunFinishedV1 extends SchedulePayload {
  runId: string;
  /** Absent when the scheduler could not tell. */
  outcome?: PublicScheduledRunOutcome;
  at: string;
}

export interface SchedulePublicEventPayloads {
  'spark.schedule.created.v1': ScheduleCreatedV1;
  'spark.schedule.updated.v1': ScheduleUpdatedV1;
  'spark.schedule.paused.v1': SchedulePausedV1;
  'spark.schedule.resumed.v1': ScheduleResumedV1;
  'spark.schedule.deleted.v1': ScheduleDeletedV1;
  'spark.schedule.exhausted.v1': ScheduleExhaustedV1;
  'spark.schedule.fired.v1': ScheduleFiredV1;
  'spark.schedule.skipped.v1': ScheduleSkippedV1;
  'spark.schedule.buffered.v1': ScheduleBufferedV1;
  'spark.schedule.missed.v1': ScheduleMissedV1;
  'spark.schedule.backfill_requested.v1': ScheduleBackfillRequestedV1;
  'spark.schedule.run_finished.v1': ScheduleRunFinishedV1;
}
