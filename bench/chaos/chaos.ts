import { randomBytes } from 'node:crypto';
import { migrateEventStoreSchema } from '@spark/event-store';
import { Pool } from 'pg';
import {
  advisoryLocksHeld,
  type AcceptedRun,
  checkConsumerLag,
  checkDeadLetters,
  checkEffects,
  checkLeftovers,
  checkOutcomes,
  checkPublicEvents,
  checkReadModel,
  checkSchedule,
  FINAL_EVENTS,
  type Schemas,
  waitForFinal,
} from './checks';
import { EffectLedger } from './effect-ledger';
import { FaultInjector, type FaultPlan } from './faults';
import { Fleet } from './fleet';
import { GatewayApi } from './gateway-api';
import { PrivateStack } from '@spark/testing';
import { log, percentile, sleep } from './timing';
import {
  definitions,
  expectedOf,
  inputOf,
  kindAt,
  SCHEDULE_WORKFLOW,
  SIGNAL_NAME,
  workflowName,
} from './workload';

export interface ChaosOptions {
  label: string;
  runs: number;
  /** Run starts per second the workload aims at. */
  startsPerSecond: number;
  /** Share of the runs started before the first fault (the calm baseline). */
  calmShare: number;
  faults: FaultPlan;
  /** How long to wait, after the last start, for every run to finish. */
  finishTimeoutMs: number;
}

export type ChaosResult = Awaited<ReturnType<typeof runChaos>>;

/**
 * One chaos run: a private Kafka and PostgreSQL, two instances of each service, the workload started
 * through the gateways while faults are injected, then every end check. Tears everything down.
 */
