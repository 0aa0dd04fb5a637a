import { randomUUID } from 'node:crypto';
import { type SparkCommand, type TaskResult, Topics } from '@spark/contracts';
import { DeciderRepository, WorkflowCatalog } from '@spark/engine';
import { migrateEventStoreSchema, PostgresEventStore } from '@spark/event-store';
import { type IncomingMessage } from '@spark/messaging';
import { runDecider, type RunCommand, type RunEvent, type RunState } from '@spark/workflow-domain';
import { Client } from 'pg';
import pino from 'pino';
import { RunCommandProcessor } from './run-command-processor';

// Two scheduler instances over one real PostgreSQL event store, and a run whose partition moves from
// the first to the second and back mid-run, the way a Kafka rebalance moves it.
describe('RunCommandProcessor: hot run state follows partition assignment', () => {
  const url = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
  const schema = `int_rebalance_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  let store: PostgresEventStore;
  let offset = 0;

  beforeAll(async () => {
    await migrateEventStoreSchema({ connection: url, schema });
    store = new PostgresEventStore({ connectionString: url, schema });
    await new WorkflowCatalog(store).register(
      {
        name: 'chain',
        version: 1,
        steps: [
          { id: 'one', type: 'task', handler: 'noop' },
          { id: 'two', type: 'task', handler: 'noop', needs: ['one'] },
        ],
      },
      new Date().toISOString(),
      'test',
    );
  });
  afterAll(async () => {
    await store.close();
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  const instance = () =>
    new RunCommandProcessor(
      new DeciderRepository<RunState, RunCommand, RunEvent>(store, runDecider, (id) => `run-${id}`),
      new WorkflowCatalog(store),
      pino({ level: 'silent' }),
    );
  const message = (topic: string, value: SparkCommand | TaskResult): IncomingMessage => ({
    topic,
    partition: 3,
    offset: String(offset++),
    key: value.runId,
    value: Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp: String(Date.now()),
  });
  const deliver = (to: RunCommandProcessor, topic: string, value: SparkCommand | TaskResult) =>
    to.processBatch({ topic, partition: 3, messages: [message(topic, value)] });
  const succeeded = (runId: string, stepId: string): TaskResult => ({
    version: 1,
    idempotencyKey: `${runId}:${stepId}:1`,
    runId,
    stepId,
    attempt: 1,
    workerId: 'test',
    at: new Date().toISOString(),
    status: 'succeeded',
    output: { stepId },
  });
  const moved = (from: RunCommandProcessor, to: RunCommandProcessor) => {
    const partitions = [Topics.commands, Topics.taskResults].map((topic) => ({ topic, partition: 3 }));
    from.onAssignmentChange({ assigned: [], revoked: partitions });
    to.onAssignmentChange({ assigned: partitions, revoked: [] });
  };

  it('a partition that moves away and back is decided on its stream, not on the state cached before', async () => {
    const runId = randomUUID();
    const first = instance();
    const second = instance();

    await deliver(first, Topics.commands, {
      type: 'StartRun',
      commandId: randomUUID(),
      runId,
      issuedAt: new Date().toISOString(),
      workflow: { name: 'chain', version: 1 },
      input: {},
    });
    moved(first, second);
    await deliver(second, Topics.taskResults, succeeded(runId, 'one'));
    moved(second, first);
    // On the state cached before the move, `two` was never dispatched and this result would be ignored.
    await deliver(first, Topics.taskResults, succeeded(runId, 'two'));

    const events = (await store.readStream(`run-${runId}`)).map((event) => event.type);
    expect(events.filter((type) => type === 'TaskDispatched')).toHaveLength(2);
    expect(events.at(-1)).toBe('RunCompleted');
  });
});
