import { type Decider } from '../shared/decider';
import { type RunCommand } from './commands';
import { decide } from './decide';
import { type RunEvent } from './events';
import { evolve } from './evolve';
import { initialRunState, type RunState } from './state';

export const runDecider: Decider<RunState, RunCommand, RunEvent> = {
  decide,
  evolve,
  initialState: initialRunState,
};
