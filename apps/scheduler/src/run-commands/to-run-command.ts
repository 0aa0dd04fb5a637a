import { type SparkCommand, type TaskFailed, type TaskResult, type TaskSucceeded } from '@spark/contracts';
import { type RunCommand } from '@spark/workflow-domain';

/**
 * Translates a command message or a task result into the run decider's command. StartRun is not
 * handled here: it needs the workflow definition from the catalog.
 */
export function toRunCommand(
  message: Exclude<SparkCommand, { type: 'StartRun' }> | TaskResult,
  now: string,
): RunCommand {
  const metadata = { now };
  if ('status' in message) {
    const task = { taskId: message.stepId, attempt: message.attempt };
    switch (message.status) {
      case 'started':
        return { type: 'RecordTaskStarted', data: { ...task, workerId: message.workerId }, metadata };
      case 'heartbeat':
        return { type: 'RecordHeartbeat', data: { ...task, details: message.progress }, metadata };
      case 'succeeded':
        return {
          type: 'RecordTaskSucceeded',
          data: { ...task, ...startOf(message), output: message.output ?? null },
          metadata,
        };
      case 'failed': {
        const { code, message: text, details, classification, retryAfterMs } = message.error;
        return {
          type: 'RecordTaskFailed',
          data: {
            ...task,
            ...startOf(message),
            error: { code, message: text, ...(details === undefined ? {} : { details }) },
            retryable: classification === 'retryable' || classification === 'timeout',
            ...(isRetryAfter(retryAfterMs) ? { retryAfterMs } : {}),
          },
          metadata,
        };
      }
      default: {
        const _exhaustive: never = message;
        return _exhaustive;
      }
    }
  }
  switch (message.type) {
    case 'CancelRun':
      return { type: 'CancelRun', data: { reason: message.reason ?? 'cancelled' }, metadata };
    case 'SignalRun':
      return {
        type: 'ReceiveSignal',
        data: {
          signalId: message.signalId,
          name: message.name,
          payload: message.payload,
          ...(message.reason ? { reason: message.reason } : {}),
        },
        metadata,
      };
    case 'RetryRun':
      return {
        type: 'RetryRunFromFailure',
        data: message.reason ? { reason: message.reason } : {},
        metadata,
      };
    case 'FireTimer':
      return { type: 'FireTimer', data: { timerId: message.timerId }, metadata };
    case 'ChildRunStarted':
      return {
        type: 'RecordTaskStarted',
        data: { taskId: message.stepId, attempt: message.attempt },
        metadata,
      };
    case 'ChildRunFinished':
      return {
        type: 'RecordChildRunFinished',
        data: {
          childRunId: message.childRunId,
          outcome: message.outcome,
          ...(message.output === undefined ? {} : { output: message.output }),
          ...(message.error ? { error: message.error } : {}),
        },
        metadata,
      };
    case 'ConcurrencySlot':
      return {
        type: 'RecordConcurrencySlot',
        data:
          message.outcome === 'granted'
            ? { runAttempt: message.runAttempt, outcome: 'granted' }
            : {
                runAttempt: message.runAttempt,
                outcome: 'queued',
                inUse: message.inUse,
                limit: message.limit,
                position: message.position,
              },
        metadata,
      };
    case 'StartControl':
      return {
        type: 'RecordStartControl',
        data:
          message.outcome === 'scheduled'
            ? { outcome: 'scheduled', startAt: message.startAt, reason: message.reason }
            : { outcome: 'superseded', by: message.by, reason: message.reason },
        metadata,
      };
    case 'StepSlot':
      return {
        type: 'RecordStepSlot',
        data:
          message.outcome === 'granted'
            ? { taskId: message.taskId, attempt: message.attempt, outcome: 'granted' }
            : {
                taskId: message.taskId,
                attempt: message.attempt,
                outcome: 'queued',
                inUse: message.inUse,
                limit: message.limit,
                position: message.position,
              },
        metadata,
      };
    case 'RateLimitToken':
      return {
        type: 'RecordRateLimitToken',
        data: {
          taskId: message.taskId,
          attempt: message.attempt,
          startAt: message.startAt,
          reason: message.reason,
        },
        metadata,
      };
    default: {
      const _exhaustive: never = message;
      return _exhaustive;
    }
  }
}

/** When and where an attempt that reports no `started` began (see TaskSucceeded). */
function startOf(result: TaskSucceeded | TaskFailed): { startedAt?: string; workerId?: string } {
  return {
    ...(typeof result.startedAt === 'string' && !Number.isNaN(Date.parse(result.startedAt))
      ? { startedAt: new Date(result.startedAt).toISOString() }
      : {}),
    ...(typeof result.workerId === 'string' ? { workerId: result.workerId } : {}),
  };
}

/** A hint from outside Spark (a worker of any language): only a finite, non-negative number counts. */
function isRetryAfter(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
