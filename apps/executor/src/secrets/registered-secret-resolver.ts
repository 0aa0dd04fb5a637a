import { type SecretBox } from '@spark/service-kit';
import { type Pool } from 'pg';
import { gatewayRow, gatewayTable, TtlLookup } from '../gateway-tables';
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
  return gatewayTable('secrets', env);
}

/**
 * Secrets registered through the gateway (`/api/v1/secrets`), sealed with SPARK_SECRETS_KEY and
 * `secret:<name>` as additional data, remembered for `ttlMs` (a rotation takes effect within seconds).
 */
export class RegisteredSecretResolver implements SecretResolver {
  private readonly lookup: TtlLookup<string>;

  constructor(
    private readonly pool: Pool,
    private readonly table: string,
    private readonly box: SecretBox | undefined,
    ttlMs = 5_000,
    clock: () => number = Date.now,
  ) {
    this.lookup = new TtlLookup((name) => this.read(name), ttlMs, clock);
  }

  resolve(name: string): Promise<string | undefined> {
    return this.lookup.get(name);
  }

  private async read(name: string): Promise<string | undefined> {
    const row = await gatewayRow<SecretRow>(
      this.pool,
      this.table,
      'value_iv, value_cipher, value_tag',
      name,
      'secret',
    );
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
