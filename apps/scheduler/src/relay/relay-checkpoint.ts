import { type Pool } from 'pg';

/** Where the relay resumes in the event store's global log. */
export class RelayCheckpoint {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly name: string,
  ) {}

  async load(): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.schema}.relay_checkpoints WHERE name = $1`,
      [this.name],
    );
    return rows[0] ? BigInt(rows[0].position) : undefined;
  }

  async save(position: bigint): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.relay_checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
       WHERE ${this.schema}.relay_checkpoints.position < EXCLUDED.position`,
      [this.name, position.toString()],
    );
  }
}
