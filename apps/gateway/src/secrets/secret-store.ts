import { SECRET_NAME_PATTERN } from '@spark/contracts';
import { ConflictError, NotFoundError } from '@spark/workflow-domain';
import { type DirectoryPublisher } from '../directory';
import { requireExecutorSealing, requireSecretBox, type SecretBox } from '../sources/secret-box';
import { type GatewayStorage } from '../storage/gateway-storage';

/** A secret as the API shows it: never its value. */
export interface SecretResource {
  name: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
}

interface SecretRow {
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
  value_iv: Buffer;
  value_cipher: Buffer;
  value_tag: Buffer;
  change: string;
}

const toResource = (row: SecretRow): SecretResource => ({
  name: row.name,
  ...(row.description ? { description: row.description } : {}),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** The additional data a secret's value is sealed with (the executor opens it with the same). */
export const secretAdditionalData = (name: string): string => `secret:${name}`;

/**
 * Secrets that http steps reference by name, sealed with AES-256-GCM (SPARK_SECRETS_KEY); every change
 * is published, sealed to the executors' public key, to the `secret-<name>` stream (docs/adr/0134).
 */
export class SecretStore {
  constructor(
    private readonly storage: GatewayStorage,
    private readonly box: SecretBox | undefined,
    private readonly directory: DirectoryPublisher,
  ) {}

  private get table() {
    return this.storage.table('secrets');
  }

  async create(input: { name: string; value: string; description?: string }): Promise<SecretResource> {
    const sealed = this.requireBox().seal(input.value, secretAdditionalData(input.name));
    const { rows } = await this.storage.pool.query<SecretRow>(
      `INSERT INTO ${this.table} (name, description, value_iv, value_cipher, value_tag)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING *`,
      [input.name, input.description ?? null, sealed.iv, sealed.ciphertext, sealed.tag],
    );
    if (!rows[0]) throw new ConflictError(`secret "${input.name}" already exists`, 'SECRET_EXISTS');
    await this.directory.published('secret', rows[0]);
    return toResource(rows[0]);
  }

  /** A new value (rotation) and/or description. */
  async update(name: string, changes: { value?: string; description?: string }): Promise<SecretResource> {
    const sets: string[] = [];
    const values: unknown[] = [this.known(name)];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.value !== undefined) {
      const sealed = this.requireBox().seal(changes.value, secretAdditionalData(name));
      set('value_iv', sealed.iv);
      set('value_cipher', sealed.ciphertext);
      set('value_tag', sealed.tag);
    }
    if (changes.description !== undefined) set('description', changes.description);
    const { rows } = await this.storage.pool.query<SecretRow>(
      `UPDATE ${this.table} SET ${[...sets, 'updated_at = now()', `change = ${this.directory.nextChange}`].join(', ')}
       WHERE name = $1 RETURNING *`,
      values,
    );
    if (!rows[0]) throw new NotFoundError(`secret "${name}" does not exist`);
    await this.directory.published('secret', rows[0]);
    return toResource(rows[0]);
  }

  async get(name: string): Promise<SecretResource> {
    const { rows } = await this.storage.pool.query<SecretRow>(
      `SELECT name, description, created_at, updated_at FROM ${this.table} WHERE name = $1`,
      [this.known(name)],
    );
    if (!rows[0]) throw new NotFoundError(`secret "${name}" does not exist`);
    return toResource(rows[0]);
  }

  async list(): Promise<SecretResource[]> {
    const { rows } = await this.storage.pool.query<SecretRow>(
      `SELECT name, description, created_at, updated_at FROM ${this.table} ORDER BY name`,
    );
    return rows.map(toResource);
  }

  async delete(name: string): Promise<void> {
    const known = this.known(name);
    const removed = await this.storage.inTransaction(async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${this.table} WHERE name = $1`, [known]);
      if (rowCount) await this.directory.removed('secret', known, client);
      return rowCount;
    });
    if (!removed) throw new NotFoundError(`secret "${name}" does not exist`);
  }

  /** A name that cannot exist is not found (and never reaches PostgreSQL, which refuses some bytes). */
  private known(name: string): string {
    if (!SECRET_NAME_PATTERN.test(name)) throw new NotFoundError(`secret "${name}" does not exist`);
    return name;
  }

  private requireBox(): SecretBox {
    requireExecutorSealing(this.directory.canSeal, 'Secrets cannot be stored');
    return requireSecretBox(this.box, 'Secrets cannot be stored');
  }
}
