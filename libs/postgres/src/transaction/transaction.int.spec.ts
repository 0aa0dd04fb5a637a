import { randomUUID } from 'node:crypto';
import { createPgPool, pgUrlFromEnv } from '../pool';
import { inTransaction } from './transaction';

// Runs against the real PostgreSQL of tools/stack (SPARK_PG_URL).
describe('inTransaction', () => {
  const pool = createPgPool(pgUrlFromEnv(), 'transaction-int-test');
  const schema = `it_${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.rows (id text PRIMARY KEY)`);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  const ids = async () => (await pool.query(`SELECT id FROM ${schema}.rows ORDER BY id`)).rows;

  it('commits what the work wrote when it returns, and rolls all of it back when it throws', async () => {
    await expect(
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO ${schema}.rows VALUES ('kept')`);
        return 'done';
      }),
    ).resolves.toBe('done');
    await expect(
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO ${schema}.rows VALUES ('undone')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await ids()).toEqual([{ id: 'kept' }]);
    // The pool still works after a failed transaction.
    await inTransaction(pool, (client) => client.query(`INSERT INTO ${schema}.rows VALUES ('after')`));
    expect(await ids()).toEqual([{ id: 'after' }, { id: 'kept' }]);
  });
});
