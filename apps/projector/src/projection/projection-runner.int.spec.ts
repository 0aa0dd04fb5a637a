import { randomUUID } from 'node:crypto';
import { fromCloudEventMessage, type PublicEvent } from '@spark/contracts';
import { ANY, migrateEventStoreSchema, PostgresEventStore } from '@spark/event-store';
import {
  type IncomingMessage,
  KafkaMessaging,
  kafkaSettingsFromEnv,
  type OutgoingMessage,
} from '@spark/messaging';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import { migrateReadModel, READ_MODEL_TABLES, ReadModelQueries } from '@spark/read-model';
import { EventLog } from '@spark/read-model/testing';
import pino from 'pino';
import { lagExposition, measureLag } from './projection-lag';
import { ProjectionRunner, type PublicEventSink } from './projection-runner';
import { rebuildReadModel } from './rebuild';

// Real PostgreSQL (an event store and a read model in schemas of their own) and the real Kafka broker.
describe('ProjectionRunner against the real event store, PostgreSQL and Kafka', () => {
  const url = pgUrlFromEnv();
  const id = randomUUID().replace(/-/g, '').slice(0, 16);
  const esSchema = `it_es_${id}`;
  const rmSchema = `it_rm_${id}`;
  const topic = `spark.test.events.${id}`;
  const pool = createPgPool(url, 'projector-int');
  const store = new PostgresEventStore({ connectionString: url, schema: esSchema, pollIntervalMs: 50 });
  const messaging = new KafkaMessaging(kafkaSettingsFromEnv(`projector-int-${process.pid}`));
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const runners: ProjectionRunner[] = [];
  const received: IncomingMessage[] = [];
  let consumer: { stop(): Promise<void> } | undefined;

  const newRunner = (publish = true) => {
    const runner = new ProjectionRunner(
      store,
      pool,
      rmSchema,
      { batchSize: 7, batchWindowMs: 5, ...(publish ? { sink: messaging, topic } : {}) },
      logger,
    );
    runners.push(runner);
    return runner;
  };

  /** Appends fixture events, stream by stream in their order, and returns them as recorded. */
  const append = async (log: EventLog, to: PostgresEventStore = store): Promise<bigint> => {
    let last = 0n;
    for (const event of log.events) {
      const result = await to.appendToStream(
        event.streamName,
        [
          {
            id: randomUUID(),
            type: event.type,
            data: event.data,
            metadata: {
              correlationId: event.streamName,
              traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
            },
          },
        ],
        { expectedRevision: ANY },
      );
      last = result.position;
    }
    return last;
  };

  const snapshot = async (schema: string) => {
    const tables: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const { rows } = await pool.query(`SELECT * FROM ${schema}.${table} ORDER BY 1, 2, 3`);
      tables[table] = rows;
    }
    return tables;
  };

  beforeAll(async () => {
    await migrateEventStoreSchema({ connection: url, schema: esSchema });
    await migrateReadModel({ connection: url, schema: rmSchema });
    await messaging.ensureTopics([{ name: topic, partitions: 3 }]);
    consumer = await messaging.consume({
      groupId: `projector-int-${id}`,
      topics: [topic],
      fromBeginning: true,
      handle: async (message) => void received.push(message),
    });
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await consumer?.stop();
    await messaging.close();
    const admin = new KafkaMessaging(kafkaSettingsFromEnv(`projector-int-cleanup-${process.pid}`));
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.close();
    await store.close();
    for (const schema of [esSchema, rmSchema]) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  const log = new EventLog()
    .workflow('orders', 1, 0)
    .retriedRun('r1', 'orders', 1, 10)
    .failedRun('r2', 'orders', 1, 20)
    .retriedRun('r3', 'orders', 1, 30)
    .scheduleLifecycle('s1', 40);
  let head = 0n;

  it('projects the live log and publishes each run’s CloudEvents in order, keyed by run', async () => {
    head = await append(log);
    const runner = newRunner();
    runner.start();
    await runner.waitFor(head);

    const queries = new ReadModelQueries(pool, rmSchema);
    expect((await queries.getRun('r1'))!.status).toBe('completed');
    expect((await queries.getRun('r2'))!.status).toBe('failed');
    expect((await queries.listRuns()).items).toHaveLength(3);

    // Runs hash to different partitions, consumed in turn: wait for every run's events, not just one's.
    const count = (runId: string) => received.filter((m) => m.key === runId).length;
    await waitUntil(() => count('r1') >= 5 && count('r2') >= 4 && count('r3') >= 5);
    const ofRun = (runId: string) =>
      received.filter((m) => m.key === runId).map((m) => fromCloudEventMessage(m) as PublicEvent);
    expect(ofRun('r1').map((e) => e.type)).toEqual([
      'spark.run.started.v1',
      'spark.step.attempt_failed.v1',
      'spark.step.retry_scheduled.v1',
      'spark.step.succeeded.v1',
      'spark.run.completed.v1',
    ]);
    expect(ofRun('r2').map((e) => e.type)).toEqual([
      'spark.run.started.v1',
      'spark.step.attempt_failed.v1',
      'spark.step.failed.v1',
      'spark.run.failed.v1',
    ]);
    const completed = received.find((m) => m.key === 'r1' && m.headers.ce_type === 'spark.run.completed.v1')!;
    expect(completed.headers).toEqual(
      expect.objectContaining({
        ce_specversion: '1.0',
        ce_source: '/spark/runs',
        ce_subject: 'r1',
        ce_time: log.at(117),
        'content-type': 'application/json',
        traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      }),
    );
    expect(JSON.parse(completed.value!.toString())).toEqual({
      runId: 'r1',
      workflow: { name: 'orders', version: 1 },
      output: { result: 42 },
      completedAt: log.at(117),
    });

    // A schedule's events are keyed by the schedule, in order, and its stats are in the read model.
    await waitUntil(() => count('s1') >= 18);
    const ofSchedule = received.filter((m) => m.key === 's1').map((m) => fromCloudEventMessage(m)!);
    expect(ofSchedule.map((e) => e.type).slice(0, 5)).toEqual([
      'spark.schedule.created.v1',
      'spark.schedule.fired.v1',
      'spark.schedule.buffered.v1',
      'spark.schedule.skipped.v1',
      'spark.schedule.run_finished.v1',
    ]);
    expect(ofSchedule).toHaveLength(18);
    expect(new Set(ofSchedule.map((e) => e.subject))).toEqual(new Set(['s1']));
    expect(await queries.getSchedule('s1')).toEqual(
      expect.objectContaining({
        runningCount: 1,
        fireCount: 6,
        outcomeCounts: { completed: 1, failed: 1, cancelled: 0, timedOut: 0, refused: 1 },
      }),
    );
    // Every ce_id is a distinct event-store event id.
    expect(new Set(received.map((m) => m.headers.ce_id)).size).toBe(received.length);

    const lag = await measureLag(store, pool, rmSchema, 'read-model');
    expect(lag).toEqual({ eventsBehind: 0, secondsBehind: 0, checkpoint: head });
    await runner.stop();
  });

  it('replaying the log twice leaves the same rows', async () => {
    const before = await snapshot(rmSchema);
    // Forget the read-model checkpoint: a runner replays every event over the rows it already wrote.
    await pool.query(`UPDATE ${rmSchema}.projection_checkpoints SET position = -1 WHERE name = 'read-model'`);
    const runner = newRunner(false);
    runner.start();
    await runner.waitFor(head);
    await runner.stop();
    expect(runner.eventsApplied).toBe(log.events.length);
    expect(await snapshot(rmSchema)).toEqual(before);
  });

  it('reports lag while behind', async () => {
    const more = new EventLog(0n, Date.now() - 5000).retriedRun('r4', 'orders', 1, 0);
    head = await append(more);
    // Lag counts the events a reader can see: below the oldest transaction still running anywhere in the
    // cluster (ADR 0021). Another session's open transaction can hide the newest ones for a moment.
    let lag = await measureLag(store, pool, rmSchema, 'read-model');
    for (let tries = 0; lag.eventsBehind < more.events.length && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      lag = await measureLag(store, pool, rmSchema, 'read-model');
    }
    expect(lag.eventsBehind).toBe(more.events.length);
    expect(lag.secondsBehind).toBeGreaterThan(0);
    const text = await lagExposition([{ name: 'read-model', lag }], { leader: true, eventsApplied: 3 });
    expect(text).toContain(`spark_projection_lag_events{checkpoint="read-model"} ${more.events.length}`);
    expect(text).toMatch(/^# TYPE spark_projection_lag_seconds gauge$/m);
  });

  it('a rebuild from position 0, swapped in under a running projector, equals the live tables', async () => {
    const runner = newRunner();
    runner.start();
    await runner.waitFor(head);
    await waitUntil(() =>
      received.some((m) => m.key === 'r4' && m.headers.ce_type === 'spark.run.completed.v1'),
    );
    const live = await snapshot(rmSchema);
    const publishedBefore = received.length;

    const result = await rebuildReadModel({ store, pool, pgUrl: url, schema: rmSchema, logger, stamp: id });
    expect(result.position).toBe(head);
    expect(await snapshot(rmSchema)).toEqual(live);
    const { rows } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [
      `${rmSchema}%`,
    ]);
    expect(rows).toEqual([{ nspname: rmSchema }]);

    // The projector keeps going on the swapped-in tables, without re-publishing what it had published.
    const later = new EventLog(0n, Date.now()).failedRun('r5', 'orders', 1, 0);
    head = await append(later);
    await runner.waitFor(head);
    expect((await new ReadModelQueries(pool, rmSchema).getRun('r5'))!.status).toBe('failed');
    await waitUntil(() =>
      received.some((m) => m.key === 'r5' && m.headers.ce_type === 'spark.run.failed.v1'),
    );
    const republished = received.slice(publishedBefore).filter((m) => m.key !== 'r5');
    expect(republished).toEqual([]);
  });

  it('applies the next batch while a batch is still being published, and publishes in log order', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const published: OutgoingMessage[][] = [];
    const sink: PublicEventSink = {
      publish: async (_topic, messages) => {
        published.push(messages);
        if (published.length === 1) await gate;
      },
    };
    // A log and a read model of their own, so the batches are exactly this test's events.
    const own = `${id}_pipe`;
    const ownStore = new PostgresEventStore({
      connectionString: url,
      schema: `it_es_${own}`,
      pollIntervalMs: 50,
    });
    await migrateEventStoreSchema({ connection: url, schema: `it_es_${own}` });
    await migrateReadModel({ connection: url, schema: `it_rm_${own}` });
    const runner = new ProjectionRunner(
      ownStore,
      pool,
      `it_rm_${own}`,
      { batchSize: 7, batchWindowMs: 5, sink, topic },
      logger,
    );
    runners.push(runner);
    const more = new EventLog(0n, Date.now())
      .retriedRun('r5', 'orders', 1, 0)
      .retriedRun('r6', 'orders', 1, 20);
    expect(more.events.length).toBeGreaterThan(14);
    const last = await append(more, ownStore);
    runner.start();
    const caughtUp = runner.waitFor(last);
    let done = false;
    void caughtUp.then(() => (done = true));

    // The first batch's publish is held: the next batch is applied meanwhile, but not published before it.
    // Two batches of 7 applied (the second while the first is published), then no more: one ahead at most.
    await waitUntil(() => runner.eventsApplied === 14);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runner.eventsApplied).toBe(14);
    expect(published).toHaveLength(1);
    expect(done).toBe(false);

    release();
    await caughtUp;
    const types = (runId: string) =>
      published
        .flat()
        .filter((message) => message.key === runId)
        .map((message) => message.headers?.ce_type);
    expect(types('r5')).toEqual([
      'spark.run.started.v1',
      'spark.step.attempt_failed.v1',
      'spark.step.retry_scheduled.v1',
      'spark.step.succeeded.v1',
      'spark.run.completed.v1',
    ]);
    expect(types('r6')).toEqual(types('r5'));
    await runner.stop();
    await ownStore.close();
    for (const schema of [`it_es_${own}`, `it_rm_${own}`])
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
