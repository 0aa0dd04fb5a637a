import { isDeepStrictEqual } from 'node:util';
import { runStreamName, scheduledRunId, scheduleStreamName, Topics } from '@spark/contracts';
import { PostgresEventStore, type RecordedEvent } from '@spark/event-store';
import {
  migrateReadModel,
  PROJECTED_STREAM_PREFIXES,
  ProjectionApplier,
  READ_MODEL_TABLES,
} from '@spark/read-model';
import { Kafka, logLevel } from 'kafkajs';
import { type Pool } from 'pg';
import { type EffectLedger, parseKey } from './effect-ledger';
import { log, sleep } from './timing';
import { effectStepsOf, type Expected, type Kind } from './workload';

export const FINAL_EVENTS = ['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut'];
const STATUS_OF: Record<string, string> = {
  RunCompleted: 'COMPLETED',
  RunFailed: 'FAILED',
  RunCancelled: 'CANCELLED',
  RunTimedOut: 'TIMED_OUT',
};
/** Run events the projector turns into public CloudEvents (apps/projector public-events). */
const PUBLIC_RUN_EVENTS = [
  'RunStarted',
  'RunCompensating',
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
  'RunTimedOut',
  'RunResumed',
  'StepSucceeded',
  'StepFailed',
  'StepSkipped',
  'StepCancelled',
  'StepAttemptFailed',
  'StepRetryScheduled',
];
/** Examples kept per problem kind in the report. */
const EXAMPLES = 5;

export interface AcceptedRun {
  runId: string;
  kind: Kind;
  n: number;
  expected: Expected;
  acceptedAt: number;
}

export interface Schemas {
  eventStore: string;
  scheduler: string;
  readModel: string;
}

export interface RunFacts {
  starts: number;
  final?: string;
  finalData?: Record<string, unknown>;
  finalAt?: number;
  lastEvent?: string;
}

/** RunStarted count, final event and last event of each run, read from the event store in one query. */
export async function runFacts(
  pool: Pool,
  schema: string,
  runIds: readonly string[],
): Promise<Map<string, RunFacts>> {
  const { rows } = await pool.query<{
    stream_name: string;
    event_type: string;
    data: Record<string, unknown>;
    recorded_at: Date;
  }>(
    `SELECT stream_name, event_type, data, recorded_at FROM ${schema}.events
      WHERE stream_name = ANY($1::text[]) ORDER BY position`,
    [runIds.map(runStreamName)],
  );
  const facts = new Map<string, RunFacts>(runIds.map((runId) => [runId, { starts: 0 }]));
  for (const row of rows) {
    const fact = facts.get(row.stream_name.slice('run-'.length))!;
    fact.lastEvent = row.event_type;
    if (row.event_type === 'RunStarted') fact.starts++;
    if (FINAL_EVENTS.includes(row.event_type) && fact.final === undefined) {
      fact.final = row.event_type;
      fact.finalData = row.data;
      fact.finalAt = row.recorded_at.getTime();
    }
  }
  return facts;
}

/** Waits until every run has a final event or the deadline passes; returns the facts at that point. */
export async function waitForFinal(
  pool: Pool,
  schema: string,
  runIds: readonly string[],
  timeoutMs: number,
): Promise<Map<string, RunFacts>> {
  const deadline = Date.now() + timeoutMs;
  const streams = runIds.map(runStreamName);
  for (;;) {
    const { rows } = await pool.query<{ count: string }>(
      `SELECT count(DISTINCT stream_name)::text AS count FROM ${schema}.events
        WHERE stream_name = ANY($1::text[]) AND event_type = ANY($2::text[])`,
      [streams, FINAL_EVENTS],
    );
    const open = runIds.length - Number(rows[0]!.count);
    if (open === 0 || Date.now() > deadline) return runFacts(pool, schema, runIds);
    log(`waiting for ${open} runs to finish`);
    await sleep(2000);
  }
}

export interface OutcomeCheck {
  final: number;
  stuck: number;
  wrongOutcome: number;
  duplicateStarts: number;
  examples: string[];
}

