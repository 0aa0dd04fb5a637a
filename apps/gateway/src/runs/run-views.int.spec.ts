import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type StepAttemptResource, type WorkflowDefinition } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import {
  migrateReadModel,
  ProjectionApplier,
  ReadModelQueries,
  type StepAttemptView,
} from '@spark/read-model';
import {
  ATTEMPT_STATUS_NAMES,
  type DispatchedAttemptStatus,
  RUN_STATUS_NAMES,
  type RunEvent,
} from '@spark/workflow-domain';
import { type GoldenStream, RunHarness } from '@spark/workflow-domain/testing';
import { toRunResource } from './run-view';

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

  it("agrees on every dispatched attempt: status, handler, times, output and error (the input is the API view's alone)", async () => {
    for (const { stream, events } of streams) {
      const api = toRunResource(events)!;
      const row = (await queries.getRun(stream.runId))!;
      const fromApi = api.steps
        .flatMap((step) => step.attempts)
        // Each attempt's input is the API's alone (read from the stream): the read model does not keep it.
        .map(({ input: _input, ...attempt }) => ({
          ...attempt,
          startedAt: iso(attempt.startedAt),
          finishedAt: iso(attempt.finishedAt),
        }))
        .sort((a, b) => `${a.taskId}#${a.attempt}`.localeCompare(`${b.taskId}#${b.attempt}`));
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
  });
});
