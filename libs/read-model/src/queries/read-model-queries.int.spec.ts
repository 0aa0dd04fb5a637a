import { randomUUID } from 'node:crypto';
import { scheduledRunId } from '@spark/contracts';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import { migrateReadModel, ProjectionApplier } from '../projections';
import { EventLog } from '../testing';
import { InvalidCursorError, InvalidFilterError, ReadModelQueries } from './read-model-queries';

// Runs against the real PostgreSQL of tools/stack, in a schema of its own.
describe('ReadModelQueries', () => {
  const url = pgUrlFromEnv();
  const pool = createPgPool(url, 'read-model-queries-int');
  const schema = `it_rq_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const queries = new ReadModelQueries(pool, schema);
  const log = new EventLog().workflow('orders', 1, 0).workflow('orders', 2, 5).workflow('billing', 1, 6);
  // 25 runs a second apart; every third fails; r00..r24.
  const runIds = Array.from({ length: 25 }, (_, i) => `r${String(i).padStart(2, '0')}`);
  runIds.forEach((id, i) => {
    if (i % 3 === 2) log.failedRun(id, i % 2 ? 'billing' : 'orders', 1, 1000 * (i + 1));
    else log.retriedRun(id, i % 2 ? 'billing' : 'orders', 1, 1000 * (i + 1));
  });
  log.runStarted('same-time-b', 'orders', 2, 30_000).runStarted('same-time-a', 'orders', 2, 30_000);
  log
    .scheduleLifecycle('s-life', 40_000)
    .scheduleCreated('s-billing', 'billing', 41_000)
    .scheduleCreated('s-gone', 'orders', 42_000)
    .scheduleCreated('s-done', 'orders', 43_000);
  log.add('schedule-s-billing', 'SchedulePaused', { pausedAt: log.at(44_000) }, 44_000);
  log.add('schedule-s-gone', 'ScheduleDeleted', { deletedAt: log.at(45_000) }, 45_000);
  log.add('schedule-s-done', 'ScheduleExhausted', { at: log.at(46_000) }, 46_000);

  beforeAll(async () => {
    await migrateReadModel({ connection: url, schema });
    await new ProjectionApplier(pool, schema).applyBatch(log.events, -1n);
    await pool.query(`UPDATE ${schema}.runs SET labels = '{"team":"blue"}' WHERE id IN ('r00', 'r03')`);
    await pool.query(`UPDATE ${schema}.runs SET labels = '{"team":"red"}' WHERE id = 'r06'`);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('gets a run with its step attempts', async () => {
    const run = await queries.getRun('r00');
    expect(run).toEqual(
      expect.objectContaining({
        id: 'r00',
        workflow: { name: 'orders', version: 1 },
        status: 'completed',
        input: { n: 1 },
        output: { result: 42 },
        error: null,
        labels: { team: 'blue' },
        parent: null,
        createdAt: log.at(1000),
        startedAt: log.at(1002),
        finishedAt: log.at(1107),
        lastRevision: 9,
      }),
    );
    expect(run!.stepAttempts.map((a) => [a.stepId, a.attempt, a.status])).toEqual([
      ['a', 1, 'failed'],
      ['a', 2, 'succeeded'],
    ]);
    expect(run!.stepAttempts[1]).toEqual(
      expect.objectContaining({ output: { ok: true }, handler: 'noop', queue: 'default', purpose: 'step' }),
    );
    expect(await queries.getRun('nope')).toBeUndefined();
  });

  it('lists runs newest first and pages through all of them with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queries.listRuns({ limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((run) => run.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(7);
    expect(seen).toEqual(['same-time-b', 'same-time-a', ...[...runIds].reverse()]);
  });

  it('filters by workflow, status, label, creation time and idempotency key', async () => {
    const ids = async (filter: Parameters<ReadModelQueries['listRuns']>[0]) =>
      (await queries.listRuns(filter)).items.map((run) => run.id);
    expect(await ids({ workflow: 'billing', status: 'failed' })).toEqual(['r23', 'r17', 'r11', 'r05']);
    expect(await ids({ status: ['running'] })).toEqual(['same-time-b', 'same-time-a']);
    expect(await ids({ label: 'team=blue' })).toEqual(['r03', 'r00']);
    expect(await ids({ label: 'team' })).toEqual(['r06', 'r03', 'r00']);
    expect(await ids({ createdFrom: log.at(3000), createdTo: log.at(5000) })).toEqual(['r03', 'r02']);
    expect(await ids({ workflow: 'nope' })).toEqual([]);
    expect(await ids({ idempotencyKey: 'key-r07' })).toEqual(['r07']);
    expect(await ids({ idempotencyKey: 'key-r07', workflow: 'orders' })).toEqual([]);
    expect(await ids({ idempotencyKey: 'key-nobody' })).toEqual([]);
  });

  it('refuses a foreign cursor and bad filters with the field named', async () => {
    await expect(queries.listRuns({ cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(queries.listRuns({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(queries.listRuns({ createdFrom: 'yesterday' })).rejects.toBeInstanceOf(InvalidFilterError);
  });

  it('gets a schedule with its last run, outcome and counts', async () => {
    const key = (nominalMs: number) => `s-life:${log.at(nominalMs)}`;
    expect(await queries.getSchedule('s-life')).toEqual({
      id: 's-life',
      workflow: { name: 'orders', version: null },
      status: 'active',
      definition: expect.objectContaining({ spec: { kind: 'interval', every: '1m' } }),
      nextNominalTime: log.at(700_000),
      nextFireAt: log.at(700_000),
      lastFiredAt: log.at(640_001),
      lastNominalTime: log.at(640_000),
      lastFiredTrigger: 'backfill',
      lastRunId: scheduledRunId(key(640_000)),
      lastFinishedRunId: scheduledRunId(key(160_000)),
      lastOutcome: null,
      lastFinishedAt: log.at(252_000),
      runningCount: 1,
      fireCount: 6,
      skippedCount: 1,
      bufferedCount: 1,
      missedReportCount: 1,
      lastMissed: { from: log.at(280_000), before: log.at(580_000) },
      backfillCount: 2,
      outcomeCounts: { completed: 1, failed: 1, cancelled: 0, timedOut: 0, refused: 1 },
      createdAt: log.at(40_000),
      updatedAt: log.at(640_001),
    });
    expect(await queries.getSchedule('s-done')).toEqual(
      expect.objectContaining({
        status: 'exhausted',
        lastRunId: null,
        lastOutcome: null,
        lastMissed: null,
        runningCount: 0,
        outcomeCounts: { completed: 0, failed: 0, cancelled: 0, timedOut: 0, refused: 0 },
      }),
    );
    expect(await queries.getSchedule('nope')).toBeUndefined();
  });

  it('lists schedules soonest fire first, by status and workflow, deleted ones only when asked', async () => {
    const ids = async (filter?: Parameters<ReadModelQueries['listSchedules']>[0]) =>
      (await queries.listSchedules(filter)).map((schedule) => schedule.id);
    expect(await ids()).toEqual(['s-life', 's-billing', 's-done']);
    expect(await ids({ status: 'paused' })).toEqual(['s-billing']);
    expect(await ids({ status: ['deleted', 'exhausted'] })).toEqual(['s-done', 's-gone']);
    expect(await ids({ workflow: 'orders' })).toEqual(['s-life', 's-done']);
    expect(await ids({ workflow: 'orders', status: 'deleted' })).toEqual(['s-gone']);
  });

  it('gets and lists workflows and their versions', async () => {
    expect(await queries.listWorkflows()).toEqual([
      expect.objectContaining({ name: 'billing', latestVersion: 1, versionCount: 1 }),
      expect.objectContaining({ name: 'orders', latestVersion: 2, versionCount: 2 }),
    ]);
    expect(await queries.getWorkflow('orders')).toEqual(
      expect.objectContaining({
        latestVersion: 2,
        contentHash: 'hash-orders-2',
        definition: expect.objectContaining({ version: 2 }),
        createdAt: log.at(0),
        updatedAt: log.at(5),
      }),
    );
    expect((await queries.listWorkflowVersions('orders')).map((v) => v.version)).toEqual([1, 2]);
    expect(await queries.getWorkflow('nope')).toBeUndefined();
    expect(await queries.listWorkflowVersions('nope')).toEqual([]);
    expect(await queries.checkpoint()).toBe(BigInt(log.events.length));
  });
});