export function checkOutcomes(runs: readonly AcceptedRun[], facts: Map<string, RunFacts>): OutcomeCheck {
  const result: OutcomeCheck = { final: 0, stuck: 0, wrongOutcome: 0, duplicateStarts: 0, examples: [] };
  const note = (text: string) => result.examples.length < EXAMPLES * 3 && result.examples.push(text);
  for (const run of runs) {
    const fact = facts.get(run.runId)!;
    if (fact.starts > 1) {
      result.duplicateStarts++;
      note(`${run.kind} ${run.runId}: RunStarted ${fact.starts} times`);
    }
    if (!fact.final) {
      result.stuck++;
      note(`${run.kind} ${run.runId}: not final, last event ${fact.lastEvent ?? 'none'}`);
      continue;
    }
    result.final++;
    const status = STATUS_OF[fact.final];
    const data = fact.finalData ?? {};
    const right =
      status === run.expected.status &&
      (run.expected.output === undefined || isDeepStrictEqual(data.output, run.expected.output)) &&
      (run.expected.outputAtLeast === undefined ||
        (typeof data.output === 'number' && data.output >= run.expected.outputAtLeast)) &&
      (run.expected.compensated === undefined ||
        isDeepStrictEqual(data.compensated, run.expected.compensated));
    if (!right) {
      result.wrongOutcome++;
      note(`${run.kind} ${run.runId}: ${fact.final} ${JSON.stringify(data).slice(0, 300)}`);
    }
  }
  return result;
}

export interface EffectCheck {
  requests: number;
  keys: number;
  /** Requests beyond the first per idempotency key: repeated deliveries the key absorbed. */
  redeliveries: number;
  /**
   * Steps whose effect was applied under two idempotency keys although the earlier attempt was not
   * timed out: the step ran twice for no reason the run's history gives.
   */
  duplicateEffects: number;
  /**
   * Steps applied again by a new attempt after the scheduler timed the earlier one out while its
   * result was on the way (a broker outage longer than the step's timeout): at-least-once across
   * attempts, each under its own key, reported apart.
   */
  reExecutedAfterTimeout: number;
  /** Steps of completed runs that should have applied an effect and did not. */
  lostEffects: number;
  requestsWithoutKey: number;
  examples: string[];
}

export async function checkEffects(
  pool: Pool,
  schema: string,
  runs: readonly AcceptedRun[],
  facts: Map<string, RunFacts>,
  ledger: EffectLedger,
): Promise<EffectCheck> {
  const result: EffectCheck = {
    requests: ledger.totalRequests,
    keys: ledger.requests.size,
    redeliveries: ledger.redeliveries(),
    duplicateEffects: 0,
    reExecutedAfterTimeout: 0,
    lostEffects: 0,
    requestsWithoutKey: ledger.withoutKey.length,
    examples: [],
  };
  const twice = [...ledger.appliedByStep].filter(([, keys]) => keys.size > 1);
  const { rows } = await pool.query<{ stream_name: string; task_id: string; attempt: number }>(
    `SELECT stream_name, data->>'taskId' AS task_id, (data->>'attempt')::int AS attempt FROM ${schema}.events
      WHERE stream_name = ANY($1::text[]) AND event_type = 'StepTimedOut'`,
    [[...new Set(twice.map(([step]) => runStreamName(step.slice(0, step.lastIndexOf(':')))))]],
  );
  const timedOut = new Set(
    rows.map((row) => `${row.stream_name.slice('run-'.length)}:${row.task_id}:${row.attempt}`),
  );
  for (const [step, keys] of twice) {
    const attempts = [...keys].sort((a, b) => (parseKey(a)?.attempt ?? 0) - (parseKey(b)?.attempt ?? 0));
    const explained = attempts.slice(0, -1).every((key) => timedOut.has(key));
    if (explained) result.reExecutedAfterTimeout++;
    else result.duplicateEffects++;
    if (result.examples.length < EXAMPLES)
      result.examples.push(
        `${step}: applied under ${attempts.join(', ')}${explained ? ' (earlier attempt timed out)' : ''}`,
      );
  }
  for (const run of runs) {
    if (!facts.get(run.runId)?.final) continue;
    for (const step of effectStepsOf(run.kind)) {
      if (!ledger.appliedByStep.has(`${run.runId}:${step}`)) {
        result.lostEffects++;
        if (result.examples.length < EXAMPLES * 2)
          result.examples.push(`${run.runId}:${step}: no effect applied`);
      }
    }
  }
  return result;
}

