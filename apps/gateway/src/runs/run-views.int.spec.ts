import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type StepAttemptResource, type WorkflowDefinition } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import {
  currentRunView,
  migrateReadModel,
  ProjectionApplier,
  ReadModelQueries,
  runResourceOf,
  type StepAttemptView,
  toRunResource,
} from '@spark/read-model';
import {
  ATTEMPT_STATUS_NAMES,
  type DispatchedAttemptStatus,
  RUN_STATUS_NAMES,
  type RunEvent,
} from '@spark/workflow-domain';
import { type GoldenStream, RunHarness } from '@spark/workflow-domain/testing';

interface Stream {
  name: string;
  runId: string;
  events: { revision: number; type: string; data: unknown }[];
}

const goldenStreams = (): Stream[] => {
  const dir = path.join(__dirname, '../../../../libs/workflow-domain/src/run/golden/streams');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const golden = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as GoldenStream;
      return {
        name: file,
        runId: (golden.events[0]!.data as { runId: string }).runId,
        events: golden.events,
      };
    });
};

const harnessStream = (name: string, run: RunHarness): Stream => ({
  name,
  runId: run.runId,
  events: run.events.map((event: RunEvent, revision) => ({ revision, type: event.type, data: event.data })),
});

const withChild: WorkflowDefinition = {
  name: 'views-parent',
  version: 1,
  steps: [
    { id: 'child', type: 'subworkflow', workflow: { name: 'shipping', version: 2 } },
    { id: 'side', type: 'task', handler: 'noop' },
  ],
} as WorkflowDefinition;

const timesOut: WorkflowDefinition = {
  name: 'views-timeout',
  version: 1,
  timeout: '1s',
  steps: [{ id: 'slow', type: 'task', handler: 'noop', timeout: { startToClose: '1h' } }],
} as WorkflowDefinition;

/** A parent with a child run, cancelled with a reason; a run that outlives its timeout. */
async function harnessStreams(): Promise<Stream[]> {
  const cancelled = new RunHarness(`views-cancelled-${randomUUID()}`);
  await cancelled.start(withChild, {});
  await cancelled.started('side');
  await cancelled.cancel('customer asked');
  const timedOut = new RunHarness(`views-timed-out-${randomUUID()}`);
  await timedOut.start(timesOut, {});
  await timedOut.started('slow');
  while (timedOut.state.status === 'running') await timedOut.fireNextTimer();
  return [harnessStream('child run, cancelled', cancelled), harnessStream('run timeout', timedOut)];
}

const recordedOf = (stream: Stream, firstPosition: number): RecordedEvent[] =>
  stream.events.map((event, index) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data as RecordedEvent['data'],
    metadata: {},
    streamName: `run-${stream.runId}`,
    revision: BigInt(event.revision),
    position: BigInt(firstPosition + index),
    recordedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, 0, firstPosition + index)),
  }));

/** A dispatched attempt as the API shows it, from the read model's row. */
const apiAttemptOf = (row: StepAttemptView & { status: DispatchedAttemptStatus }): StepAttemptResource => ({
  taskId: row.taskId,
  stepId: row.stepId,
  ...(row.itemIndex === null ? {} : { itemIndex: row.itemIndex }),
  purpose: row.purpose,
  attempt: row.attempt,
  status: ATTEMPT_STATUS_NAMES[row.status],
  ...(row.handler === null ? {} : { handler: row.handler }),
  ...(row.dispatchedAt === null ? {} : { dispatchedAt: row.dispatchedAt }),
  ...(row.startedAt === null ? {} : { startedAt: row.startedAt }),
  ...(row.finishedAt === null ? {} : { finishedAt: row.finishedAt }),
  ...(row.input === null ? {} : { input: row.input }),
  ...(row.output === null ? {} : { output: row.output }),
  ...(row.error === null ? {} : { error: row.error }),
});

const iso = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

