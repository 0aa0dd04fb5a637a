import { idempotencyKeyOf, TASK_DISPATCH_VERSION, type TaskDispatch, taskIdParts } from '@spark/contracts';
import pino from 'pino';
import type { TaskContext } from '../handlers';

let sequence = 0;

/** A valid dispatch; override what the test is about. */
export function aDispatch(overrides: Partial<TaskDispatch> = {}): TaskDispatch {
  const runId = overrides.runId ?? `run-${++sequence}`;
  // A plain step's task id is its step id.
  const taskId = overrides.taskId ?? overrides.stepId ?? 'step-1';
  const attempt = overrides.attempt ?? 1;
  return {
    version: TASK_DISPATCH_VERSION,
    idempotencyKey: idempotencyKeyOf(runId, taskId, attempt),
    runId,
    taskId,
    ...taskIdParts(taskId),
    attempt,
    workflow: { name: 'test', version: 1 },
    handler: 'noop',
    config: {},
    input: null,
    timeouts: { startToCloseMs: 10_000 },
    priority: 5,
    dispatchedAt: new Date().toISOString(),
    ...overrides,
  };
}

export const silentLogger = pino({ level: 'silent' });

/** A context for calling a handler directly. */
export function aContext(
  dispatch: TaskDispatch,
  signal: AbortSignal = new AbortController().signal,
): TaskContext {
  return {
    signal,
    heartbeat: () => undefined,
    idempotencyKey: dispatch.idempotencyKey,
    logger: silentLogger,
  };
}