export interface ScheduleCheck {
  fires: number;
  nominalTimes: number;
  duplicateFires: number;
  /** Nominal seconds between the first and last fire that neither fired nor were reported missed. */
  gaps: number;
  reportedMissed: number;
  runsNotFinal: number;
  runsStartedTwice: number;
}

export async function checkSchedule(
  pool: Pool,
  schemas: Schemas,
  scheduleId: string,
  everyMs: number,
  finishTimeoutMs: number,
): Promise<ScheduleCheck> {
  const { rows } = await pool.query<{
    event_type: string;
    nominal: string | null;
    key: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT event_type, data->>'nominalTime' AS nominal, data->>'idempotencyKey' AS key, data
       FROM ${schemas.eventStore}.events WHERE stream_name = $1 ORDER BY position`,
    [scheduleStreamName(scheduleId)],
  );
  const fired = rows.filter((row) => row.event_type === 'ScheduleFired');
  const perNominal = new Map<number, number>();
  for (const row of fired) {
    const at = Date.parse(row.nominal!);
    perNominal.set(at, (perNominal.get(at) ?? 0) + 1);
  }
  const missed = rows.filter((row) => row.event_type === 'ScheduleFiresMissed');
  const missedCount = missed.reduce(
    (sum, row) => sum + Number((row.data.count as number | undefined) ?? 1),
    0,
  );
  const times = [...perNominal.keys()].sort((a, b) => a - b);
  const span = times.length ? Math.round((times.at(-1)! - times[0]!) / everyMs) + 1 : 0;
  const runIds = [...new Set(fired.map((row) => scheduledRunId(row.key!)))];
  // The last fires' runs may still be on their way (a broker restart leaves a backlog): wait, bounded.
  const facts = await waitForFinal(pool, schemas.eventStore, runIds, finishTimeoutMs);
  return {
    fires: fired.length,
    nominalTimes: perNominal.size,
    duplicateFires: [...perNominal.values()].reduce((sum, count) => sum + count - 1, 0),
    gaps: Math.max(0, span - perNominal.size - missedCount),
    reportedMissed: missedCount,
    runsNotFinal: [...facts.values()].filter((fact) => !fact.final).length,
    runsStartedTwice: [...facts.values()].filter((fact) => fact.starts > 1).length,
  };
}

/** The head of what the projector projects: the position of the last run/workflow/schedule event. */
async function projectedHead(pool: Pool, schema: string): Promise<bigint> {
  const { rows } = await pool.query<{ head: string | null }>(
    `SELECT max(position)::text AS head FROM ${schema}.events
      WHERE ${PROJECTED_STREAM_PREFIXES.map((_, index) => `stream_name LIKE $${index + 1}`).join(' OR ')}`,
    PROJECTED_STREAM_PREFIXES.map((prefix) => `${prefix}%`),
  );
  return BigInt(rows[0]!.head ?? '-1');
}

export interface ReadModelCheck {
  caughtUp: boolean;
  statusMismatches: number;
  rebuildEqualsLive: boolean;
  differingRows: Record<string, number>;
  examples: string[];
}

/**
 * Waits for the live projectors to reach the head, compares each accepted run's read-model status with
 * the store, then replays the store from position 0 into a fresh schema and compares every table.
 */
export async function checkReadModel(
  pool: Pool,
  pgUrl: string,
  schemas: Schemas,
  runs: readonly AcceptedRun[],
  facts: Map<string, RunFacts>,
): Promise<ReadModelCheck> {
  const head = await projectedHead(pool, schemas.eventStore);
  const deadline = Date.now() + 60_000;
  let caughtUp = false;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ position: string }>(
      `SELECT position::text FROM ${schemas.readModel}.projection_checkpoints WHERE name = 'read-model'`,
    );
    if (BigInt(rows[0]?.position ?? '-1') >= head) {
      caughtUp = true;
      break;
    }
    await sleep(500);
  }
  const examples: string[] = [];
  const { rows: statuses } = await pool.query<{ id: string; status: string }>(
    `SELECT id, status FROM ${schemas.readModel}.runs WHERE id = ANY($1::text[])`,
    [runs.map((run) => run.runId)],
  );
  const statusOf = new Map(statuses.map((row) => [row.id, row.status]));
  let statusMismatches = 0;
  for (const run of runs) {
    const final = facts.get(run.runId)?.final;
    const expected = final ? STATUS_OF[final]!.toLowerCase().replace('timed_out', 'timedout') : 'running';
    const actual = (statusOf.get(run.runId) ?? 'missing').toLowerCase();
    if (actual !== expected) {
      statusMismatches++;
      if (examples.length < EXAMPLES) examples.push(`${run.runId}: read model ${actual}, store ${expected}`);
    }
  }

  const fresh = `${schemas.readModel}_replay`;
  await pool.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
  await migrateReadModel({ connection: pgUrl, schema: fresh });
  const store = new PostgresEventStore({ connectionString: pgUrl, schema: schemas.eventStore });
  try {
    const applier = new ProjectionApplier(pool, fresh);
    let after = -1n;
    for (;;) {
      const page = await store.readAll({ ...(after >= 0n ? { fromPosition: after } : {}), maxCount: 1000 });
      if (page.length === 0) break;
      const projected = page.filter((event: RecordedEvent) =>
        PROJECTED_STREAM_PREFIXES.some((prefix) => event.streamName.startsWith(prefix)),
      );
      if (projected.length) await applier.applyBatch(projected, await applier.loadCheckpoint());
      after = page.at(-1)!.position;
    }
  } finally {
    await store.close();
  }
  const differingRows: Record<string, number> = {};
  for (const table of READ_MODEL_TABLES) {
    if (table === 'projection_checkpoints') continue;
    const [live, replayed] = await Promise.all(
      [schemas.readModel, fresh].map(async (schema) => {
        const { rows } = await pool.query(`SELECT * FROM ${schema}.${table}`);
        return new Set(rows.map((row) => JSON.stringify(row)));
      }),
    );
    let differing = 0;
    for (const row of live!) if (!replayed!.has(row)) differing++;
    for (const row of replayed!) if (!live!.has(row)) differing++;
    differingRows[table] = differing;
    if (differing && examples.length < EXAMPLES * 2) {
      const sample =
        [...live!].find((row) => !replayed!.has(row)) ?? [...replayed!].find((row) => !live!.has(row));
      examples.push(`${table}: ${differing} rows differ, e.g. ${sample?.slice(0, 300)}`);
    }
  }
  await pool.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
  return {
    caughtUp,
    statusMismatches,
    rebuildEqualsLive: Object.values(differingRows).every((count) => count === 0),
    differingRows,
    examples,
  };
}

export interface PublicEventsCheck {
  received: number;
  republished: number;
  runsIncomplete: number;
  runsOutOfOrder: number;
  examples: string[];
}

/** Reads `spark.events.v1` from the beginning and compares each run's CloudEvents with its stream. */
export async function checkPublicEvents(
  pool: Pool,
  brokers: string,
  schema: string,
  runs: readonly AcceptedRun[],
): Promise<PublicEventsCheck> {
  const { rows } = await pool.query<{ stream_name: string; event_id: string; event_type: string }>(
    `SELECT stream_name, event_id::text, event_type FROM ${schema}.events
      WHERE stream_name = ANY($1::text[]) AND event_type = ANY($2::text[]) ORDER BY stream_name, revision`,
    [runs.map((run) => runStreamName(run.runId)), PUBLIC_RUN_EVENTS],
  );
  const expected = new Map<string, string[]>();
  for (const row of rows) {
    const runId = row.stream_name.slice('run-'.length);
    expected.set(runId, [...(expected.get(runId) ?? []), row.event_id]);
  }
  const received = new Map<string, string[]>();
  let count = 0;
  const kafka = new Kafka({ clientId: 'chaos-check', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `chaos-check-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'spark.events.v1', fromBeginning: true });
  let lastAt = Date.now();
  await consumer.run({
    eachMessage: async ({ message }) => {
      count++;
      lastAt = Date.now();
      const key = message.key?.toString() ?? '';
      const id = message.headers?.ce_id?.toString();
      if (id && expected.has(key)) received.set(key, [...(received.get(key) ?? []), id]);
    },
  });
  const wanted = rows.length;
  const deadline = Date.now() + 90_000;
  const have = () => [...received.values()].reduce((sum, ids) => sum + new Set(ids).size, 0);
  while (Date.now() < deadline && !(have() >= wanted && Date.now() - lastAt > 3000)) await sleep(500);
  await consumer.disconnect();

  const result: PublicEventsCheck = {
    received: count,
    republished: 0,
    runsIncomplete: 0,
    runsOutOfOrder: 0,
    examples: [],
  };
  for (const [runId, ids] of expected) {
    const got = received.get(runId) ?? [];
    const firstSeen = [...new Set(got)];
    result.republished += got.length - firstSeen.length;
    const missing = ids.filter((id) => !firstSeen.includes(id));
    if (missing.length) {
      result.runsIncomplete++;
      if (result.examples.length < EXAMPLES)
        result.examples.push(`${runId}: ${missing.length} of ${ids.length} public events missing`);
    }
    const order = firstSeen.map((id) => ids.indexOf(id));
    if (order.some((index, at) => at > 0 && index < order[at - 1]!)) {
      result.runsOutOfOrder++;
      if (result.examples.length < EXAMPLES * 2)
        result.examples.push(`${runId}: public events out of stream order`);
    }
  }
  return result;
}