// The gateway folds a run's stream; the projector writes the read model from the same events. Both must
// say the same thing in the same words (run/vocabulary of the domain). Real PostgreSQL, its own schema.
describe('the run as the gateway folds it and as the read model projects it', () => {
  const url = pgUrlFromEnv();
  const pool = createPgPool(url, 'gateway-run-views-int');
  const schema = `it_rv_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const queries = new ReadModelQueries(pool, schema);
  const streams: { stream: Stream; events: RecordedEvent[] }[] = [];

  beforeAll(async () => {
    await migrateReadModel({ connection: url, schema });
    let position = 1;
    for (const stream of [...goldenStreams(), ...(await harnessStreams())]) {
      const events = recordedOf(stream, position);
      position += events.length;
      streams.push({ stream, events });
    }
    await new ProjectionApplier(pool, schema).applyBatch(
      streams.flatMap(({ events }) => events),
      -1n,
    );
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('covers the endings whose words used to differ', () => {
    const last = streams.map(({ events }) => events.at(-1)!.type);
    expect(last).toEqual(
      expect.arrayContaining(['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut']),
    );
    expect(streams.some(({ events }) => events.some((event) => event.type === 'ChildRunRequested'))).toBe(
      true,
    );
  });

  it('agrees on status, error, failed step, times and revision of every run', async () => {
    for (const { stream, events } of streams) {
      const api = toRunResource(events)!;
      const row = (await queries.getRun(stream.runId))!;
      expect({ stream: stream.name, ...api, steps: undefined }).toMatchObject({
        stream: stream.name,
        status: RUN_STATUS_NAMES[row.status],
        ...(row.error ? { error: row.error } : {}),
        ...(row.failedStep ? { failedStep: row.failedStep } : {}),
        runAttempt: row.runAttempt,
        revision: String(row.lastRevision),
      });
      expect([stream.name, api.error]).toEqual([stream.name, row.error ?? undefined]);
      expect([stream.name, iso(api.startedAt), iso(api.finishedAt)]).toEqual([
        stream.name,
        row.createdAt,
        row.finishedAt ?? undefined,
      ]);
    }
  });

  it('agrees on every dispatched attempt: status, handler, times, input, output and error', async () => {
    let withInput = 0;
    for (const { stream, events } of streams) {
      const api = toRunResource(events)!;
      const row = (await queries.getRun(stream.runId))!;
      const fromApi = api.steps
        .flatMap((step) => step.attempts)
        // A JSON null input is SQL NULL in the row, as for every jsonb column of the read model.
        .map(({ input, ...attempt }) => ({
          ...attempt,
          ...(input === null || input === undefined ? {} : { input }),
          startedAt: iso(attempt.startedAt),
          finishedAt: iso(attempt.finishedAt),
        }))
        .sort((a, b) => `${a.taskId}#${a.attempt}`.localeCompare(`${b.taskId}#${b.attempt}`));
      withInput += row.stepAttempts.filter((attempt) => attempt.input !== null).length;
      const fromReadModel = row.stepAttempts
        .filter(
          (attempt): attempt is StepAttemptView & { status: DispatchedAttemptStatus } =>
            attempt.status !== 'scheduled',
        )
        .map(apiAttemptOf)
        .map((attempt) => ({ ...attempt, dispatchedAt: iso(attempt.dispatchedAt) }))
        .sort((a, b) => `${a.taskId}#${a.attempt}`.localeCompare(`${b.taskId}#${b.attempt}`));
      expect([stream.name, fromApi.map((a) => ({ ...a, dispatchedAt: iso(a.dispatchedAt) }))]).toEqual([
        stream.name,
        fromReadModel.map((a) => JSON.parse(JSON.stringify(a)) as unknown),
      ]);
    }
    expect(withInput).toBeGreaterThan(0);
  });

  it('stores, for every run, the view its whole stream folds to: steps, outputs, waits, attempts, actions', async () => {
    for (const { stream, events } of streams) {
      const stored = await queries.runView(stream.runId);
      expect([stream.name, stored?.revision]).toEqual([stream.name, events.at(-1)!.revision]);
      expect([stream.name, runResourceOf(stored!)]).toEqual([stream.name, toRunResource(events)]);
    }
  });

  it('reads back every write while the projector is behind: the stored view plus the stream after it', async () => {
    const behind = `it_rv_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await migrateReadModel({ connection: url, schema: behind });
    const applier = new ProjectionApplier(pool, behind);
    const lagging = new ReadModelQueries(pool, behind);
    const tailOf = (events: readonly RecordedEvent[]) => async (from: bigint) =>
      events.filter((event) => event.revision >= from);
    try {
      let checkpoint = -1n;
      let checked = 0;
      for (const { stream, events } of streams) {
        const whole = toRunResource(events);
        // Not projected at all yet: the whole stream is the tail.
        expect(await lagging.runView(stream.runId)).toBeUndefined();
        expect(runResourceOf(await currentRunView(undefined, tailOf(events)))).toEqual(whole);
        for (const event of events) {
          checkpoint = (await applier.applyBatch([event], checkpoint)).position;
          const stored = (await lagging.runView(stream.runId))!;
          const prefix = events.filter((e) => e.revision <= event.revision);
          expect([stream.name, stored.revision]).toEqual([stream.name, event.revision]);
          // The stored view is the run as of its revision, and with the stream after it, the run now.
          expect([stream.name, runResourceOf(stored)]).toEqual([stream.name, toRunResource(prefix)]);
          const now = await currentRunView(stored, tailOf(events));
          expect([stream.name, event.revision, runResourceOf(now)]).toEqual([
            stream.name,
            event.revision,
            whole,
          ]);
          // A tail that overlaps what the view holds folds nothing twice.
          const overlapping = await currentRunView(stored, async () => events);
          expect(runResourceOf(overlapping)).toEqual(whole);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(90);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${behind} CASCADE`);
    }
  });
});
