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

/** The event-store stream of one run-level concurrency scope: a workflow and a key value. */
export const CONCURRENCY_STREAM_PREFIX = 'concurrency-';
export const runConcurrencyScope = (workflowName: string, key: string): string =>
  `run:${workflowName}:${key}`;
export const concurrencyStreamName = (scope: string): string => `${CONCURRENCY_STREAM_PREFIX}${scope}`;
