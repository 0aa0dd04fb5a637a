import path from 'node:path';
import type { DispatchRateLimit } from '@spark/contracts';
import { runPostgresMigrations } from '@spark/postgres';
import type { Pool } from 'pg';

/** A claimed start (`startedAt`, on this process's clock), or how long to wait before asking again. */
export type StartClaim = { granted: true; startedAt: string } | { granted: false; waitMs: number };

/** Where rate-limited starts are claimed: PostgreSQL in the service ({@link PgStartClaims}). */
export interface StartClaims {
  /**
   * Claims one start of `rateLimit.key` now if the key's window has room. `stamp` is called while the
   * claim is held and names the start's time; the attempt may start once this resolves granted.
   */
  claim(rateLimit: DispatchRateLimit, stamp: () => string): Promise<StartClaim>;
}

/** The executor's own schema (SPARK_EXECUTOR_SCHEMA, default `executor`). */
export function executorSchema(env: NodeJS.ProcessEnv = process.env): string {
  const schema = env.SPARK_EXECUTOR_SCHEMA ?? 'executor';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_EXECUTOR_SCHEMA="${schema}" is not a valid schema name`);
  return schema;
}

/**
 * A start is granted only when the database's clock, read under the key's row lock, is at least this
 * much past the time `per` after the start `limit` starts back. The 1 ms covers `stamp` reading a
 * millisecond clock that may lag the database's microseconds on the same machine.
 */
const CLOCK_RESOLUTION_MS = 1;

/**
 * Each key's last `limit` starts in one row (docs/adr/0127). A claim locks the row (an upsert), reads
 * the database's clock, and, if the start `limit` back is at least `per` old, stamps the start and
 * records the database's time after the stamp before it commits. So for any two starts `limit` apart,
 * the later was stamped after a check that saw the earlier's record, which was taken after the
 * earlier's stamp: they are at least `per` apart, across any number of executors on one clock (the
 * database's), whatever lateness came before the claim. The table is made on the first claim, so an
 * executor without rate-limited tasks never touches it.
 */
export class PgStartClaims implements StartClaims {
  private migrated: Promise<void> | undefined;
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly pgUrl: string,
    private readonly schema: string,
  ) {
    this.table = `"${schema}"."rate_limit_starts"`;
  }

  async claim({ key, limit, perMs }: DispatchRateLimit, stamp: () => string): Promise<StartClaim> {
    await this.ready();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ now: number; starts: number[] }>(
        `INSERT INTO ${this.table} AS r (key) VALUES ($1)
         ON CONFLICT (key) DO UPDATE SET key = r.key
         RETURNING extract(epoch FROM clock_timestamp()) * 1000 AS now,
                   array(SELECT extract(epoch FROM s) * 1000 FROM unnest(r.starts) s) AS starts`,
        [key],
      );
      const now = Number(rows[0]!.now);
      const starts = rows[0]!.starts.map(Number);
      const bound = starts.length >= limit ? starts[starts.length - limit]! + perMs + CLOCK_RESOLUTION_MS : 0;
      if (bound > now) {
        await client.query('ROLLBACK');
        return { granted: false, waitMs: Math.ceil(bound - now) };
      }
      const startedAt = stamp();
      await client.query(
        `UPDATE ${this.table}
            SET starts = (starts || clock_timestamp())[greatest(1, cardinality(starts) + 2 - $2::int):]
          WHERE key = $1`,
        [key, limit],
      );
      await client.query('COMMIT');
      return { granted: true, startedAt };
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-claim is not reused.
      client.release(broken);
    }
  }

  private ready(): Promise<void> {
    this.migrated ??= runPostgresMigrations({
      connection: this.pgUrl,
      schema: this.schema,
      dir: path.join(__dirname, '../migrations'),
    }).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }
}