export async function runChaos(options: ChaosOptions) {
  const startedAt = new Date();
  const stack = await PrivateStack.up(options.label);
  const ledger = new EffectLedger();
  let fleet: Fleet | undefined;
  let injector: FaultInjector | undefined;
  const pool = new Pool({ connectionString: stack.pgUrl, max: 3 });
  pool.on('error', () => undefined);
  // Interrupted (Ctrl-C, a CI timeout): the services and the private stack go too.
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the fleet and the private stack`);
    void (async () => {
      await fleet?.stop().catch(() => undefined);
      await stack.down().catch(() => undefined);
      process.exit(130);
    })();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const schemas: Schemas = { eventStore: 'chaos_es', scheduler: 'chaos_sch', readModel: 'chaos_rm' };
    await migrateEventStoreSchema({ connection: stack.pgUrl, schema: schemas.eventStore });
    const target = await ledger.start();
    const apiKey = `chaos-${randomBytes(12).toString('hex')}`;
    log(`private stack up (PostgreSQL ${stack.pgPort}, Kafka ${stack.kafkaPort}); starting 2 × 4 services`);
    fleet = await Fleet.start({
      SPARK_PG_URL: stack.pgUrl,
      SPARK_KAFKA_BROKERS: stack.brokers,
      SPARK_KAFKA_NAMESPACE: '',
      SPARK_EVENT_STORE: 'postgres',
      SPARK_EVENT_STORE_SCHEMA: schemas.eventStore,
      SPARK_SCHEDULER_SCHEMA: schemas.scheduler,
      SPARK_READ_MODEL_SCHEMA: schemas.readModel,
      SPARK_GATEWAY_SCHEMA: 'chaos_gw',
      SPARK_GATEWAY_BOOTSTRAP_KEY: apiKey,
      SPARK_TRACING: 'off',
      SPARK_LOG_LEVEL: process.env.SPARK_LOG_LEVEL ?? 'info',
      // Every step calls the one ledger host, and its flaky path fails on purpose, so a circuit may open
      // (a run it failed was the defect found in CI). A retry waits out the open time: 2 s here, not 30.
      SPARK_EXECUTOR_CIRCUIT_RESET_MS: '2000',
    });
    log('fleet ready');
    const api = new GatewayApi(fleet.gatewayUrls, apiKey);
    for (const definition of definitions(target)) {
      await api.call('POST', '/workflows', definition, { accept: [200, 201] });
    }
    const scheduleId = `chaos-every-second`;
    await api.call(
      'POST',
      '/schedules',
      {
        id: scheduleId,
        spec: { kind: 'cron', expression: '* * * * * *' },
        workflow: { name: SCHEDULE_WORKFLOW },
        overlap: 'ALLOW_ALL',
      },
      { accept: [201] },
    );

    const accepted: AcceptedRun[] = [];
    const signals: Promise<unknown>[] = [];
    const calmRuns = Math.round(options.runs * options.calmShare);
    const faultPhaseMs = ((options.runs - calmRuns) / options.startsPerSecond) * 1000;
    injector = new FaultInjector(fleet, stack, options.faults);
    const phases = { calmFrom: Date.now(), faultsFrom: 0, faultsTo: 0 };
    const began = Date.now();
    const inFlight = new Set<Promise<void>>();
    for (let index = 0; index < options.runs; index++) {
      if (index === calmRuns) {
        phases.faultsFrom = Date.now();
        injector.start(faultPhaseMs);
        log(`calm phase over (${calmRuns} runs); faults begin`);
      }
      const due = began + (index / options.startsPerSecond) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      const kind = kindAt(index);
      const n = index + 1;
      const start = (async () => {
        const { body } = await api.call<{ runId: string }>(
          'POST',
          '/runs',
          { workflow: workflowName(kind), input: inputOf(kind, n) },
          { idempotencyKey: `${options.label}-${startedAt.getTime()}-${index}`, accept: [202] },
        );
        accepted.push({ runId: body.runId, kind, n, expected: expectedOf(kind, n), acceptedAt: Date.now() });
        if (kind === 'signal') {
          signals.push(
            sleep(500 + Math.random() * 1500).then(() =>
              api.call(
                'POST',
                `/runs/${body.runId}/signals`,
                { name: SIGNAL_NAME, payload: { n } },
                {
                  idempotencyKey: `signal-${body.runId}`,
                  accept: [202],
                  timeoutMs: 300_000,
                },
              ),
            ),
          );
        }
      })().catch((error: unknown) => log(`start ${index} not accepted: ${String(error)}`));
      inFlight.add(start);
      void start.finally(() => inFlight.delete(start));
      if (index % 100 === 99) log(`${index + 1} runs started`);
    }
    await Promise.all(inFlight);
    phases.faultsTo = Date.now();
    log(`all starts sent (${accepted.length} accepted); stopping faults`);
    await injector.stop();
    await Promise.all(signals);
    // Every instance is up again before the checks.
    for (const instance of fleet.instances) if (!instance.process) await fleet.startInstance(instance);

    const runIds = accepted.map((run) => run.runId);
    const facts = await waitForFinal(pool, schemas.eventStore, runIds, options.finishTimeoutMs);
    await api.call('POST', `/schedules/${scheduleId}/pause`, { reason: 'chaos run over' }, { accept: [200] });
    log(`every run final or given up on; checking`);
    const outcomes = checkOutcomes(accepted, facts);
    const effects = await checkEffects(pool, schemas.eventStore, accepted, facts, ledger);
    await sleep(3000); // a fire decided before the pause lands in the schedule's stream
    const schedule = await checkSchedule(pool, schemas, scheduleId, 1000, options.finishTimeoutMs);
    log('read model: live against a replay from position 0');
    const readModel = await checkReadModel(pool, stack.pgUrl, schemas, accepted, facts);
    log('public events and consumer lag');
    const publicEvents = await checkPublicEvents(pool, stack.brokers, schemas.eventStore, accepted);
    const lag = await checkConsumerLag(stack.brokers);
    const deadLetters = await checkDeadLetters(stack.brokers);
    const leftovers = await checkLeftovers(pool, schemas, facts);
    const recovery = await recoveryTimes(pool, schemas.eventStore, injector);
    const throughput = await throughputOf(pool, schemas.eventStore, runIds, phases);
    const unexpectedExits = [...fleet.unexpectedExits];
    await fleet.stop();
    fleet = undefined;
    await sleep(500);
    const locksHeld = await advisoryLocksHeld(pool);
    const faults = injector.faults;
    const byKind = Object.fromEntries(
      (['kill', 'kafka-restart', 'postgres-restart', 'executor-pause'] as const).map((kind) => [
        kind,
        injector!.count(kind),
      ]),
    );
    return {
      startedAt,
      durationS: (Date.now() - startedAt.getTime()) / 1000,
      options,
      runsStarted: options.runs,
      runsAccepted: accepted.length,
      kinds: countBy(accepted.map((run) => run.kind)),
      apiRetries: api.retries,
      faults,
      faultsByKind: byKind,
      unexpectedExits,
      outcomes,
      effects,
      schedule,
      readModel,
      publicEvents,
      lag,
      deadLetters,
      leftovers,
      locksHeld,
      recovery,
      throughput,
    };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await injector?.stop().catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await ledger.stop().catch(() => undefined);
    await stack.down().catch((error: unknown) => log(`stack down: ${String(error)}`));
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * For each kill: how long until the next run (any run) completed after it, from the store's clock. Kills
 * during a broker or database outage (or within 5 s of its end) are reported apart: nothing completes
 * until that outage is over, whatever was killed.
 */
const OUTAGE_MARGIN_MS = 5000;

async function recoveryTimes(pool: Pool, schema: string, injector: FaultInjector) {
  const { rows } = await pool.query<{ at: Date }>(
    `SELECT recorded_at AS at FROM ${schema}.events WHERE event_type = 'RunCompleted' ORDER BY recorded_at`,
  );
  const completions = rows.map((row) => row.at.getTime());
  const outages = injector.faults.filter(
    (fault) => fault.kind === 'kafka-restart' || fault.kind === 'postgres-restart',
  );
  // A kill within 5 s of a broker or database outage (before or after it) measures the outage, not the kill.
  const duringOutage = (at: number) =>
    outages.some(
      (outage) => at >= outage.at - OUTAGE_MARGIN_MS && at <= outage.at + outage.outageMs + OUTAGE_MARGIN_MS,
    );
  const kills = injector.faults.filter((fault) => fault.kind === 'kill');
  const sample = (at: number) => {
    const next = completions.find((completed) => completed >= at);
    return next === undefined ? Number.NaN : next - at;
  };
  const samples = kills
    .filter((kill) => !duringOutage(kill.at))
    .map((kill) => sample(kill.at))
    .filter(Number.isFinite);
  const overlapping = kills
    .filter((kill) => duringOutage(kill.at))
    .map((kill) => sample(kill.at))
    .filter(Number.isFinite);
  const perKill = new Map(kills.map((kill) => [kill.at, sample(kill.at)]));
  return {
    /** Kill time → ms until the next completed run, for the report's list of faults. */
    perKill,
    kills: samples.length,
    p50Ms: percentile(samples, 0.5),
    maxMs: samples.length ? Math.max(...samples) : Number.NaN,
    killsDuringOutages: overlapping.length,
    duringOutagesMaxMs: overlapping.length ? Math.max(...overlapping) : Number.NaN,
  };
}

/** Runs finished per second in the calm phase and in the fault phase (by the time of their final event). */
async function throughputOf(
  pool: Pool,
  schema: string,
  runIds: readonly string[],
  phases: { calmFrom: number; faultsFrom: number; faultsTo: number },
) {
  const { rows } = await pool.query<{ at: Date }>(
    `SELECT min(recorded_at) AS at FROM ${schema}.events
      WHERE stream_name = ANY($1::text[]) AND event_type = ANY($2::text[]) GROUP BY stream_name`,
    [runIds.map((runId) => `run-${runId}`), FINAL_EVENTS],
  );
  const ends = rows.map((row) => row.at.getTime());
  const rate = (from: number, to: number) =>
    to > from ? ends.filter((at) => at >= from && at < to).length / ((to - from) / 1000) : Number.NaN;
  return {
    calmPerSecond: rate(phases.calmFrom, phases.faultsFrom || phases.faultsTo),
    faultsPerSecond: rate(phases.faultsFrom, phases.faultsTo),
    calmSeconds: ((phases.faultsFrom || phases.faultsTo) - phases.calmFrom) / 1000,
    faultSeconds: phases.faultsFrom ? (phases.faultsTo - phases.faultsFrom) / 1000 : 0,
  };
}
