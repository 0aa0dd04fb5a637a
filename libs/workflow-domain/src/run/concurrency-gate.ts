import { type WorkflowDefinition } from '@spark/contracts';

import { runConcurrencyScope } from '../concurrency/concurrency-decider';
import { waitingReason } from '../concurrency/decide';
import { type Instant } from '../time';
import { type RecordConcurrencySlot } from './commands';
import {
  type ConcurrencySlotAcquired,
  type RunConcurrency,
  type RunEvent,
  type RunWaitingForConcurrency,
} from './events';
import { type Run } from './state';

/**
 * The run side of a run-level concurrency limit (docs/adr/0120). A run whose definition has
 * `concurrency` starts (RunStarted) but starts no step until its scope grants its attempt a slot; the
 * scope's decisions arrive as RecordConcurrencySlot commands. Its slot is released by the relay when
 * the run reaches a final state, so nothing here has to remember to give it back.
 */
export const runConcurrencyOf = (definition: WorkflowDefinition, key: string): RunConcurrency | undefined =>
  definition.concurrency && {
    scope: runConcurrencyScope(definition.name, key),
    key,
    limit: definition.concurrency.limit,
    strategy: definition.concurrency.strategy ?? 'queue',
  };

/** True while the run's current attempt may not start steps. */
export const awaitsConcurrencySlot = (run: Run): boolean =>
  run.concurrency !== undefined &&
  !(run.concurrencySlot?.status === 'held' && run.concurrencySlot.runAttempt === run.runAttempt);

/** The events of a scope's word on the run; empty when it concerns another attempt or changes nothing. */
export const concurrencySlotEvents = (run: Run, command: RecordConcurrencySlot, now: Instant): RunEvent[] => {
  const { data } = command;
  if (!run.concurrency || data.runAttempt !== run.runAttempt || !awaitsConcurrencySlot(run)) return [];
  const { key } = run.concurrency;
  if (data.outcome === 'granted')
    return [{ type: 'ConcurrencySlotAcquired', data: { key, runAttempt: data.runAttempt, at: now } }];
  if (run.concurrencySlot?.status === 'waiting' && run.concurrencySlot.runAttempt === data.runAttempt)
    return [];
  return [
    {
      type: 'RunWaitingForConcurrency',
      data: {
        key,
        runAttempt: data.runAttempt,
        inUse: data.inUse,
        limit: data.limit,
        position: data.position,
        reason: waitingReason(key, data.inUse, data.limit),
        at: now,
      },
    },
  ];
};

export const evolveConcurrencySlot = (
  run: Run,
  event: RunWaitingForConcurrency | ConcurrencySlotAcquired,
): Run => {
  if (event.type === 'ConcurrencySlotAcquired')
    return { ...run, concurrencySlot: { runAttempt: event.data.runAttempt, status: 'held' } };
  const { runAttempt, inUse, limit, position, reason, at } = event.data;
  return {
    ...run,
    concurrencySlot: {
      runAttempt,
      status: 'waiting',
      waiting: { inUse, limit, position, reason, since: at },
    },
  };
};
