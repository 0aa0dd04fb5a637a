import { type Decider } from '../shared/decider';
import { type RunCommand } from './commands';
import { decodeRunEvent, RUN_EVENT_SCHEMA_VERSION } from './codec';
import { decide } from './decide';
import { type RunEvent } from './events';
import { evolve } from './evolve';
import { initialRunState, type RunState } from './state';

export const runDecider: Decider<RunState, RunCommand, RunEvent> = {
  decide,
  evolve,
  initialState: initialRunState,
  decodeEvent: (stored, state) =>
    decodeRunEvent(
      stored,
      state.status === 'notStarted'
        ? {}
        : { workflow: { name: state.definition.name, version: state.definition.version } },
    ),
  eventSchemaVersion: RUN_EVENT_SCHEMA_VERSION,
};
