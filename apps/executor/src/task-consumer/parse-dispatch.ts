import {
  idempotencyKeyOf,
  TASK_DISPATCH_V1,
  TASK_DISPATCH_VERSION,
  type TaskDispatch,
  type TaskDispatchV1,
  upcastTaskDispatch,
} from '@spark/contracts';

/** A message on a task topic that is not a TaskDispatch: no result can be published for it. */
export class MalformedDispatchError extends Error {
  override readonly name = 'MalformedDispatchError';
}

/**
 * Checks the fields the executor relies on; anything else in the message is carried along untouched.
 * Reads version 2 and version 1 (a dispatch written before the upgrade, or to an external queue),
 * which it upcasts: the executor works on version 2 only.
 */
export function parseDispatch(value: Buffer | null): TaskDispatch {
  if (!value || value.length === 0) throw new MalformedDispatchError('empty message');
  let message: unknown;
  try {
    message = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new MalformedDispatchError(`not JSON: ${(error as Error).message}`);
  }
  if (!isObject(message)) throw new MalformedDispatchError('not a JSON object');
  const problems: string[] = [];
  const v1 = message.version === TASK_DISPATCH_V1;
  if (!v1 && message.version !== TASK_DISPATCH_VERSION)
    problems.push(`version must be ${TASK_DISPATCH_VERSION} or ${TASK_DISPATCH_V1}`);
  // A version 1 dispatch names its task `stepId`.
  const taskField = v1 ? 'stepId' : 'taskId';
  const fields = ['idempotencyKey', 'runId', taskField, 'handler', 'dispatchedAt'];
  if (!v1) fields.push('stepId');
  for (const field of fields) {
    if (typeof message[field] !== 'string' || message[field] === '')
      problems.push(`${field} must be a non-empty string`);
  }
  if (!Number.isInteger(message.attempt) || (message.attempt as number) < 1) {
    problems.push('attempt must be an integer ≥ 1');
  }
  if (
    message.notBefore !== undefined &&
    (typeof message.notBefore !== 'string' || Number.isNaN(Date.parse(message.notBefore)))
  )
    problems.push('notBefore must be an ISO 8601 time');
  const rateLimit = message.rateLimit;
  if (
    rateLimit !== undefined &&
    (!isObject(rateLimit) ||
      typeof rateLimit.key !== 'string' ||
      !Number.isInteger(rateLimit.limit) ||
      (rateLimit.limit as number) < 1 ||
      !isPositive(rateLimit.perMs))
  )
    problems.push('rateLimit must be {key: string, limit: integer ≥ 1, perMs: positive number}');
  if (!isObject(message.config)) problems.push('config must be an object');
  if (!isObject(message.workflow)) problems.push('workflow must be an object');
  const timeouts = message.timeouts;
  if (!isObject(timeouts) || !isPositive(timeouts.startToCloseMs)) {
    problems.push('timeouts.startToCloseMs must be a positive number');
  } else if (timeouts.heartbeatMs !== undefined && !isPositive(timeouts.heartbeatMs)) {
    problems.push('timeouts.heartbeatMs must be a positive number');
  } else if (timeouts.scheduleToStartMs !== undefined && !isPositive(timeouts.scheduleToStartMs)) {
    problems.push('timeouts.scheduleToStartMs must be a positive number');
  }
  if (
    problems.length === 0 &&
    message.idempotencyKey !==
      idempotencyKeyOf(message.runId as string, message[taskField] as string, message.attempt as number)
  ) {
    problems.push(`idempotencyKey must be runId:${taskField}:attempt`);
  }
  if (problems.length > 0) throw new MalformedDispatchError(problems.join('; '));
  return v1 ? upcastTaskDispatch(message as unknown as TaskDispatchV1) : (message as unknown as TaskDispatch);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
