import type { DispatchRateLimit } from '@spark/contracts';
import type { Pool } from 'pg';
import { inTransaction } from '@spark/postgres';

/**
 * A claimed start (`startedAt`, on this process's clock), or how long to wait before asking again (a
 * little less than until the key allows a start: the claim then waits out the rest, see PRECISE_WAIT_MS).
 */
export type StartClaim = { granted: true; startedAt: string } | { granted: false; waitMs: number };

/** Who claims: the attempt (its idempotency key) and its place in line (its token's time, epoch ms). */
export interface Claimer {
  id: string;
  order: number;
}

/** Where rate-limited starts are claimed: PostgreSQL in the service ({@link PgStartClaims}). */
export interface StartClaims {
  /**
   * Claims one start of `rateLimit.key` now if the key allows one and no claimer earlier in line waits.
   * `stamp` is called while the claim is held and names the start's time; the attempt may start once
   * this resolves granted.
   */
  claim(rateLimit: DispatchRateLimit, claimer: Claimer, stamp: () => string): Promise<StartClaim>;
}

/**
 * How long a waiting claimer keeps its place in line after the time it said it would ask again: one
 * that does not come back by then (its executor died, its attempt timed out) no longer holds up the rest.
 */
export const WAITER_EXPIRY_MS = 1000;

/** The claimers waiting for a key, by id: their order and until when they keep their place. */
type Waiting = Record<string, [order: number, until: number]>;

/** The executor's own schema (SPARK_EXECUTOR_SCHEMA, default `executor`). */
export function executorSchema(env: NodeJS.ProcessEnv = process.env): string {
  const schema = env.SPARK_EXECUTOR_SCHEMA ?? 'executor';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_EXECUTOR_SCHEMA="${schema}" is not a valid schema name`);
  return schema;
}

/**
 * A start is granted only when the database's clock, read under the key's row lock, is at least this
 * much past the time its key allows. The 1 ms covers `stamp` reading a millisecond clock that may lag
 * the database's microseconds on the same machine.
 */
const CLOCK_RESOLUTION_MS = 1;

/**
 * A wait this short is waited in the database, holding the key's row, so that a start whose turn is a
 * few ms away starts on time rather than a timer and a round trip late: under a backlog every start
 * waits for the one before, and such lateness would add up from start to start. A longer wait is
 * slept in the executor and ends this much early, to finish here.
 */
export const PRECISE_WAIT_MS = 20;

/** When the next start of a key may be, given its last starts (oldest first, epoch ms). */
export function nextStartAllowed(starts: readonly number[], { limit, perMs }: DispatchRateLimit): number {
  if (starts.length === 0) return Number.NEGATIVE_INFINITY;
  // One every per / limit, as the scheduler hands out tokens (docs/adr/0123), after the last start ...
  const spaced = starts.at(-1)! + perMs / limit;
  // ... and never more than `limit` in any window of `per`, also for steps that name the key with
  // other settings.
  const windowed = starts.length >= limit ? starts[starts.length - limit]! + perMs : spaced;
  return Math.max(spaced, windowed) + CLOCK_RESOLUTION_MS;
}

/**
 * Each key's last `limit` starts in one row (docs/adr/0127). A claim locks the row (an upsert), reads
 * the database's clock, and, if the key allows a start now ({@link nextStartAllowed}), stamps the
 * start and records the database's time after the stamp before it commits. So for any two starts,
 * the later was stamped after a check that saw the earlier's record, which was taken after the
 * earlier's stamp: they are at least as far apart as the key allows, across any number of executors,
 * on the database's clock, whatever lateness came before the claim. The table is made on the first
 * claim, so an executor without rate-limited tasks never touches it.
 */
export class PgStartClaims implements StartClaims {
  private created: Promise<void> | undefined;
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `"${schema}"."rate_limit_starts"`;
  }

  async claim(rateLimit: DispatchRateLimit, me: Claimer, stamp: () => string): Promise<StartClaim> {
    const { key, limit, perMs } = rateLimit;
    await this.ready();
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ now: number; starts: number[]; waiting: Waiting }>(
        `INSERT INTO ${this.table} AS r (key) VALUES ($1)
         ON CONFLICT (key) DO UPDATE SET key = r.key
         RETURNING extract(epoch FROM clock_timestamp()) * 1000 AS now,
                   array(SELECT extract(epoch FROM s) * 1000 FROM unnest(r.starts) s) AS starts,
                   r.waiting`,
        [key],
      );
      let now = Number(rows[0]!.now);
      const bound = nextStartAllowed(rows[0]!.starts.map(Number), rateLimit);
      // The others still waiting (an expired place is dropped), and whether one is ahead of this claimer.
      const others: Waiting = {};
      let ahead = false;
      for (const [id, [order, until]] of Object.entries(rows[0]!.waiting)) {
        if (id === me.id || until <= now) continue;
        others[id] = [order, until];
        if (order < me.order || (order === me.order && id < me.id)) ahead = true;
      }
      if (!ahead && bound > now && bound - now <= PRECISE_WAIT_MS) {
        const slept = await client.query<{ now: number }>(
          `SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now FROM pg_sleep($1::float8 / 1000)`,
          [bound - now],
        );
        now = Number(slept.rows[0]!.now);
      }
      if (ahead || bound > now) {
        // In line: the one ahead takes the next start, this claimer the one after.
        const askAt = ahead ? Math.max(bound, now) + perMs / limit : bound;
        others[me.id] = [me.order, askAt + WAITER_EXPIRY_MS];
        await client.query(`UPDATE ${this.table} SET waiting = $2::jsonb WHERE key = $1`, [
          key,
          JSON.stringify(others),
        ]);
        return { granted: false, waitMs: Math.max(1, Math.ceil(askAt - now - PRECISE_WAIT_MS / 2)) };
      }
      const startedAt = stamp();
      await client.query(
        `UPDATE ${this.table}
            SET starts = (starts || clock_timestamp())[greatest(1, cardinality(starts) + 2 - $2::int):],
                waiting = $3::jsonb
          WHERE key = $1`,
        [key, limit, JSON.stringify(others)],
      );
      return { granted: true, startedAt };
    });
  }

  /**
   * One small table: made here under an advisory lock (so executors starting together do
   * not race on `IF NOT EXISTS`), in a round trip or two, rather than by a migration run in a child
   * process on the first rate-limited start (which would make that start a second late).
   */
  private ready(): Promise<void> {
    this.created ??= this.create().catch((error: unknown) => {
      this.created = undefined;
      throw error;
    });
    return this.created;
  }

  private async create(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`spark-executor:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      // The latest actual starts of each rate-limit key, oldest first, each the database's time when
      // the start was recorded (at most `limit` of them), and the claimers waiting for a start, in
      // line by their tokens' times ({"<idempotency key>": [order, keeps its place until], ...}).
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           key text PRIMARY KEY,
           starts timestamptz[] NOT NULL DEFAULT '{}',
           waiting jsonb NOT NULL DEFAULT '{}'
         )`,
      );
    });
  }
}
