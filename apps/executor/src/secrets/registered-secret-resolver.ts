import { type SecretBox } from '@spark/service-kit';
import { type Pool } from 'pg';
import { TaskExecutionError } from '../handlers/task-execution-error';

/** Secrets by name, for header references of http steps (`{ "secret": "<name>" }`). */
export interface SecretResolver {
  /** The value, or undefined when no such secret is registered. */
  resolve(name: string): Promise<string | undefined>;
}

interface SecretRow {
  value_iv: Buffer;
  value_cipher: Buffer;
  value_tag: Buffer;
}

/** The gateway's `secrets` table, in its schema (SPARK_GATEWAY_SCHEMA, default `gateway`). */
export function registeredSecretsTable(env: NodeJS.ProcessEnv = process.env): string {
  const schema = env.SPARK_GATEWAY_SCHEMA ?? 'gateway';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_GATEWAY_SCHEMA="${schema}" is not a valid schema name`);
  return `"${schema}"."secrets"`;
}

const UNDEFINED_TABLE = '42P01';

/**
 * Secrets registered through the gateway (`/api/v1/secrets`), sealed with SPARK_SECRETS_KEY and
 * `secret:<name>` as additional data, remembered for `ttlMs` (a rotation takes effect within seconds).
 */
export class RegisteredSecretResolver implements SecretResolver {
  private readonly cache = new Map<string, { until: number; value: string | undefined }>();

  constructor(
    private readonly pool: Pool,
    private readonly table: string,
    private readonly box: SecretBox | undefined,
    private readonly ttlMs = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async resolve(name: string): Promise<string | undefined> {
    const cached = this.cache.get(name);
    if (cached && cached.until > this.clock()) return cached.value;
    const value = await this.read(name);
    this.cache.set(name, { until: this.clock() + this.ttlMs, value });
    return value;
  }

  private async read(name: string): Promise<string | undefined> {
    let rows: SecretRow[];
    try {
      ({ rows } = await this.pool.query<SecretRow>(
        `SELECT value_iv, value_cipher, value_tag FROM ${this.table} WHERE name = $1`,
        [name],
      ));
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
      throw TaskExecutionError.retryable(
        'SECRET_LOOKUP_FAILED',
        `could not read secret "${name}": ${(error as Error).message}`,
      );
    }
    const row = rows[0];
    if (!row) return undefined;
    if (!this.box)
      throw TaskExecutionError.nonRetryable(
        'SECRET_UNREADABLE',
        `secret "${name}" is registered, but this executor has no SPARK_SECRETS_KEY to decrypt it`,
      );
    return this.box.open(
      { iv: row.value_iv, ciphertext: row.value_cipher, tag: row.value_tag },
      `secret:${name}`,
    );
  }
}
