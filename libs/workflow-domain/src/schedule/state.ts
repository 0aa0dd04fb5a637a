import { type Instant } from '../time';
import { type FireTrigger } from './events';
import { type ScheduleDefinition } from './schedule-definition';

export interface Schedule {
  status: 'active' | 'paused' | 'deleted';
  scheduleId: string;
  schedule: ScheduleDefinition;
  createdAt: Instant;
  timer?: { nominalTime: Instant; fireAt: Instant };
  /** Idempotency keys of runs this schedule started that have not finished. */
  running: string[];
  stopRequested: string[];
  buffered: { nominalTime: Instant; trigger: FireTrigger }[];
  lastFired?: Instant;
}

export type ScheduleState = { status: 'none' } | Schedule;

export const initialScheduleState = (): ScheduleState => ({ status: 'none' });
