import { Counter, Gauge, Registry } from 'prom-client';
import { type EventStore } from '@spark/event-store';
import {
  loadCheckpoint,
  PROJECTED_STREAM_PREFIXES,
  PUBLIC_EVENTS_CHECKPOINT,
  READ_MODEL_CHECKPOINT,
} from '@spark/read-model';
import { type Pool } from 'pg';

/** Lag is counted exactly up to this many events (a scrape never reads more). */
export const LAG_COUNT_LIMIT = 10_000;

export interface Lag {
  /** Projected events in the log after the checkpoint (capped at LAG_COUNT_LIMIT). */
  eventsBehind: number;
  /** How long the oldest event not yet applied has been waiting (0 when caught up). */
  secondsBehind: number;
  checkpoint: bigint;
}

/**
 * How far a checkpoint is behind the log, read from the database (so any instance, leader or standby,
 * reports the same) and the event store.
 */
export async function measureLag(
  store: EventStore,
  pool: Pool,
  schema: string,
  checkpointName: string,
  now: Date = new Date(),
): Promise<Lag> {
  const checkpoint = await loadCheckpoint(pool, schema, checkpointName);
  const pending = await store.readAll({
    ...(checkpoint >= 0n ? { fromPosition: checkpoint } : {}),
    maxCount: LAG_COUNT_LIMIT,
  });
  const projected = pending.filter((event) =>
    PROJECTED_STREAM_PREFIXES.some((prefix) => event.streamName.startsWith(prefix)),
  );
  const oldest = projected[0];
  return {
    eventsBehind: projected.length,
    secondsBehind: oldest ? Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000) : 0,
    checkpoint,
  };
}

export const LAGGING_CHECKPOINTS = [READ_MODEL_CHECKPOINT, PUBLIC_EVENTS_CHECKPOINT] as const;

/**
 * Prometheus text exposition of the lag gauges, written by prom-client from a registry of its own per
 * scrape (the lags are measured just before, once for every gauge, not in each gauge's collect).
 */
export async function lagExposition(
  lags: { name: string; lag: Lag }[],
  extra: { leader: boolean; eventsApplied: number },
): Promise<string> {
  const registry = new Registry();
  const perCheckpoint = (name: string, help: string, value: (lag: Lag) => number | bigint) => {
    const gauge = new Gauge({ name, help, labelNames: ['checkpoint'], registers: [registry] });
    for (const { name: checkpoint, lag } of lags) gauge.set({ checkpoint }, Number(value(lag)));
  };
  perCheckpoint(
    'spark_projection_lag_events',
    'Projected events in the event store not yet processed by the checkpoint.',
    (lag) => lag.eventsBehind,
  );
  perCheckpoint(
    'spark_projection_lag_seconds',
    'Age of the oldest event not yet processed by the checkpoint (0 when caught up).',
    (lag) => lag.secondsBehind,
  );
  perCheckpoint(
    'spark_projection_checkpoint_position',
    'Global log position of the checkpoint.',
    (lag) => lag.checkpoint,
  );
  new Gauge({
    name: 'spark_projection_leader',
    help: '1 when this instance runs the projection.',
    registers: [registry],
  }).set(extra.leader ? 1 : 0);
  new Counter({
    name: 'spark_projection_events_applied_total',
    help: 'Events this instance applied to the read model.',
    registers: [registry],
  }).inc(extra.eventsApplied);
  return registry.metrics();
}
