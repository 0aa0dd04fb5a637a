import { type SourceKind, type SourceResource } from '@spark/contracts';
import { ConflictError, NotFoundError } from '@spark/workflow-domain';
import { type DirectoryPublisher } from '../directory';
import { type GatewayStorage } from '../storage/gateway-storage';
import { requireExecutorSealing, requireSecretBox, type SecretBox } from './secret-box';

export interface SourceInput {
  name: string;
  kind: SourceKind;
  baseUrl: string;
  description?: string;
  /** Write-only; `null` removes it. */
  apiKey?: string | null;
}

interface SourceRow {
  name: string;
  kind: SourceKind;
  base_url: string;
  description: string | null;
  api_key_cipher: Buffer | null;
  api_key_iv: Buffer | null;
  api_key_tag: Buffer | null;
  created_at: Date;
  updated_at: Date;
  change: string;
}

const toResource = (row: SourceRow): SourceResource => ({
  name: row.name,
  kind: row.kind,
  baseUrl: row.base_url,
  hasApiKey: row.api_key_cipher !== null,
  ...(row.description ? { description: row.description } : {}),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/**
 * LangFlow and agent servers, their API keys sealed with AES-256-GCM (SPARK_SECRETS_KEY); every change
 * is published to the executors' `source-<name>` stream (docs/adr/0134).
 */
export class SourceStore {
  constructor(
    private readonly storage: GatewayStorage,
    private readonly box: SecretBox | undefined,
    private readonly directory: DirectoryPublisher,
  ) {}

  private get table() {
    return this.storage.table('sources');
  }

  async create(input: SourceInput): Promise<SourceResource> {
    const sealed = this.seal(input.name, input.apiKey);
    const { rows } = await this.storage.pool.query<SourceRow>(
      `INSERT INTO ${this.table} (name, kind, base_url, description, api_key_iv, api_key_cipher, api_key_tag)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING *`,
      [
        input.name,
        input.kind,
        input.baseUrl,
        input.description ?? null,
        sealed?.iv ?? null,
        sealed?.ciphertext ?? null,
        sealed?.tag ?? null,
      ],
    );
    if (!rows[0]) throw new ConflictError(`source "${input.name}" already exists`, 'SOURCE_EXISTS');
    await this.directory.published('source', rows[0]);
    return toResource(rows[0]);
  }

  async update(name: string, changes: Partial<Omit<SourceInput, 'name'>>): Promise<SourceResource> {
    const sets: string[] = [];
    const values: unknown[] = [name];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.kind !== undefined) set('kind', changes.kind);
    if (changes.baseUrl !== undefined) set('base_url', changes.baseUrl);
    if (changes.description !== undefined) set('description', changes.description);
    if (changes.apiKey !== undefined) {
      const sealed = this.seal(name, changes.apiKey);
      set('api_key_iv', sealed?.iv ?? null);
      set('api_key_cipher', sealed?.ciphertext ?? null);
      set('api_key_tag', sealed?.tag ?? null);
    }
    const { rows } = await this.storage.pool.query<SourceRow>(
      `UPDATE ${this.table} SET ${[...sets, 'updated_at = now()', `change = ${this.directory.nextChange}`].join(', ')}
       WHERE name = $1 RETURNING *`,
      values,
    );
    if (!rows[0]) throw new NotFoundError(`source "${name}" does not exist`);
    await this.directory.published('source', rows[0]);
    return toResource(rows[0]);
  }

  async get(name: string): Promise<SourceResource> {
    return toResource(await this.row(name));
  }

  async list(): Promise<SourceResource[]> {
    const { rows } = await this.storage.pool.query<SourceRow>(`SELECT * FROM ${this.table} ORDER BY name`);
    return rows.map(toResource);
  }

  async delete(name: string): Promise<void> {
    const removed = await this.storage.inTransaction(async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${this.table} WHERE name = $1`, [name]);
      if (rowCount) await this.directory.removed('source', name, client);
      return rowCount;
    });
    if (!removed) throw new NotFoundError(`source "${name}" does not exist`);
  }

  /** The decrypted API key, for services that call the source (never returned by the REST API). */
  async revealApiKey(name: string): Promise<string | undefined> {
    const row = await this.row(name);
    if (!row.api_key_cipher || !row.api_key_iv || !row.api_key_tag) return undefined;
    return this.requireBox().open(
      { iv: row.api_key_iv, ciphertext: row.api_key_cipher, tag: row.api_key_tag },
      name,
    );
  }

  private async row(name: string): Promise<SourceRow> {
    const { rows } = await this.storage.pool.query<SourceRow>(`SELECT * FROM ${this.table} WHERE name = $1`, [
      name,
    ]);
    if (!rows[0]) throw new NotFoundError(`source "${name}" does not exist`);
    return rows[0];
  }

  private seal(name: string, apiKey: string | null | undefined) {
    if (apiKey === undefined || apiKey === null) return undefined;
    requireExecutorSealing(this.directory.canSeal, 'Source API keys cannot be stored');
    return this.requireBox().seal(apiKey, name);
  }

  private requireBox(): SecretBox {
    return requireSecretBox(this.box, 'Source API keys cannot be stored');
  }
}
