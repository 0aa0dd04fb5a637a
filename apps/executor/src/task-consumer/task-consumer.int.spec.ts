import { randomUUID } from 'node:crypto';
import {
  downcastTaskDispatch,
  TASK_LANES,
  taskLaneTopic,
  taskTopic,
  Topics,
  type TaskResult,
} from '@spark/contracts';
import { type IncomingMessage, KafkaMessaging, kafkaSettingsFromEnv } from '@spark/messaging';
import { createExecutor } from '../executor-components';
import { loadExecutorSettings } from '../settings';
import { aDispatch, json, RecordingHttpServer, silentLogger } from '../test-support';

// The task consumer on the real broker of tools/stack (SPARK_KAFKA_BROKERS): dispatch in, results out.
describe('task consumer against the real Kafka', () => {
  const messaging = new KafkaMessaging(kafkaSettingsFromEnv(`executor-int-${process.pid}`));
  const queue = `test-${randomUUID()}`;
  const target = new RecordingHttpServer((_request, response) => json(response, 200, { charged: true }));
  const executor = createExecutor({
    messaging,
    // A start report delay far longer than the quick step takes even on a loaded machine (the default
    // 100 ms is not, and a late step would rightly send `started` first).
    settings: {
      ...loadExecutorSettings({ SPARK_EXECUTOR_STARTED_REPORT_DELAY_MS: '5000' }),
      queues: [queue],
      groupId: `executor-int-${randomUUID()}`,
    },
    logger: silentLogger,
    workerId: 'executor-int',
    shutdownGraceMs: 1000,
  });
  const results: TaskResult[] = [];
  const deadLetters: IncomingMessage[] = [];

  beforeAll(async () => {
    await target.start();
    await messaging.ensureTopics([
      { name: taskTopic(queue), partitions: 3 },
      { name: Topics.taskResults, partitions: 6 },
      { name: Topics.deadLetters, partitions: 1 },
    ]);
    const listeners = await Promise.all([
      messaging.consume({
        groupId: `results-${randomUUID()}`,
        topics: [Topics.taskResults],
        fromBeginning: true,
        handle: async (message) => void results.push(JSON.parse(message.value!.toString()) as TaskResult),
      }),
      messaging.consume({
        groupId: `dlq-${randomUUID()}`,
        topics: [Topics.deadLetters],
        fromBeginning: true,
        handle: async (message) => void deadLetters.push(message),
      }),
    ]);
    await executor.consumer.start();
    await Promise.all([executor.consumer.ready, ...listeners.map((listener) => listener.ready)]);
  });
  afterAll(async () => {
    await executor.consumer.stop(1000);
    executor.circuits.shutdown();
    await messaging.deleteTopics(TASK_LANES.map((lane) => taskLaneTopic(queue, lane))).catch(() => undefined);
    await messaging.close();
    await target.stop();
  });

  it('runs a quick http step and publishes only succeeded (with startedAt), keyed by run id; a malformed dispatch goes to the DLQ', async () => {
    const dispatch = aDispatch({
      runId: `run-${randomUUID()}`,
      stepId: 'charge',
      handler: 'http',
      config: { method: 'POST', url: `${target.url}/charges`, body: { amount: 42 } },
    });
    await messaging.publish(taskTopic(queue), [
      { key: 'garbage', value: '{"not":"a dispatch"}' },
      {
        key: dispatch.runId,
        value: JSON.stringify(dispatch),
        headers: { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` },
      },
    ]);

    const ofRun = () => results.filter((result) => result.runId === dispatch.runId);
    await waitFor(() => ofRun().some((result) => result.status === 'succeeded'));
    // It took less than SPARK_EXECUTOR_STARTED_REPORT_DELAY_MS: no separate `started`.
    expect(ofRun().map((result) => result.status)).toEqual(['succeeded']);
    expect(ofRun()[0]).toMatchObject({
      startedAt: expect.any(String),
      idempotencyKey: dispatch.idempotencyKey,
      workerId: 'executor-int',
      output: { status: 200, body: { charged: true } },
    });
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.headers['idempotency-key']).toBe(dispatch.idempotencyKey);

    await waitFor(() =>
      deadLetters.some((message) => message.headers['spark-dlq-origin-topic'] === taskTopic(queue)),
    );
    expect(results.some((result) => result.runId === undefined)).toBe(false);
  });

  it('runs a version 1 dispatch (written before the upgrade) and answers its task id, both versions side by side', async () => {
    const v2 = aDispatch({ runId: `run-${randomUUID()}`, taskId: 'lines[1]', handler: 'noop', input: 2 });
    const v1 = downcastTaskDispatch(
      aDispatch({ runId: `run-${randomUUID()}`, taskId: 'lines[0]', handler: 'noop', input: 1 }),
    );
    expect(v1).toMatchObject({ version: 1, stepId: 'lines[0]' });
    await messaging.publish(taskTopic(queue), [
      { key: v1.runId, value: JSON.stringify(v1) },
      { key: v2.runId, value: JSON.stringify(v2) },
    ]);
    const succeeded = (runId: string) =>
      results.find((result) => result.runId === runId && result.status === 'succeeded');
    await waitFor(() => succeeded(v1.runId) !== undefined && succeeded(v2.runId) !== undefined);
    for (const [dispatch, taskId, output] of [
      [v1, 'lines[0]', 1],
      [v2, 'lines[1]', 2],
    ] as const)
      expect(succeeded(dispatch.runId)).toMatchObject({
        version: 1,
        stepId: taskId,
        idempotencyKey: dispatch.idempotencyKey,
        output,
      });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
