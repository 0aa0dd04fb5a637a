import { type SecretBox } from '@spark/service-kit';
import { type Pool } from 'pg';
import { TaskExecutionError } from '../handlers/task-execution-error';
import type { ResolvedSource, SourceResolver } from './source-resolver';

interface SourceRow {
  base_url: string;
  api_key_iv: Buffer | null;
  api_key_cipher: Buffer | null;
  api_key_tag: Buffer | null;
}

/** The gateway's `sources` table, in its schema (SPARK_GATEWAY_SCHEMA, default `gateway`). */
export function registeredSourcesTable(env: NodeJS.ProcessEnv = process.env): string {
  const schema = env.SPARK_GATEWAY_SCHEMA ?? 'gateway';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_GATEWAY_SCHEMA="${schema}" is not a valid schema name`);
  return `"${schema}"."sources"`;
}

/** PostgreSQL's "relation does not exist": the gateway has not created its tables (yet). */
const UNDEFINED_TABLE = '42P01';

/**
 * Sources registered through the gateway (`/api/v1/sources`), read from its `sources` table and
 * remembered for `ttlMs`, so a changed URL or key takes effect within seconds without a query per task.
 * API keys are sealed with SPARK_SECRETS_KEY (AES-256-GCM, the source name as additional data): the
 * executor needs the same key as the gateway to call a source that has one.
 */
export class RegisteredSourceResolver implements SourceResolver {
  private readonly cache = new Map<string, { until: number; source: ResolvedSource | undefined }>();

  constructor(
    private readonly pool: Pool,
    private readonly table: string,
    private readonly box: SecretBox | undefined,
    private readonly ttlMs = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async resolve(name: string): Promise<ResolvedSource | undefined> {
    const cached = this.cache.get(name);
    if (cached && cached.until > this.clock()) return cached.source;
    const source = await this.read(name);
    this.cache.set(name, { until: this.clock() + this.ttlMs, source });
    return source;
  }

  private async read(name: string): Promise<ResolvedSource | undefined> {
    let rows: SourceRow[];
    try {
      ({ rows } = await this.pool.query<SourceRow>(
        `SELECT base_url, api_key_iv, api_key_cipher, api_key_tag FROM ${this.table} WHERE name = $1`,
        [name],
      ));
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
      throw TaskExecutionError.retryable(
        'SOURCE_LOOKUP_FAILED',
        `could not read source "${name}": ${(error as Error).message}`,
      );
    }
    const row = rows[0];
    if (!row) return undefined;
    if (!row.api_key_cipher || !row.api_key_iv || !row.api_key_tag) return { baseUrl: row.base_url };
    if (!this.box)
      throw TaskExecutionError.nonRetryable(
        'SOURCE_KEY_UNREADABLE',
        `source "${name}" has an API key, but this executor has no SPARK_SECRETS_KEY to decrypt it`,
      );
    const apiKey = this.box.open(
      { iv: row.api_key_iv, ciphertext: row.api_key_cipher, tag: row.api_key_tag },
      name,
    );
    return { baseUrl: row.base_url, apiKey };
  }
}
