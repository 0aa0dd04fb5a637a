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

/**
 * A step-level concurrency scope (docs/adr/0124): the key value alone, shared across workflows. Its
 * holders are task attempts, named `stepSlotHolder(runId, taskId)` where the run-level scopes name runs.
 */
export const stepSlotScope = (key: string): string => `step:${key}`;
export const STEP_SLOT_SCOPE_PREFIX = 'step:';
export const stepSlotHolder = (runId: string, taskId: string): string => `${runId}/${taskId}`;
/** The run and task of a step slot holder. */
export const parseStepSlotHolder = (holder: string): { runId: string; taskId: string } => {
  const at = holder.indexOf('/');
  return { runId: holder.slice(0, at), taskId: holder.slice(at + 1) };
};

/** A run-level concurrency scope: a workflow and a key value (its stream: `concurrencyStreamName`). */
export const runConcurrencyScope = (workflowName: string, key: string): string =>
  `run:${workflowName}:${key}`;
