import { DEFAULT_TASK_QUEUE, taskLaneOf, taskLaneTopic, taskTopic } from '../topics';

/**
 * The handler kinds a task step names, and the `external:` rule — the one place both are decided.
 * Adding a built-in handler is one line here plus its folder in apps/executor/src/handlers; the JSON
 * Schema's handler pattern, the validator's message and the executor's handler set are checked against
 * this list by unit tests.
 */
export const BUILT_IN_HANDLERS = ['http', 'langflow', 'agent', 'transform', 'sleep', 'noop'] as const;
export type BuiltInHandler = (typeof BUILT_IN_HANDLERS)[number];

/** A handler answered by another team's workers: `external:<name>`. */
export const EXTERNAL_HANDLER_PREFIX = 'external:';
/** The queue of `external:<name>` tasks is `external.<name>` (topic `spark.tasks.external.<name>`). */
export const EXTERNAL_QUEUE_PREFIX = 'external.';
/** What a queue name (and so an external worker's name) may be made of. */
export const QUEUE_NAME_PATTERN = '[A-Za-z0-9._-]{1,100}';

/** A built-in handler, or `external:<name>` for a team's own workers on `spark.tasks.external.<name>`. */
export type HandlerName = BuiltInHandler | `external:${string}`;

/** The JSON Schema pattern of a handler name (`definitions.handler.pattern` in the published schema). */
export const HANDLER_NAME_PATTERN = `^(${BUILT_IN_HANDLERS.join('|')}|${EXTERNAL_HANDLER_PREFIX}${QUEUE_NAME_PATTERN})$`;

/** The handler names as users read them in an error message. */
export const HANDLER_NAMES_DESCRIPTION = `${BUILT_IN_HANDLERS.join(', ')} or ${EXTERNAL_HANDLER_PREFIX}<name>`;

export const isBuiltInHandler = (handler: string): handler is BuiltInHandler =>
  (BUILT_IN_HANDLERS as readonly string[]).includes(handler);

/** `billing` for `external:billing`; undefined for a built-in handler. */
export const externalWorkerName = (handler: string): string | undefined =>
  handler.startsWith(EXTERNAL_HANDLER_PREFIX) ? handler.slice(EXTERNAL_HANDLER_PREFIX.length) : undefined;

/**
 * The queue a task goes to: `external.<name>` for `external:<name>` (the step's `queue` does not apply),
 * else the step's queue, else the default queue.
 */
export const taskQueueOf = (handler: string, queue?: string): string => {
  const worker = externalWorkerName(handler);
  return worker !== undefined ? `${EXTERNAL_QUEUE_PREFIX}${worker}` : (queue ?? DEFAULT_TASK_QUEUE);
};

/**
 * The topic of a task dispatch. Decided from the handler for external tasks, so dispatches recorded
 * before their queue said `external.<name>` (it said `<name>`) still reach the external workers.
 * Built-in handlers' tasks go to the lane of their priority (docs/adr/0121); external workers have
 * one topic each (validation refuses priorities for them).
 */
export const taskTopicOf = (handler: string, queue: string, priority = 5): string =>
  externalWorkerName(handler) !== undefined
    ? taskTopic(taskQueueOf(handler, queue))
    : taskLaneTopic(taskQueueOf(handler, queue), taskLaneOf(priority));
