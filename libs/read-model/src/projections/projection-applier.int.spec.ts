import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type RecordedEvent } from '@spark/event-store';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import { EventLog } from '../testing';
import { writeRunViews } from '../run-view';
import { CheckpointConflictError, ProjectionApplier } from './projection-applier';
import { projectEvent } from './project-event';
import { migrateReadModel, READ_MODEL_TABLES } from './read-model-schema';

interface GoldenFile {
  events: { revision: number; type: string; data: unknown }[];
}

// Runs against the real PostgreSQL of tools/stack, in a schema of its own.
describe('ProjectionApplier', () => {
  const url = pgUrlFromEnv();
  const pool = createPgPool(url, 'read-model-applier-int');
  const schemas: string[] = [];

  const freshSchema = async () => {
    const schema = `it_rm_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    schemas.push(schema);
    await migrateReadModel({ connection: url, schema });
    return new ProjectionApplier(pool, schema);
  };

  /** Every table's rows, in a stable order. */
  const snapshot = async (schema: string) => {
    const tables: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const { rows } = await pool.query(`SELECT * FROM ${schema}.${table} ORDER BY 1, 2, 3`);
      tables[table] = rows;
    }
    return tables;
  };

  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  const log = new EventLog()
    .workflow('orders', 1, 0)
    .workflow('orders', 2, 5)
    .retriedRun('r1', 'orders', 1, 10)
    .failedRun('r2', 'orders', 2, 20)
    .scheduleLifecycle('s1', 30);

  it('projects runs, attempts, the timeline and workflows, and moves the checkpoint', async () => {
    const applier = await freshSchema();
    const first = await applier.applyBatch(log.events.slice(0, 7), -1n);
    const second = await applier.applyBatch(log.events.slice(7), first.position);
    expect(second.position).toBe(BigInt(log.events.length));
    expect(second.runWorkflows.get('r2')).toEqual({ name: 'orders', version: 2 });
    expect(await applier.loadCheckpoint()).toBe(BigInt(log.events.length));

    const { rows: runs } = await pool.query(
      `SELECT id, status, output, error, failed_step, started_at, finished_at, last_revision
       FROM ${applier.schema}.runs ORDER BY id`,
    );
    expect(runs).toEqual([
      {
        id: 'r1',
        status: 'completed',
        output: { result: 42 },
        error: null,
        failed_step: null,
        started_at: new Date(log.at(12)),
        finished_at: new Date(log.at(117)),
        last_revision: '9',
      },
      {
        id: 'r2',
        status: 'failed',
        output: null,
        error: { code: 'HTTP_500', message: 'boom' },
        failed_step: 'a',
        started_at: new Date(log.at(22)),
        finished_at: new Date(log.at(24)),
        last_revision: '5',
      },
    ]);
    const { rows: attempts } = await pool.query(
      `SELECT run_id, task_id, attempt, status, scheduled_for FROM ${applier.schema}.step_attempts
       ORDER BY run_id, attempt`,
    );
    expect(attempts).toEqual([
      { run_id: 'r1', task_id: 'a', attempt: 1, status: 'failed', scheduled_for: null },
      { run_id: 'r1', task_id: 'a', attempt: 2, status: 'succeeded', scheduled_for: new Date(log.at(113)) },
      { run_id: 'r2', task_id: 'a', attempt: 1, status: 'failed', scheduled_for: null },
    ]);
    const { rows: workflows } = await pool.query(`SELECT * FROM ${applier.schema}.workflows`);
    expect(workflows).toEqual([
      expect.objectContaining({ name: 'orders', latest_version: 2, version_count: 2 }),
    ]);
  });

  it('tracks a schedule’s running runs by key: a key fired again while it runs counts once', async () => {
    const applier = await freshSchema();
    const fires = new EventLog()
      .scheduleCreated('s1', 'orders', 0)
      .scheduleFired('s1', 60_000, 60_001)
      .scheduleFired('s1', 60_000, 70_000, 'backfill')
      .scheduleFired('s1', 120_000, 120_001);
    const key = (nominalMs: number) => `s1:${fires.at(nominalMs)}`;
    const running = async () =>
      (
        await pool.query(
          `SELECT running_keys, running_count, fire_count FROM ${applier.schema}.schedules WHERE id = 's1'`,
        )
      ).rows[0];
    const { position } = await applier.applyBatch(fires.events, -1n);
    expect(await running()).toEqual({
      running_keys: [key(60_000), key(120_000)],
      running_count: 2,
      fire_count: 3,
    });

    const finishes = new EventLog(position)
      .scheduledRunFinished('s1', 60_000, 'completed', 130_000)
      .scheduledRunFinished('s1', 60_000, 'completed', 130_001);
    await applier.applyBatch(finishes.events, position);
    expect(await running()).toEqual({ running_keys: [key(120_000)], running_count: 1, fire_count: 3 });
  });

  /**
   * The recorded run streams of the domain's golden replay tests (maps, a saga, signals, retries,
   * a cancel), interleaved run by run as a busy log holds them, with made-up positions and times.
   */
  const goldenLog = (): RecordedEvent[] => {
    const dir = path.join(__dirname, '../../../workflow-domain/src/run/golden/streams');
    const streams = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as GoldenFile);
    const events: RecordedEvent[] = [];
    const longest = Math.max(...streams.map((stream) => stream.events.length));
    for (let index = 0; index < longest; index++)
      for (const stream of streams) {
        const event = stream.events[index];
        if (!event) continue;
        const runId = (stream.events[0]!.data as { runId: string }).runId;
        events.push({
          id: randomUUID(),
          type: event.type,
          data: event.data as RecordedEvent['data'],
          metadata: {},
          streamName: `run-${runId}`,
          revision: BigInt(event.revision),
          position: BigInt(events.length),
          recordedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, 0, events.length)),
        });
      }
    return events;
  };

  it('writes the rows that one statement per change writes, from one batch or in sevens (golden run streams)', async () => {
    const events = goldenLog();
    expect(events.length).toBeGreaterThan(90);
    // The reference: every change on its own, one statement each, in log order.
    const reference = await freshSchema();
    const client = await pool.connect();
    try {
      for (const event of events) {
        for (const change of projectEvent(event)) await reference.applyChange(client, change);
        // The run views one event at a time, too.
        await writeRunViews(client, reference.schema, [event]);
      }
    } finally {
      client.release();
    }
    const batched = await freshSchema();
    await batched.applyBatch(events, -1n);
    const inSevens = await freshSchema();
    let position = -1n;
    for (let index = 0; index < events.length; index += 7)
      position = (await inSevens.applyBatch(events.slice(index, index + 7), position)).position;

    const rows = async (schema: string) => {
      const { projection_checkpoints: _checkpoints, ...tables } = await snapshot(schema);
      return tables;
    };
    const expected = await rows(reference.schema);
    expect((expected.step_attempts as unknown[]).length).toBeGreaterThan(10);
    expect(await rows(batched.schema)).toEqual(expected);
    expect(await rows(inSevens.schema)).toEqual(expected);

    // Two appliers taking turns on one schema (leadership moving back and forth): each one's cached
    // run views go stale while the other writes, and must not be folded on.
    const shared = await freshSchema();
    const other = new ProjectionApplier(pool, shared.schema);
    position = -1n;
    for (let index = 0, turn = 0; index < events.length; index += 5, turn++)
      position = (
        await (turn % 2 === 0 ? shared : other).applyBatch(events.slice(index, index + 5), position)
      ).position;
    expect(await rows(shared.schema)).toEqual(expected);
  });

  it('applying the same events twice changes nothing: the checkpoint refuses the batch', async () => {
    const applier = await freshSchema();
    const { position } = await applier.applyBatch(log.events, -1n);
    const before = await snapshot(applier.schema);

    await expect(applier.applyBatch(log.events, -1n)).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(applier.applyBatch(log.events.slice(3), 2n)).rejects.toBeInstanceOf(CheckpointConflictError);
    expect(await snapshot(applier.schema)).toEqual(before);
    expect(await applier.loadCheckpoint()).toBe(position);
  });

  it('a batch of run events only (its compare-and-set in its last round trip) commits once when two appliers race', async () => {
    const runEvents = log.events.filter((event) => event.streamName.startsWith('run-'));
    const alone = await freshSchema();
    await alone.applyBatch(runEvents, -1n);
    const expected = await snapshot(alone.schema);

    const first = await freshSchema();
    const second = new ProjectionApplier(pool, first.schema);
    for (let round = 0; round < 5; round++) {
      await pool.query(`UPDATE ${first.schema}.projection_checkpoints SET position = -1`);
      for (const table of ['runs', 'step_attempts', 'run_views'])
        await pool.query(`DELETE FROM ${first.schema}.${table}`);
      const outcomes = await Promise.allSettled([
        first.applyBatch(runEvents, -1n),
        second.applyBatch(runEvents, -1n),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointConflictError);
      const rows = await snapshot(first.schema);
      expect({ ...rows, projection_checkpoints: undefined }).toEqual({
        ...expected,
        projection_checkpoints: undefined,
      });
    }
    // Applied again on its own, the batch is refused and changes nothing.
    const before = await snapshot(first.schema);
    await expect(first.applyBatch(runEvents, -1n)).rejects.toBeInstanceOf(CheckpointConflictError);
    expect(await snapshot(first.schema)).toEqual(before);
  });

  it('applying the same events twice changes nothing: each row ignores events it has seen', async () => {
    const applier = await freshSchema();
    await applier.applyBatch(log.events, -1n);
    const before = await snapshot(applier.schema);
    const client = await pool.connect();
    try {
      // Bypass the checkpoint: replay every change, then replay an early event after later ones.
      for (const event of [...log.events, log.events[3]!])
        for (const change of projectEvent(event)) await applier.applyChange(client, change);
    } finally {
      client.release();
    }
    expect(await snapshot(applier.schema)).toEqual(before);
  });

  it('rolls the whole batch back when a write fails', async () => {
    const applier = await freshSchema();
    await pool.query(
      `ALTER TABLE ${applier.schema}.step_attempts ADD CONSTRAINT no_failed CHECK (status <> 'failed')`,
    );
    await expect(applier.applyBatch(log.events, -1n)).rejects.toThrow(/no_failed/);
    expect(await applier.loadCheckpoint()).toBe(-1n);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${applier.schema}.runs`);
    expect(rows[0].n).toBe(0);
  });
});
