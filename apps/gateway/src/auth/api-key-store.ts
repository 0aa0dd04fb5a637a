import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ApiKeyResource, type ApiScope, type CreatedApiKey } from '@spark/contracts';
import { LRUCache } from 'lru-cache';
import { type Pool } from 'pg';

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

/** Where the keys live: the gateway's pool and schema (GatewayStorage, or the recovery command's own). */
export interface ApiKeyDatabase {
  readonly pool: Pool;
  table(name: string): string;
}

/** What became of the bootstrap key at start-up. */
export type BootstrapKeyState = 'registered' | 'active' | 'revoked';

export type RevokeOutcome =
  { revoked: true } | { revoked: false; reason: 'NOT_FOUND' | 'SELF_REVOCATION' | 'LAST_ADMIN_KEY' };

/**
 * How long a gateway trusts a key it has checked: every request would otherwise cost a database round
 * trip. A key revoked through this gateway stops working at once; through another one, within this time.
 */
export const AUTHENTICATED_KEY_TTL_MS = 5000;

/** API keys, stored as SHA-256 hashes: a leaked table does not leak usable keys. */
export class ApiKeyStore {
  /** Live keys by hash (unknown and revoked tokens are never cached: a new key works at once). */
  private readonly authenticated = new LRUCache<string, ApiKeyResource>({
    max: 10_000,
    ttl: AUTHENTICATED_KEY_TTL_MS,
  });

  constructor(private readonly db: ApiKeyDatabase) {}

  private get table() {
    return this.db.table('api_keys');
  }

  /**
   * The bootstrap key from the environment, registered (by hash) as an admin key the first time the
   * gateway sees it. Revocation is final: a revoked bootstrap key stays revoked across restarts (it is
   * reported, not revived); `tools/admin-key` issues a new admin key to whoever can reach the database.
   */
  async ensureBootstrapKey(key: string): Promise<BootstrapKeyState> {
    const { rows } = await this.db.pool.query<{ revoked: boolean; inserted: boolean }>(
      `WITH inserted AS (
         INSERT INTO ${this.table} (id, name, key_hash, prefix, scopes) VALUES ($1, 'bootstrap', $2, $3, $4)
         ON CONFLICT (key_hash) DO NOTHING RETURNING id)
       SELECT true AS inserted, false AS revoked FROM inserted
       UNION ALL
       SELECT false, revoked_at IS NOT NULL FROM ${this.table} WHERE key_hash = $2`,
      [randomUUID(), hashApiKey(key), prefixOf(key), ['admin']],
    );
    if (rows.some((row) => row.inserted)) return 'registered';
    return rows[0]?.revoked ? 'revoked' : 'active';
  }

  async create(name: string, scopes: ApiScope[]): Promise<CreatedApiKey> {
    const key = newApiKey();
    const { rows } = await this.db.pool.query<ApiKeyRow>(
      `INSERT INTO ${this.table} (id, name, key_hash, prefix, scopes) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, scopes, prefix, created_at`,
      [randomUUID(), name, hashApiKey(key), prefixOf(key), scopes],
    );
    return { ...toResource(rows[0]!), key };
  }

  async list(): Promise<ApiKeyResource[]> {
    const { rows } = await this.db.pool.query<ApiKeyRow>(
      `SELECT id, name, scopes, prefix, created_at FROM ${this.table} WHERE revoked_at IS NULL ORDER BY created_at`,
    );
    return rows.map(toResource);
  }

  /**
   * Revokes a live key, unless it is the key making the request (`actingKeyId`) and that was not
   * confirmed (`self`), or it is the last live admin key (the installation would be locked out). The
   * live admin keys are locked while deciding, so two admins revoking each other cannot both succeed.
   */
  async revoke(id: string, actingKeyId: string | undefined, self: boolean): Promise<RevokeOutcome> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; scopes: ApiScope[] }>(
        `SELECT id, scopes FROM ${this.table} WHERE revoked_at IS NULL AND (id = $1 OR 'admin' = ANY(scopes))
         ORDER BY id FOR UPDATE`,
        [id],
      );
      const target = rows.find((row) => row.id === id);
      const outcome: RevokeOutcome = !target
        ? { revoked: false, reason: 'NOT_FOUND' }
        : id === actingKeyId && !self
          ? { revoked: false, reason: 'SELF_REVOCATION' }
          : target.scopes.includes('admin') && rows.filter((row) => row.scopes.includes('admin')).length === 1
            ? { revoked: false, reason: 'LAST_ADMIN_KEY' }
            : { revoked: true };
      if (outcome.revoked)
        await client.query(`UPDATE ${this.table} SET revoked_at = now() WHERE id = $1`, [id]);
      await client.query('COMMIT');
      if (outcome.revoked) this.authenticated.clear();
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** How many live keys have the admin scope. */
  async activeAdminCount(): Promise<number> {
    const { rows } = await this.db.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.table} WHERE revoked_at IS NULL AND 'admin' = ANY(scopes)`,
    );
    return Number(rows[0]!.count);
  }

  /** The key's record when the token is a live key. */
  async authenticate(token: string): Promise<ApiKeyResource | undefined> {
    const hash = hashApiKey(token);
    const cached = this.authenticated.get(hash);
    if (cached) return cached;
    const { rows } = await this.db.pool.query<ApiKeyRow>(
      `SELECT id, name, scopes, prefix, created_at FROM ${this.table} WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    const key = rows[0] ? toResource(rows[0]) : undefined;
    if (key) this.authenticated.set(hash, key);
    return key;
  }
}