export interface DeadLetterCheck {
  count: number;
  /** Each dead letter's origin, error and (for a run's message) run id. */
  examples: string[];
}

/**
 * The dead-letter topic: a message there was given up on. Under chaos nothing should be: a fault is a
 * dependency away, retried until it is back, and a dead-lettered command or result is lost work.
 */
export async function checkDeadLetters(brokers: string): Promise<DeadLetterCheck> {
  const kafka = new Kafka({ clientId: 'chaos-check-dlq', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  await admin.disconnect();
  if (!topics.includes(Topics.deadLetters)) return { count: 0, examples: [] };
  const consumer = kafka.consumer({ groupId: `chaos-check-dlq-${process.pid}-${Date.now()}` });
  const result: DeadLetterCheck = { count: 0, examples: [] };
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.deadLetters, fromBeginning: true });
  let lastAt = Date.now();
  await consumer.run({
    eachMessage: async ({ message }) => {
      lastAt = Date.now();
      result.count++;
      const header = (name: string) => message.headers?.[name]?.toString() ?? '?';
      if (result.examples.length < EXAMPLES * 2)
        result.examples.push(
          `dead letter from ${header('spark-dlq-origin-topic')}[${header('spark-dlq-origin-partition')}]@` +
            `${header('spark-dlq-origin-offset')} (key ${message.key?.toString() ?? '-'}, ` +
            `${header('spark-dlq-attempts')} attempts): ${header('spark-dlq-error')}`,
        );
    },
  });
  while (Date.now() - lastAt < 5000) await sleep(500);
  await consumer.disconnect();
  return result;
}

