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
  startToClose: 'TIMEOUT_START_TO_CLOSE',
  heartbeat: 'TIMEOUT_HEARTBEAT',
  signalTimeout: 'SIGNAL_TIMEOUT',
  childRunFailed: 'CHILD_RUN_FAILED',
  childRunCancelled: 'CHILD_RUN_CANCELLED',
  childRunTimedOut: 'CHILD_RUN_TIMED_OUT',
} as const;
