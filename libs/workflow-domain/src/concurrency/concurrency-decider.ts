import { type Decider } from '../shared';
import { type ConcurrencyCommand } from './commands';
import { decideConcurrency } from './decide';
import { type ConcurrencyEvent } from './events';
import { evolveConcurrency } from './evolve';
import { type ConcurrencyState, initialConcurrencyState } from './state';

export const concurrencyDecider: Decider<ConcurrencyState, ConcurrencyCommand, ConcurrencyEvent> = {
  decide: decideConcurrency,
  evolve: evolveConcurrency,
  initialState: initialConcurrencyState,
};

/** Stream names live in @spark/contracts; re-exported for the readers of this module. */
export { CONCURRENCY_STREAM_PREFIX, concurrencyStreamName } from '@spark/contracts';

/** A run-level concurrency scope: a workflow and a key value (its stream: `concurrencyStreamName`). */
export const runConcurrencyScope = (workflowName: string, key: string): string =>
  `run:${workflowName}:${key}`;
