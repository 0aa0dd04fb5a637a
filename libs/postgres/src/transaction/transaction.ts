import { type Pool, type PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on a connection of `pool`: committed when it returns, rolled back
 * when it throws. A connection that failed in the middle is discarded, not handed back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = error as Error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}
