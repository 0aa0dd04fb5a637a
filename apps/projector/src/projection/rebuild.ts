import { type EventStore, type RecordedEvent } from '@spark/event-store';
import {
  assertSchemaName,
  loadCheckpoint,
  migrateReadModel,
  PROJECTED_STREAM_PREFIXES,
  ProjectionApplier,
  PUBLIC_EVENTS_CHECKPOINT,
} from '@spark/read-model';
import { type Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';

const PAGE = 1000;

export interface RebuildOptions {
  store: EventStore;
  pool: Pool;
  pgUrl: string;
  /** The live schema to replace. */
  schema: string;
  logger: Logger;
  /** Keep the replaced schema as `<schema>_old_<stamp>` instead of dropping it. */
  keepOld?: boolean;
  /** For tests: a fixed suffix of the temporary schema names. */
  stamp?: string;
}

export interface RebuildResult {
  events: number;
  position: bigint;
  retiredSchema?: string;
}

/**
 * Replays the log from position 0 into fresh tables in a new schema, then swaps it in (docs/adr/0051).
 * The swap is one transaction: it locks the live checkpoint table (a running projector's next batch
 * waits on it, since a batch starts with its checkpoint compare-and-set), applies what arrived during the
 * replay, carries over the public-events checkpoint (nothing is re-published) and renames the schemas.
 * The live projector's blocked batch then finds the checkpoint moved, reloads it and carries on.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { store, pool, pgUrl, schema, logger } = options;
  const stamp = options.stamp ?? new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const fresh = `${schema}_rebuild_${stamp}`.slice(0, 48);
  const retired = `${schema}_old_${stamp}`.slice(0, 48);
  assertSchemaName(fresh);
  assertSchemaName(retired);
  await pool.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
  await migrateReadModel({ connection: pgUrl, schema: fresh });
  const applier = new ProjectionApplier(pool, fresh);
  logger.info({ schema: fresh }, 'rebuild: replaying the event store from position 0');

  let events = 0;
  let position = -1n;
  // Replay outside the swap transaction: the live read model keeps serving.
  for (;;) {
    const page = await readPage(store, position);
    if (page.all.length === 0) break;
    if (page.projected.length > 0) {
      position = (await applier.applyBatch(page.projected, await applier.loadCheckpoint())).position;
      events += page.projected.length;
    }
    position = page.all.at(-1)!.position;
  }
  logger.info({ events }, 'rebuild: replay done; swapping');

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const live = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
    if (live.rowCount) {
      await client.query(`LOCK TABLE ${schema}.projection_checkpoints IN ACCESS EXCLUSIVE MODE`);
      events += await catchUpIn(client, applier, store, position);
      const published = await loadCheckpoint(client, schema, PUBLIC_EVENTS_CHECKPOINT);
      await client.query(`UPDATE ${fresh}.projection_checkpoints SET position = $2 WHERE name = $1`, [
        PUBLIC_EVENTS_CHECKPOINT,
        published.toString(),
      ]);
      await client.query(`ALTER SCHEMA ${schema} RENAME TO ${retired}`);
    } else {
      events += await catchUpIn(client, applier, store, position);
    }
    await client.query(`ALTER SCHEMA ${fresh} RENAME TO ${schema}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`).catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const finalPosition = await loadCheckpoint(pool, schema, 'read-model');
  if (!options.keepOld) await pool.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
  logger.info({ events, position: finalPosition.toString() }, 'rebuild: swapped in');
  return { events, position: finalPosition, ...(options.keepOld ? { retiredSchema: retired } : {}) };
}

async function readPage(store: EventStore, after: bigint) {
  const all = await store.readAll({ ...(after >= 0n ? { fromPosition: after } : {}), maxCount: PAGE });
  const projected = all.filter((event: RecordedEvent) =>
    PROJECTED_STREAM_PREFIXES.some((prefix) => event.streamName.startsWith(prefix)),
  );
  return { all, projected };
}

/** The events appended during the replay, applied inside the swap transaction. */
async function catchUpIn(
  client: PoolClient,
  applier: ProjectionApplier,
  store: EventStore,
  from: bigint,
): Promise<number> {
  let position = from;
  let events = 0;
  for (;;) {
    const page = await readPage(store, position);
    if (page.all.length === 0) return events;
    if (page.projected.length > 0) {
      const expected = await loadCheckpoint(client, applier.schema, 'read-model');
      await applier.applyBatchIn(client, page.projected, expected);
      events += page.projected.length;
    }
    position = page.all.at(-1)!.position;
  }
}
