import { type Instant } from '../time';
import { type ScheduleDefinition } from './schedule-definition';

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
/** A run started by this schedule reached a final state. */
export type RecordScheduledRunFinished = Command<'RecordScheduledRunFinished', { idempotencyKey: string }>;

export type ScheduleCommand =
  | CreateSchedule
  | UpdateSchedule
  | PauseSchedule
  | ResumeSchedule
  | TriggerSchedule
  | DeleteSchedule
  | FireScheduleTimer
  | RecordScheduledRunFinished;
