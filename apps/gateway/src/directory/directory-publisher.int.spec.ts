import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  type SealedForExecutors,
  secretAssociatedData,
  secretStreamName,
  SOURCE_DIRECTORY_EVENTS,
  sourceKeyAssociatedData,
  sourceStreamName,
} from '@spark/contracts';
import { PostgresEventStore } from '@spark/event-store';
import { runPostgresMigrations } from '@spark/postgres';
import {
  ExecutorOpener,
  ExecutorSealer,
  generateExecutorKeyPair,
  parseExecutorPrivateKey,
  parseExecutorPublicKey,
  SecretBox,
} from '@spark/service-kit';
import { Pool } from 'pg';
import pino from 'pino';
import { DirectoryPublisher, newestDirectoryEvent } from './directory-publisher';

// The gateway's side of ADR 0134 on real PostgreSQL: rows stored before the streams existed are
// published once (an idempotent backfill), a rotation of the executors' key re-seals every value, and
// a stream that disagrees with its row (a failed append, a delete that did not commit) is repaired.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const logger = pino({ level: 'silent' });

describe('publishing sources and secrets to the executors', () => {
  const id = randomBytes(4).toString('hex');
  const schema = `gw_dir_${id}`;
  const store = new PostgresEventStore({ connectionString: PG_URL, schema: `es_dir_${id}` });
  const pool = new Pool({ connectionString: PG_URL, max: 2 });
  const box = new SecretBox(randomBytes(32));
  const first = generateExecutorKeyPair();
  const second = generateExecutorKeyPair();
  const publisherFor = (pair: { publicKey: string }) =>
    new DirectoryPublisher(
      store,
      pool,
      schema,
      box,
      new ExecutorSealer(parseExecutorPublicKey(pair.publicKey)),
      logger,
    );
  const opener = new ExecutorOpener([first, second].map((pair) => parseExecutorPrivateKey(pair.privateKey)));

  const newest = async (stream: string) => newestDirectoryEvent(await store.readStream(stream))!;
  const opened = (sealed: unknown, associatedData: string) =>
    opener.open(sealed as SealedForExecutors, associatedData);

  beforeAll(async () => {
    await store.migrate();
    await runPostgresMigrations({ connection: PG_URL, schema, dir: path.join(__dirname, '../migrations') });
    // Rows as a gateway before ADR 0134 stored them.
    const key = box.seal('lf-key', sourceKeyAssociatedData('lf'));
    const token = box.seal('tok-1', secretAssociatedData('tok'));
    await pool.query(
      `INSERT INTO "${schema}".sources (name, kind, base_url, api_key_iv, api_key_cipher, api_key_tag)
       VALUES ('lf', 'langflow', 'http://langflow:7860', $1, $2, $3), ('plain', 'agent', 'http://agents:8881', NULL, NULL, NULL)`,
      [key.iv, key.ciphertext, key.tag],
    );
    await pool.query(
      `INSERT INTO "${schema}".secrets (name, value_iv, value_cipher, value_tag) VALUES ('tok', $1, $2, $3)`,
      [token.iv, token.ciphertext, token.tag],
    );
  });
  afterAll(async () => {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "es_dir_${id}" CASCADE`);
    await pool.end();
  });

  it('publishes the stored rows once, sealed to the executors, the gateway key nowhere in them', async () => {
    const publisher = publisherFor(first);
    expect(await publisher.reconcile()).toBe(3);
    const lf = await newest(sourceStreamName('lf'));
    expect(lf.type).toBe(SOURCE_DIRECTORY_EVENTS.sourceDefined);
    expect(lf.data).toMatchObject({ name: 'lf', kind: 'langflow', baseUrl: 'http://langflow:7860' });
    const lfKey = (lf.data as unknown as { apiKey: SealedForExecutors }).apiKey;
    expect(lfKey.keyId).toBe(first.keyId);
    expect(opened(lfKey, sourceKeyAssociatedData('lf'))).toBe('lf-key');
    expect((await newest(sourceStreamName('plain'))).data).toMatchObject({ apiKey: null });
    const tok = await newest(secretStreamName('tok'));
    expect(opened((tok.data as { value: unknown }).value, secretAssociatedData('tok'))).toBe('tok-1');
    expect(JSON.stringify(tok.data)).not.toContain('tok-1');
    // At every later start: nothing to do.
    expect(await publisher.reconcile()).toBe(0);
    expect(await store.readStream(sourceStreamName('lf'))).toHaveLength(1);
  });

  it('re-seals every value to a new executor key, and only those', async () => {
    const rotated = publisherFor(second);
    expect(await rotated.reconcile()).toBe(2);
    const lf = await newest(sourceStreamName('lf'));
    expect((lf.data as unknown as { apiKey: SealedForExecutors }).apiKey.keyId).toBe(second.keyId);
    expect(opened((lf.data as { apiKey: unknown }).apiKey, sourceKeyAssociatedData('lf'))).toBe('lf-key');
    const tok = await newest(secretStreamName('tok'));
    expect((tok.data as unknown as { value: SealedForExecutors }).value.keyId).toBe(second.keyId);
    expect(await store.readStream(sourceStreamName('plain'))).toHaveLength(1);
    expect(await rotated.reconcile()).toBe(0);
  });

  it('repairs a stream that is behind its row or ahead of it', async () => {
    const publisher = publisherFor(second);
    // A committed update whose append failed: the row has a newer change than the stream.
    await pool.query(
      `UPDATE "${schema}".sources SET base_url = 'http://agents-2:8881', change = ${publisher.nextChange} WHERE name = 'plain'`,
    );
    // A removal appended inside a delete that did not commit: the stream is ahead, the row still there.
    const { rows } = await pool.query<{ change: string }>(`SELECT ${publisher.nextChange} AS change`);
    await store.appendToStream(
      secretStreamName('tok'),
      [
        {
          type: SOURCE_DIRECTORY_EVENTS.secretRemoved,
          data: { name: 'tok', change: Number(rows[0]!.change) },
        },
      ],
      { expectedRevision: 'any' },
    );
    expect(await publisher.reconcile()).toBe(2);
    expect((await newest(sourceStreamName('plain'))).data).toMatchObject({ baseUrl: 'http://agents-2:8881' });
    const tok = await newest(secretStreamName('tok'));
    expect(tok.type).toBe(SOURCE_DIRECTORY_EVENTS.secretDefined);
    expect((tok.data as { change: number }).change).toBeGreaterThan(Number(rows[0]!.change));
    expect(await publisher.reconcile()).toBe(0);
  });
});
