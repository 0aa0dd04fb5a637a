import { START_TO_CLOSE_TIMEOUT_CODE, type TaskError, type TaskErrorClassification } from '@spark/contracts';

/** A failed attempt, with the stable code a step's retry policy matches against. */
export class TaskExecutionError extends Error {
  override readonly name = 'TaskExecutionError';

  constructor(
    readonly code: string,
    message: string,
    readonly classification: TaskErrorClassification,
    readonly details?: unknown,
    /** A retry sooner than this cannot help (the target said so): see TaskError.retryAfterMs. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  static retryable(code: string, message: string, details?: unknown, retryAfterMs?: number) {
    return new TaskExecutionError(code, message, 'retryable', details, retryAfterMs);
  }

  static nonRetryable(code: string, message: string, details?: unknown) {
    return new TaskExecutionError(code, message, 'non_retryable', details);
  }

  /**
   * A timeout, its code by what timed out: the attempt's start-to-close (TIMEOUT_START_TO_CLOSE, the code
   * the scheduler's timer gives it too: one outcome whoever notices) or one request of a handler (TIMEOUT).
   */
  static timeout(message: string, details: { scope: 'startToClose' | 'request'; timeoutMs?: number }) {
    const code = details.scope === 'startToClose' ? START_TO_CLOSE_TIMEOUT_CODE : 'TIMEOUT';
    return new TaskExecutionError(code, message, 'timeout', details);
  }

  static cancelled(message: string, details?: unknown) {
    return new TaskExecutionError('CANCELLED', message, 'cancelled', details);
  }

  toTaskError(): TaskError {
    return {
      code: this.code,
      message: this.message,
      classification: this.classification,
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}

export function isTaskExecutionError(error: unknown): error is TaskExecutionError {
  return error instanceof TaskExecutionError;
}

/** Anything a handler throws that is not a TaskExecutionError is a bug or an unexpected condition: retry it. */
export function toTaskError(error: unknown): TaskError {
  if (isTaskExecutionError(error)) return error.toTaskError();
  return {
    code: 'HANDLER_ERROR',
    message: error instanceof Error ? error.message : String(error),
    classification: 'retryable',
  };
}