export interface LagCheck {
  groups: number;
  /** Messages not yet committed, summed over every group and partition, once settled. */
  lag: number;
  lagging: string[];
}

/** Every consumer group's committed offsets against the topics' ends, waiting up to 60 s for them to settle. */
export async function checkConsumerLag(brokers: string): Promise<LagCheck> {
  const kafka = new Kafka({ clientId: 'chaos-lag', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { groups } = await admin.listGroups();
      const ours = groups.map((group) => group.groupId).filter((id) => !id.startsWith('chaos-check'));
      const lagging: string[] = [];
      let lag = 0;
      const ends = new Map<string, { partition: number; high: string; low: string }[]>();
      for (const groupId of ours) {
        for (const topic of await admin.fetchOffsets({ groupId })) {
          if (!ends.has(topic.topic)) ends.set(topic.topic, await admin.fetchTopicOffsets(topic.topic));
          for (const partition of topic.partitions) {
            const end = ends
              .get(topic.topic)!
              .find((candidate) => candidate.partition === partition.partition);
            if (!end) continue;
            const committed = Number(partition.offset);
            const behind = committed >= 0 ? Number(end.high) - committed : Number(end.high) - Number(end.low);
            if (behind > 0) {
              lag += behind;
              lagging.push(`${groupId} ${topic.topic}[${partition.partition}] ${behind} behind`);
            }
          }
        }
      }
      if (lag === 0 || Date.now() > deadline)
        return { groups: ours.length, lag, lagging: lagging.slice(0, EXAMPLES * 2) };
      await sleep(1000);
    }
  } finally {
    await admin.disconnect();
  }
}

