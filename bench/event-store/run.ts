/**
 * Event store benchmark (PostgreSQL adapter): append latency and throughput for single events and
 * batches, sequential and concurrent, and subscription lag under load. Run with bench/event-store/run.sh.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type EventStore, type NewEvent, PostgresEventStore } from '@spark/event-store';
import { describeMachine } from '../shared/machine';
import { formatMs, type LatencySummary, summarise } from '../shared/stats';

const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const scale = Number(process.env.BENCH_SCALE ?? '1');

type AppendScenario = { name: string; writers: number; appendsPerWriter: number; eventsPerAppend: number };
type AppendFigures = AppendScenario & {
  latency: LatencySummary;
  appendsPerSecond: number;
  eventsPerSecond: number;
};
type LagFigures = {
  writers: number;
  eventsPerAppend: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  lag: LatencySummary;
};

const APPEND_SCENARIOS: AppendScenario[] = [
  { name: 'single event, 1 writer', writers: 1, appendsPerWriter: 2000, eventsPerAppend: 1 },
  { name: 'single event, 8 writers', writers: 8, appendsPerWriter: 500, eventsPerAppend: 1 },
  { name: 'batch of 10, 1 writer', writers: 1, appendsPerWriter: 1000, eventsPerAppend: 10 },
  { name: 'batch of 100, 1 writer', writers: 1, appendsPerWriter: 200, eventsPerAppend: 100 },
  { name: 'batch of 100, 8 writers', writers: 8, appendsPerWriter: 50, eventsPerAppend: 100 },
];

/** A run-sized event: what a decider appends for a step transition. */
function stepEvent(writer: number, index: number): NewEvent {
  return {
    type: 'StepAttemptCompleted',
    data: {
      runId: `run-${writer}`,
      stepId: `step-${index}`,
      attempt: 1,
      output: { status: 200, body: { ok: true, items: [1, 2, 3] } },
    },
    metadata: {
      correlationId: `run-${writer}`,
      causationId: `task-${index}`,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    },
  };
}

async function measureAppends(
  store: EventStore,
  scenario: AppendScenario,
  tag: string,
): Promise<AppendFigures> {
  const appendsPerWriter = Math.max(1, Math.round(scenario.appendsPerWriter * scale));
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: scenario.writers }, async (_, writer) => {
      // Each writer appends to a handful of run streams, tracking revisions like the scheduler does.
      const revisions = new Map<string, bigint>();
      for (let index = 0; index < appendsPerWriter; index++) {
        const stream = `run-${tag}-w${writer}-${index % 16}`;
        const events = Array.from({ length: scenario.eventsPerAppend }, (_, offset) =>
          stepEvent(writer, index * scenario.eventsPerAppend + offset),
        );
        const before = performance.now();
        const result = await store.appendToStream(stream, events, {
          expectedRevision: revisions.get(stream) ?? 'no_stream',
        });
        samples.push(performance.now() - before);
        revisions.set(stream, result.nextExpectedRevision);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const appends = appendsPerWriter * scenario.writers;
  return {
    ...scenario,
    appendsPerWriter,
    latency: summarise(samples),
    appendsPerSecond: appends / seconds,
    eventsPerSecond: (appends * scenario.eventsPerAppend) / seconds,
  };
}

/** Lag: from the start of the append call to the event's delivery by a live subscription. */
async function measureSubscriptionLag(store: EventStore, tag: string): Promise<LagFigures> {
  const writers = 8;
  const eventsPerAppend = 10;
  const appendsPerWriter = Math.max(1, Math.round(150 * scale));
  const total = writers * appendsPerWriter * eventsPerAppend;
  const [last] = await store.readAll({ direction: 'backwards', maxCount: 1 });
  const subscription = store.subscribeToAll({
    fromPosition: last?.position,
    filter: { streamNamePrefixes: [`lag-${tag}`] },
  });
  const appendStartedAt = new Map<string, number>();
  const lags: number[] = [];
  const delivered = (async () => {
    for await (const event of subscription) {
      lags.push(performance.now() - appendStartedAt.get(event.id)!);
      if (lags.length === total) break;
    }
  })();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let revision: bigint | 'no_stream' = 'no_stream';
      for (let index = 0; index < appendsPerWriter; index++) {
        const events = Array.from({ length: eventsPerAppend }, () => ({
          ...stepEvent(writer, index),
          id: randomUuid(),
        }));
        const now = performance.now();
        for (const event of events) appendStartedAt.set(event.id, now);
        revision = (
          await store.appendToStream(`lag-${tag}-${writer}`, events, { expectedRevision: revision })
        ).nextExpectedRevision;
      }
    }),
  );
  await delivered;
  const seconds = (performance.now() - started) / 1000;
  return {
    writers,
    eventsPerAppend,
    events: total,
    seconds,
    eventsPerSecond: total / seconds,
    lag: summarise(lags),
  };
}

