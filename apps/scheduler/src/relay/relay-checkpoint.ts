import { preparedStatement } from '@spark/postgres';
import { type Pool } from 'pg';

/** Where the relay resumes in the event store's global log. */
export class RelayCheckpoint {
  /** Saved every 100 ms while the relay works: parsed and planned once per connection. */
  private readonly saveStatement: { name: string; text: string };

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly name: string,
  ) {
    this.saveStatement = preparedStatement(
      `INSERT INTO ${schema}.relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
       WHERE ${schema}.relay_checkpoints.position < EXCLUDED.position`,
    );
  }

  async load(): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.schema}.relay_checkpoints WHERE name = $1`,
      [this.name],
    );
    return rows[0] ? BigInt(rows[0].position) : undefined;
  }

  async save(position: bigint): Promise<void> {
    await this.pool.query({ ...this.saveStatement, values: [this.name, position.toString()] });
  }
}