export interface LeftoverCheck {
  timersOfFinishedRuns: number;
  dispatchesNotRelayed: number;
  /** What the scheduler's own state says of each run left behind: where to look when a check fails. */
  examples: string[];
}

const clockTime = (at: Date) => at.toISOString().slice(11, 23);

/**
 * Durable timers still held by runs that ended, and dispatches the outbox relay has not passed; for each
 * run not final, its last event against the relay's checkpoint and its timer rows (a run waiting on a
 * timer the relay never wrote, or on one that fired and was not heeded, looks the same from outside).
 */
export async function checkLeftovers(
  pool: Pool,
  schemas: Schemas,
  facts: Map<string, RunFacts>,
): Promise<LeftoverCheck> {
  const finished = [...facts.entries()].filter(([, fact]) => fact.final).map(([runId]) => runId);
  const open = [...facts.entries()].filter(([, fact]) => !fact.final).map(([runId]) => runId);
  const timers = await pool.query<{ run_id: string; timer_id: string; fire_at: Date }>(
    `SELECT run_id, timer_id, fire_at FROM ${schemas.scheduler}.timers WHERE run_id = ANY($1::text[])`,
    [finished],
  );
  const relay = await pool.query<{ position: string | null }>(
    `SELECT min(position)::text AS position FROM ${schemas.scheduler}.relay_checkpoints`,
  );
  const checkpoint = relay.rows[0]?.position ?? '-1';
  const behind = await pool.query<{ stream_name: string; position: string }>(
    `SELECT stream_name, position::text FROM ${schemas.eventStore}.events
      WHERE event_type = 'TaskDispatched' AND position > $1 ORDER BY position`,
    [checkpoint],
  );
  const examples = [
    ...timers.rows
      .slice(0, EXAMPLES)
      .map(
        (timer) =>
          `finished run ${timer.run_id} still holds timer ${timer.timer_id} (due ${clockTime(timer.fire_at)})`,
      ),
    ...behind.rows
      .slice(0, EXAMPLES)
      .map(
        (row) =>
          `TaskDispatched of ${row.stream_name} at ${row.position} is past the relay checkpoint ${checkpoint}`,
      ),
    ...(await openRunStates(pool, schemas, open.slice(0, EXAMPLES * 2), BigInt(checkpoint))),
  ];
  return { timersOfFinishedRuns: timers.rows.length, dispatchesNotRelayed: behind.rows.length, examples };
}

async function openRunStates(
  pool: Pool,
  schemas: Schemas,
  runIds: string[],
  checkpoint: bigint,
): Promise<string[]> {
  if (runIds.length === 0) return [];
  const last = await pool.query<{
    stream_name: string;
    event_type: string;
    position: string;
    recorded_at: Date;
  }>(
    `SELECT DISTINCT ON (stream_name) stream_name, event_type, position::text, recorded_at
       FROM ${schemas.eventStore}.events WHERE stream_name = ANY($1::text[])
      ORDER BY stream_name, position DESC`,
    [runIds.map(runStreamName)],
  );
  const timers = await pool.query<{ run_id: string; timer_id: string; fire_at: Date }>(
    `SELECT run_id, timer_id, fire_at FROM ${schemas.scheduler}.timers WHERE run_id = ANY($1::text[])`,
    [runIds],
  );
  return last.rows.map((row) => {
    const runId = row.stream_name.slice('run-'.length);
    const held = timers.rows
      .filter((timer) => timer.run_id === runId)
      .map((timer) => `${timer.timer_id} due ${clockTime(timer.fire_at)}`);
    const relayed = BigInt(row.position) <= checkpoint ? 'relayed' : 'not relayed yet';
    return (
      `run ${runId} not final: its last event ${row.event_type} (${clockTime(row.recorded_at)}) ${relayed}; ` +
      `timer rows: ${held.length ? held.join(', ') : 'none'}`
    );
  });
}

/** Advisory locks still held once every service has stopped (a lock outliving its holder). */
export async function advisoryLocksHeld(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM pg_locks WHERE locktype = 'advisory'`,
  );
  return Number(rows[0]!.count);
}
