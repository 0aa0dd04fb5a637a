import { randomUUID } from 'node:crypto';
import { createPgPool, pgUrlFromEnv } from '../pool';
import { inlineValues, runStatements } from './statements';

// Runs against the real PostgreSQL of tools/stack (SPARK_PG_URL).
describe('runStatements: several statements in one round trip', () => {
  const pool = createPgPool(pgUrlFromEnv(), 'statements-int-test');
  const schema = `it_${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.rows (id text PRIMARY KEY, n integer NOT NULL)`);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  const awkward = [
    "it's",
    'back\\slash \\n and "quotes"',
    '$1 $2 $$ $tag$ inside a value',
    'emoji 🎉, CJK 漢字, NUL-free control \t\r\n',
    '',
  ];

  it('reads inlined values back exactly as the same values sent as parameters', async () => {
    const select = {
      text: `SELECT $1::text AS a, $2::text[] AS b, $3::jsonb AS c, $4::bigint::text AS d, $5::boolean AS e,
                    $6::timestamptz AS f, $7::int AS g, $8::text AS h, $9::jsonb[] AS i`,
      values: [
        awkward[0],
        awkward,
        JSON.stringify({ text: awkward[2], nested: { list: [1, null, 'x"y'] } }),
        (2n ** 62n).toString(),
        true,
        new Date('2026-12-02T01:02:03.456Z'),
        -42,
        null,
        [JSON.stringify({ a: "b'c" }), null],
      ],
    };
    const client = await pool.connect();
    try {
      const [, inlined] = await runStatements(client, [{ text: 'SELECT 1' }, select]);
      const asParameters = await client.query(select.text, select.values);
      expect(inlined!.rows).toEqual(asParameters.rows);
      expect(inlined!.rows[0].b).toEqual(awkward);
    } finally {
      client.release();
    }
  });

  it('stops at the first failing statement inside a transaction, and the rollback undoes all of it', async () => {
    const client = await pool.connect();
    try {
      await expect(
        runStatements(client, [
          { text: 'BEGIN' },
          { text: `INSERT INTO ${schema}.rows VALUES ($1, $2)`, values: ['a', 1] },
          { text: `INSERT INTO ${schema}.rows VALUES ($1, $2)`, values: ['a', 2] },
          { text: `INSERT INTO ${schema}.rows VALUES ($1, $2)`, values: ['b', 3] },
        ]),
      ).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await pool.query(`SELECT * FROM ${schema}.rows`)).rows).toEqual([]);
  });

  it('runs statements outside a transaction as one implicit transaction', async () => {
    const client = await pool.connect();
    try {
      await expect(
        runStatements(client, [
          { text: `INSERT INTO ${schema}.rows VALUES ($1, $2)`, values: ['c', 1] },
          { text: `INSERT INTO ${schema}.rows VALUES ($1, $2)`, values: ['c', 2] },
        ]),
      ).rejects.toThrow(/duplicate key/);
      const results = await runStatements(client, [
        { text: `INSERT INTO ${schema}.rows VALUES ($1, $2)`, values: ['d', 1] },
        { text: `UPDATE ${schema}.rows SET n = n + $1 WHERE id = $2`, values: [10, 'd'] },
        { text: `SELECT id, n FROM ${schema}.rows ORDER BY id` },
      ]);
      expect(results.map((result) => result.rowCount)).toEqual([1, 1, 1]);
      expect(results[2]!.rows).toEqual([{ id: 'd', n: 11 }]);
    } finally {
      client.release();
    }
  });

  it('refuses a parameter number without a value, and binary values', () => {
    expect(() => inlineValues({ text: 'SELECT $1, $2', values: [1] })).toThrow(/\$2 has no parameter/);
    expect(() => inlineValues({ text: 'SELECT $1', values: [Buffer.from('x')] })).toThrow(/binary/);
  });
});
