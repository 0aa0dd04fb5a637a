import { type Instant } from '../time';
import { type ScheduledRunOutcome } from './commands';
import { type ScheduleDefinition } from './schedule-definition';

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
}

export type FireTrigger = 'calendar' | 'catch-up' | 'manual' | 'buffered' | 'backfill';

export type ScheduleCreated = Event<
  'ScheduleCreated',
  { scheduleId: string; schedule: ScheduleDefinition; createdAt: Instant }
>;
export type ScheduleUpdated = Event<'ScheduleUpdated', { schedule: ScheduleDefinition; updatedAt: Instant }>;
export type SchedulePaused = Event<'SchedulePaused', { reason?: string; pausedAt: Instant }>;
export type ScheduleResumed = Event<'ScheduleResumed', { resumedAt: Instant }>;
export type ScheduleDeleted = Event<'ScheduleDeleted', { deletedAt: Instant }>;
/** Arms the durable timer: fire `nominalTime` at `fireAt` (nominal + jitter). Replaces any earlier timer. */
export type ScheduleTimerSet = Event<'ScheduleTimerSet', { nominalTime: Instant; fireAt: Instant }>;
/** No fire is left (one-time schedule done, or past endAt). */
export type ScheduleExhausted = Event<'ScheduleExhausted', { at: Instant }>;
/** Start a run. `idempotencyKey` = `<scheduleId>:<nominal time ISO>`, so a fire starts at most one run. */
export type ScheduleFired = Event<
  'ScheduleFired',
  {
    nominalTime: Instant;
    idempotencyKey: string;
    workflow: { name: string; version?: number };
    input: unknown;
    trigger: FireTrigger;
    firedAt: Instant;
  }
>;
export type ScheduleFireSkipped = Event<
  'ScheduleFireSkipped',
  { nominalTime: Instant; reason: 'overlap'; at: Instant }
>;
export type ScheduleFireBuffered = Event<
  'ScheduleFireBuffered',
  { nominalTime: Instant; trigger: FireTrigger; at: Instant }
>;
/** Fires older than the catch-up window when the scheduler came back; they never run. */
export type ScheduleFiresMissed = Event<
  'ScheduleFiresMissed',
  { from: Instant; before: Instant; at: Instant }
>;
/** Ask for a running run of this schedule to end: `cancel` lets it compensate, `terminate` ends it at once. */
export type ScheduledRunStopRequested = Event<
  'ScheduledRunStopRequested',
  { idempotencyKey: string; mode: 'cancel' | 'terminate'; at: Instant }
>;
export type ScheduledRunFinished = Event<
  'ScheduledRunFinished',
  { idempotencyKey: string; runId?: string; outcome?: ScheduledRunOutcome; at: Instant }
>;
/** A manual backfill over [from, to): its fires follow as ScheduleFired / Skipped / Buffered events. */
export type ScheduleBackfillRequested = Event<
  'ScheduleBackfillRequested',
  { from: Instant; to: Instant; fires: number; at: Instant }
>;

export type ScheduleEvent =
  | ScheduleCreated
  | ScheduleUpdated
  | SchedulePaused
  | ScheduleResumed
  | ScheduleDeleted
  | ScheduleTimerSet
  | ScheduleExhausted
  | ScheduleFired
  | ScheduleFireSkipped
  | ScheduleFireBuffered
  | ScheduleFiresMissed
  | ScheduledRunStopRequested
  | ScheduledRunFinished
  | ScheduleBackfillRequested;
