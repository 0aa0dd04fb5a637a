import { type SecretBox } from '@spark/service-kit';
import { type Pool } from 'pg';
import { gatewayRow, gatewayTable, TtlLookup } from '../gateway-tables';
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
  return gatewayTable('sources', env);
}

/**
 * Sources registered through the gateway (`/api/v1/sources`), read from its `sources` table and
 * remembered for `ttlMs`, so a changed URL or key takes effect within seconds without a query per task.
 * API keys are sealed with SPARK_SECRETS_KEY (AES-256-GCM, the source name as additional data): the
 * executor needs the same key as the gateway to call a source that has one.
 */
export class RegisteredSourceResolver implements SourceResolver {
  private readonly lookup: TtlLookup<ResolvedSource>;

  constructor(
    private readonly pool: Pool,
    private readonly table: string,
    private readonly box: SecretBox | undefined,
    ttlMs = 5_000,
    clock: () => number = Date.now,
  ) {
    this.lookup = new TtlLookup((name) => this.read(name), ttlMs, clock);
  }

  resolve(name: string): Promise<ResolvedSource | undefined> {
    return this.lookup.get(name);
  }

  private async read(name: string): Promise<ResolvedSource | undefined> {
    const row = await gatewayRow<SourceRow>(
      this.pool,
      this.table,
      'base_url, api_key_iv, api_key_cipher, api_key_tag',
      name,
      'source',
    );
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
