import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPgPool, pgUrlFromEnv } from './pool';

// Runs against the real PostgreSQL of tools/stack (SPARK_PG_URL).
describe('PostgreSQL of the local stack', () => {
  const pool = createPgPool(pgUrlFromEnv(), 'read-model-int-test');
  const schema = `it_${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(
      `CREATE TABLE ${schema}.runs (id uuid PRIMARY KEY, status text NOT NULL, input jsonb NOT NULL)`,
    );
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('writes rows in a transaction and reads them back', async () => {
    const ids = [randomUUID(), randomUUID()];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const id of ids) {
        await client.query(`INSERT INTO ${schema}.runs (id, status, input) VALUES ($1, 'PENDING', $2)`, [
          id,
          { id },
        ]);
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const { rows } = await pool.query<{ id: string; status: string; input: { id: string } }>(
      `SELECT id, status, input FROM ${schema}.runs ORDER BY id`,
    );
    expect(rows).toEqual([...ids].sort().map((id) => ({ id, status: 'PENDING', input: { id } })));
  });

  it('leaves nothing behind when a transaction rolls back', async () => {
    const id = randomUUID();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${schema}.runs (id, status, input) VALUES ($1, 'PENDING', '{}')`, [id]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const { rowCount } = await pool.query(`SELECT 1 FROM ${schema}.runs WHERE id = $1`, [id]);
    expect(rowCount).toBe(0);
  });

  it('outlives the server ending an idle connection (a restart, fast shutdown): it drops it and opens another', async () => {
    // Found by bench/chaos: an idle client's error became an unhandled 'error' event on the pool, and
    // the PostgreSQL restart killed the scheduler and the projector with it.
    const single = createPgPool(pgUrlFromEnv(), 'read-model-int-idle', 1);
    try {
      const before = await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = before.rows[0]!.pid;
      const admin = new Client({ connectionString: pgUrlFromEnv() });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.end();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(after.rows[0]!.pid).not.toBe(pid);
    } finally {
      await single.end();
    }
  });

  it('outlives the server ending a connection that is checked out between two queries', async () => {
    // Found by bench/chaos: a projector died of an unhandled 'error' event on a checked-out Client
    // during a PostgreSQL fast restart.
    const single = createPgPool(pgUrlFromEnv(), 'read-model-int-checked-out', 1);
    try {
      const client = await single.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const admin = new Client({ connectionString: pgUrlFromEnv() });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      const after = await single.query<{ one: number }>('SELECT 1 AS one');
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await single.end();
    }
  });
});
