import { type AttemptStatusName, type RunStatusName, type StepStatusName } from '@spark/contracts';
import { type RunCancelled, type RunEvent } from '../events';
import { type RunError } from '../run-error';
import { type RunStatus, type StepStatus } from '../state';

/*
 * One vocabulary for what a run, a step and an attempt are, and the error a run that did not complete
 * carries: the domain's names (the decider's state, the read model's rows), the API's names (REST, gRPC,
 * CLI, console) and the error codes. The gateway's view of a run and the read-model projection both
 * speak it, so the two cannot drift apart.
 */

/** Domain → API run status. PENDING (a start accepted, not yet applied) exists only in the API. */
export const RUN_STATUS_NAMES: Readonly<Record<RunStatus, RunStatusName>> = {
  running: 'RUNNING',
  compensating: 'COMPENSATING',
  completed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  timedOut: 'TIMED_OUT',
};

/** Every status a started run can have. */
export const RUN_STATUS_VALUES: readonly RunStatus[] = Object.keys(RUN_STATUS_NAMES) as RunStatus[];

const RUN_STATUS_OF_NAME = Object.fromEntries(
  Object.entries(RUN_STATUS_NAMES).map(([status, name]) => [name, status]),
) as Partial<Record<RunStatusName, RunStatus>>;

export const runStatusName = (status: RunStatus): RunStatusName => RUN_STATUS_NAMES[status];

/** API → domain run status; undefined for PENDING, which no stored run has. */
export const runStatusOfName = (name: RunStatusName): RunStatus | undefined => RUN_STATUS_OF_NAME[name];

export const STEP_STATUS_NAMES: Readonly<Record<StepStatus, StepStatusName>> = {
  pending: 'PENDING',
  active: 'ACTIVE',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  cancelled: 'CANCELLED',
};

/**
 * One try of one task, as the read model keeps it. `scheduled`: the attempt waits for its retry timer
 * and has not been dispatched, so the API does not list it yet (it has no API name).
 */
export type AttemptStatus =
  'scheduled' | 'dispatched' | 'started' | 'succeeded' | 'failed' | 'timedOut' | 'cancelled';

export type DispatchedAttemptStatus = Exclude<AttemptStatus, 'scheduled'>;

export const ATTEMPT_STATUS_NAMES: Readonly<Record<DispatchedAttemptStatus, AttemptStatusName>> = {
  dispatched: 'DISPATCHED',
  started: 'STARTED',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  timedOut: 'TIMED_OUT',
  cancelled: 'CANCELLED',
};

/** An attempt no later event changes (a result that arrives after it is stale). */
export const isClosedAttempt = (status: AttemptStatus): boolean =>
  status !== 'scheduled' && status !== 'dispatched' && status !== 'started';

/** The error codes of a run that ended without completing and without a step's error of its own. */
export const RUN_OUTCOME_ERROR_CODES = {
  cancelled: 'RUN_CANCELLED',
  timedOut: 'RUN_TIMED_OUT',
} as const;

/**
 * The run's error that a RunCancelled or RunTimedOut gives it (a failed run's error is its RunFailed's);
 * undefined for every other event.
 */
export function runOutcomeError(event: RunEvent): RunError | undefined {
  switch (event.type) {
    case 'RunCancelled':
      return cancelledRunError(event.data.reason);
    case 'RunTimedOut':
      return timedOutRunError();
    default:
      return undefined;
  }
}

export const cancelledRunError = (reason: RunCancelled['data']['reason']): RunError => ({
  code: RUN_OUTCOME_ERROR_CODES.cancelled,
  message: reason,
});

export const timedOutRunError = (): RunError => ({
  code: RUN_OUTCOME_ERROR_CODES.timedOut,
  message: 'the run exceeded its timeout',
});

/** The handler an attempt of a subworkflow step shows: the child run's workflow. */
export const childRunHandler = (workflowName: string): string => `subworkflow:${workflowName}`;
