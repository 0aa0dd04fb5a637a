import { type Instant } from '../time';
import { type OverlapPolicy, type ScheduleDefinition } from './schedule-definition';

interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: { now: Instant };
}

export type CreateSchedule = Command<
  'CreateSchedule',
  { scheduleId: string; schedule: ScheduleDefinition; paused?: boolean }
>;
export type UpdateSchedule = Command<'UpdateSchedule', { schedule: ScheduleDefinition }>;
export type PauseSchedule = Command<'PauseSchedule', { reason?: string }>;
export type ResumeSchedule = Command<'ResumeSchedule', Record<string, never>>;
/** Fire now, outside the calendar (the overlap policy still applies). */
export type TriggerSchedule = Command<'TriggerSchedule', Record<string, never>>;
export type DeleteSchedule = Command<'DeleteSchedule', Record<string, never>>;
/** The scheduler's durable timer for `nominalTime` went off. */
export type FireScheduleTimer = Command<'FireScheduleTimer', { nominalTime: Instant }>;
/**
 * Fire every nominal time of the calendar in [from, to) now, oldest first (at most 1,000), under `overlap`
 * (default: the schedule's policy). Times that already fired keep their idempotency key, so they start no
 * second run.
 */
export type BackfillSchedule = Command<
  'BackfillSchedule',
  { from: Instant; to: Instant; overlap?: OverlapPolicy }
>;
/** A run started by this schedule reached a final state. */
export type RecordScheduledRunFinished = Command<
  'RecordScheduledRunFinished',
  { idempotencyKey: string; runId?: string; outcome?: ScheduledRunOutcome }
>;

export type ScheduledRunOutcome = 'completed' | 'failed' | 'cancelled' | 'timedOut' | 'refused';

export type ScheduleCommand =
  | CreateSchedule
  | UpdateSchedule
  | PauseSchedule
  | ResumeSchedule
  | TriggerSchedule
  | DeleteSchedule
  | FireScheduleTimer
  | BackfillSchedule
  | RecordScheduledRunFinished;
