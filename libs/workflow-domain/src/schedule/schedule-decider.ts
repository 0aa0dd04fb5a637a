import { type Decider } from '../shared/decider';
import { type ScheduleCommand } from './commands';
import { decideSchedule } from './decide';
import { type ScheduleEvent } from './events';
import { evolveSchedule } from './evolve';
import { initialScheduleState, type ScheduleState } from './state';

export const scheduleDecider: Decider<ScheduleState, ScheduleCommand, ScheduleEvent> = {
  decide: decideSchedule,
  evolve: evolveSchedule,
  initialState: initialScheduleState,
};
