import {
  BUILT_IN_HANDLERS,
  externalWorkerName,
  HANDLER_NAME_PATTERN,
  QUEUE_NAME_PATTERN,
  taskQueueOf,
  taskTopicOf,
  workflowDefinitionSchema,
} from '..';

describe('handler registry', () => {
  it('is the handler pattern of the published JSON Schema', () => {
    const definitions = workflowDefinitionSchema.definitions as Record<string, { pattern?: string }>;
    expect(definitions.handler?.pattern).toBe(HANDLER_NAME_PATTERN);
    expect(definitions.queue?.pattern).toBe(`^${QUEUE_NAME_PATTERN}$`);
    const pattern = new RegExp(HANDLER_NAME_PATTERN);
    for (const handler of BUILT_IN_HANDLERS) expect(pattern.test(handler)).toBe(true);
    expect(pattern.test('external:billing.eu')).toBe(true);
    expect(pattern.test('external:')).toBe(false);
    expect(pattern.test('kafka')).toBe(false);
  });

  it('sends external:<name> to queue external.<name> and topic spark.tasks.external.<name>, whatever the queue', () => {
    expect(externalWorkerName('external:billing')).toBe('billing');
    expect(externalWorkerName('http')).toBeUndefined();
    expect(taskQueueOf('external:billing')).toBe('external.billing');
    expect(taskQueueOf('external:billing', 'priority')).toBe('external.billing');
    expect(taskTopicOf('external:billing', 'external.billing')).toBe('spark.tasks.external.billing');
    // A dispatch recorded before the queue said external.<name>: the handler decides.
    expect(taskTopicOf('external:billing', 'billing')).toBe('spark.tasks.external.billing');
  });

  it('sends built-in handlers to their step queue, or the default queue', () => {
    expect(taskQueueOf('http')).toBe('default');
    expect(taskQueueOf('http', 'priority')).toBe('priority');
    expect(taskTopicOf('http', 'priority')).toBe('spark.tasks.priority');
  });

  it('sends a built-in handler to the lane of its priority, an external one to its single topic', () => {
    expect(taskTopicOf('http', 'llm', 9)).toBe('spark.tasks-high.llm');
    expect(taskTopicOf('http', 'llm', 5)).toBe('spark.tasks.llm');
    expect(taskTopicOf('http', 'llm', 0)).toBe('spark.tasks-low.llm');
    expect(taskTopicOf('external:billing', 'external.billing', 9)).toBe('spark.tasks.external.billing');
  });
});
