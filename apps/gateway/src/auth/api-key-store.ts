import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ApiKeyResource, type ApiScope, type CreatedApiKey } from '@spark/contracts';
import { type GatewayStorage } from '../storage/gateway-storage';

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new bearer token: `spk_` and 32 random bytes in base64url. */
export const newApiKey = (): string => `spk_${randomBytes(32).toString('base64url')}`;

const prefixOf = (key: string): string => key.slice(0, 8);

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: ApiScope[];
  prefix: string;
  created_at: Date;
}

const toResource = (row: ApiKeyRow): ApiKeyResource => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
});

/** API keys, stored as SHA-256 hashes: a leaked table does not leak usable keys. */
export class ApiKeyStore {
  constructor(private readonly storage: GatewayStorage) {}

  private get table() {
    return this.storage.table('api_keys');
  }

  /** The bootstrap key from the environment, registered (by hash) as an admin key; idempotent. */
  async ensureBootstrapKey(key: string): Promise<void> {
    await this.storage.pool.query(
      `INSERT INTO ${this.table} (id, name, key_hash, prefix, scopes) VALUES ($1, 'bootstrap', $2, $3, $4)
       ON CONFLICT (key_hash) DO NOTHING`,
      [randomUUID(), hashApiKey(key), prefixOf(key), ['admin']],
    );
  }

  async create(name: string, scopes: ApiScope[]): Promise<CreatedApiKey> {
    const key = newApiKey();
    const { rows } = await this.storage.pool.query<ApiKeyRow>(
      `INSERT INTO ${this.table} (id, name, key_hash, prefix, scopes) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, scopes, prefix, created_at`,
      [randomUUID(), name, hashApiKey(key), prefixOf(key), scopes],
    );
    return { ...toResource(rows[0]!), key };
  }

  async list(): Promise<ApiKeyResource[]> {
    const { rows } = await this.storage.pool.query<ApiKeyRow>(
      `SELECT id, name, scopes, prefix, created_at FROM ${this.table} WHERE revoked_at IS NULL ORDER BY created_at`,
    );
    return rows.map(toResource);
  }

  /** Revokes a key; false when there is no such (unrevoked) key. */
  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.storage.pool.query(
      `UPDATE ${this.table} SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The key's record when the token is a live key. */
  async authenticate(token: string): Promise<ApiKeyResource | undefined> {
    const { rows } = await this.storage.pool.query<ApiKeyRow>(
      `SELECT id, name, scopes, prefix, created_at FROM ${this.table} WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(token)],
    );
    return rows[0] ? toResource(rows[0]) : undefined;
  }
}
