import { type Decider } from '../shared';
import { type StartControlCommand } from './commands';
import { decideStartControl } from './decide';
import { type StartControlEvent } from './events';
import { evolveStartControl } from './evolve';
import { initialStartControlState, type StartControlState } from './state';

export const startControlDecider: Decider<StartControlState, StartControlCommand, StartControlEvent> = {
  decide: decideStartControl,
  evolve: evolveStartControl,
  initialState: initialStartControlState,
};

export { START_CONTROL_STREAM_PREFIX, startControlStreamName } from '@spark/contracts';

/** A debounce or throttle scope: the control, a workflow and a key value. */
export const startControlScope = (kind: 'debounce' | 'throttle', workflowName: string, key: string): string =>
  `${kind}:${workflowName}:${key}`;