function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}

function report(machineLines: string[], appends: AppendFigures[], lag: LagFigures, startedAt: Date): string {
  const appendRows = appends.map(
    (figures) =>
      `| ${figures.name} | ${figures.writers * figures.appendsPerWriter} | ${formatMs(figures.latency.p50Ms)} | ${formatMs(figures.latency.p99Ms)} | ${formatMs(figures.latency.maxMs)} | ${Math.round(figures.appendsPerSecond)} | ${Math.round(figures.eventsPerSecond)} |`,
  );
  return [
    `# Event store benchmark — PostgreSQL adapter — ${startedAt.toISOString()}`,
    '',
    'Command: `bench/event-store/run.sh` (BENCH_SCALE=' +
      scale +
      '). Fresh schema per run, dropped afterwards; pool of 10 connections.',
    '',
    '## Machine',
    ...machineLines,
    '',
    '## Appends (latency per append call, optimistic check on every append)',
    '| scenario | appends | p50 ms | p99 ms | max ms | appends/s | events/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...appendRows,
    '',
    '## Subscription lag under load',
    `${lag.writers} writers appending batches of ${lag.eventsPerAppend} (${lag.events} events in ${lag.seconds.toFixed(1)} s, ${Math.round(lag.eventsPerSecond)} events/s) while one live \`subscribeToAll\` (LISTEN/NOTIFY, stream-prefix filter) consumes them. Lag = delivery time − start of the append call.`,
    '',
    '| events | p50 ms | p99 ms | max ms |',
    '|---:|---:|---:|---:|',
    `| ${lag.lag.count} | ${formatMs(lag.lag.p50Ms)} | ${formatMs(lag.lag.p99Ms)} | ${formatMs(lag.lag.maxMs)} |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const schema = `es_bench_${randomBytes(4).toString('hex')}`;
  const store = new PostgresEventStore({ connectionString, schema });
  try {
    await store.migrate();
    await measureAppends(
      store,
      { name: 'warm-up', writers: 4, appendsPerWriter: 100, eventsPerAppend: 5 },
      'warm',
    );
    const appends: AppendFigures[] = [];
    for (const [index, scenario] of APPEND_SCENARIOS.entries())
      appends.push(await measureAppends(store, scenario, `s${index}`));
    const lag = await measureSubscriptionLag(store, 'lag');
    const text = report(await describeMachine(connectionString), appends, lag, startedAt);
    process.stdout.write(`${text}\n`);
    const reportsDir = path.resolve(process.env.SPARK_ROOT ?? process.cwd(), 'bench/reports');
    mkdirSync(reportsDir, { recursive: true });
    const file = path.join(reportsDir, `event-store-${startedAt.toISOString().slice(0, 10)}.md`);
    writeFileSync(file, text);
    process.stderr.write(`report written to ${file}\n`);
  } finally {
    await store.close();
    const client = new Client({ connectionString });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
