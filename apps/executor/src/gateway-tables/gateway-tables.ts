import { LRUCache } from 'lru-cache';
import { type Pool } from 'pg';
import { TaskExecutionError } from '../handlers/task-execution-error';

/** A table of the gateway's, in its schema (SPARK_GATEWAY_SCHEMA, default `gateway`). */
export function gatewayTable(table: string, env: NodeJS.ProcessEnv = process.env): string {
  const schema = env.SPARK_GATEWAY_SCHEMA ?? 'gateway';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_GATEWAY_SCHEMA="${schema}" is not a valid schema name`);
  return `"${schema}"."${table}"`;
}

/** PostgreSQL's "relation does not exist": the gateway has not created its tables (yet). */
const UNDEFINED_TABLE = '42P01';

/**
 * The row named `name` of a gateway table, or undefined (also while the table does not exist yet). A
 * failed query is a retryable `<WHAT>_LOOKUP_FAILED` of the attempt.
 */
export async function gatewayRow<Row extends object>(
  pool: Pool,
  table: string,
  columns: string,
  name: string,
  what: 'source' | 'secret',
): Promise<Row | undefined> {
  try {
    const { rows } = await pool.query<Row>(`SELECT ${columns} FROM ${table} WHERE name = $1`, [name]);
    return rows[0];
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
    throw TaskExecutionError.retryable(
      `${what.toUpperCase()}_LOOKUP_FAILED`,
      `could not read ${what} "${name}": ${(error as Error).message}`,
    );
  }
}

/**
 * Values by name, each remembered for `ttlMs` after it was read, so a change made through the gateway
 * takes effect within seconds without a query per task. A read that throws is not remembered.
 */
export class TtlLookup<T> {
  // The expiry is kept with the value rather than in lru-cache's ttl, which takes a clock at 0 for "no
  // start time" (test clocks start there); lru-cache bounds the names. Boxed: it does not store undefined.
  private readonly cache: LRUCache<string, { until: number; value: T | undefined }>;

  constructor(
    private readonly read: (name: string) => Promise<T | undefined>,
    private readonly ttlMs: number,
    private readonly clock: () => number,
    maxEntries = 10_000,
  ) {
    this.cache = new LRUCache({ max: maxEntries });
  }

  async get(name: string): Promise<T | undefined> {
    const cached = this.cache.get(name);
    if (cached && cached.until > this.clock()) return cached.value;
    const value = await this.read(name);
    this.cache.set(name, { until: this.clock() + this.ttlMs, value });
    return value;
  }
}
