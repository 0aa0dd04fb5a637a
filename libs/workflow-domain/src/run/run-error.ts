import { START_TO_CLOSE_TIMEOUT_CODE } from '@spark/contracts';
import { type TimeoutKind } from './events';

export interface RunError {
  code: string;
  message: string;
  details?: unknown;
}

/** Error codes the run decider itself produces (handlers bring their own). */
export const RUN_ERROR_CODES = {
  expression: 'EXPRESSION_ERROR',
  invalidItems: 'INVALID_MAP_ITEMS',
  scheduleToStart: 'TIMEOUT_SCHEDULE_TO_START',
  startToClose: START_TO_CLOSE_TIMEOUT_CODE,
  heartbeat: 'TIMEOUT_HEARTBEAT',
  signalTimeout: 'SIGNAL_TIMEOUT',
  childRunFailed: 'CHILD_RUN_FAILED',
  childRunCancelled: 'CHILD_RUN_CANCELLED',
  childRunTimedOut: 'CHILD_RUN_TIMED_OUT',
} as const;

const TIMEOUT_CODES: Record<TimeoutKind, string> = {
  scheduleToStart: RUN_ERROR_CODES.scheduleToStart,
  startToClose: RUN_ERROR_CODES.startToClose,
  heartbeat: RUN_ERROR_CODES.heartbeat,
  signal: RUN_ERROR_CODES.signalTimeout,
};

/**
 * The error of a task attempt that timed out (a StepTimedOut with a task): the one the decider
 * records and the one the read model and the gateway show for it.
 */
export const attemptTimeoutError = (timeout: TimeoutKind, taskId: string, attempt: number): RunError => ({
  code: TIMEOUT_CODES[timeout],
  message: `${timeout} timeout of attempt ${attempt} of ${taskId}`,
});
