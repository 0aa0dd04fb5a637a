import {
  secretAssociatedData,
  secretStreamName,
  SOURCE_DIRECTORY_EVENTS,
  sourceKeyAssociatedData,
  sourceStreamName,
} from '@spark/contracts';
import { randomBytes } from 'node:crypto';
import { type EventStore, PostgresEventStore } from '@spark/event-store';
import {
  ExecutorOpener,
  ExecutorSealer,
  generateExecutorKeyPair,
  parseExecutorPrivateKey,
  parseExecutorPublicKey,
} from '@spark/service-kit';
import { Client } from 'pg';
import pino from 'pino';
import { DirectorySecretResolver, DirectorySourceResolver } from './directory-resolvers';
import { EventStoreSourceDirectory } from './event-store-source-directory';

// The executor's port to sources and secrets on the real PostgreSQL event store: what the gateway
// appends to source-<name> / secret-<name> (docs/adr/0134) is what tasks resolve, at once and after changes.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const logger = pino({ level: 'silent' });
const keys = generateExecutorKeyPair();
const sealer = new ExecutorSealer(parseExecutorPublicKey(keys.publicKey));
const opener = new ExecutorOpener([parseExecutorPrivateKey(keys.privateKey)]);

/** The real store, counting stream reads (the lookups that missed the folded state). */
function counting(store: EventStore) {
  const reads: string[] = [];
  const counted = Object.create(store) as EventStore;
  counted.readStream = (name, options) => {
    reads.push(name);
    return store.readStream(name, options);
  };
  return { counted, reads };
}

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('the source directory on the PostgreSQL event store', () => {
  const schema = `es_dir_${randomBytes(4).toString('hex')}`;
  const store = new PostgresEventStore({ connectionString: PG_URL, schema, pollIntervalMs: 100 });
  const directories: EventStoreSourceDirectory[] = [];

  beforeAll(() => store.migrate());
  afterAll(async () => {
    for (const directory of directories) await directory.stop();
    await store.close();
    const pg = new Client({ connectionString: PG_URL });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pg.end());
  });

  const defineSource = (name: string, change: number, baseUrl: string, apiKey?: string) =>
    store.appendToStream(
      sourceStreamName(name),
      [
        {
          type: SOURCE_DIRECTORY_EVENTS.sourceDefined,
          data: {
            name,
            change,
            kind: 'langflow',
            baseUrl,
            apiKey: apiKey ? { ...sealer.seal(apiKey, sourceKeyAssociatedData(name)) } : null,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
  const remove = (stream: string, name: string, change: number, type: string) =>
    store.appendToStream(stream, [{ type, data: { name, change } }], { expectedRevision: 'any' });

  const directoryOn = (target: EventStore, start = true) => {
    const directory = new EventStoreSourceDirectory(target, logger, { missTtlMs: 0 });
    if (start) directory.start();
    directories.push(directory);
    return directory;
  };

  it('resolves a source defined a moment ago by reading its stream, and nothing for an unknown name', async () => {
    // Not following the streams at all: the read on a miss alone finds it.
    const directory = directoryOn(store, false);
    await defineSource('lf-now', 1, 'http://langflow:7860', 'lf-key-1');
    const sources = new DirectorySourceResolver(directory, opener);
    await expect(sources.resolve('lf-now')).resolves.toEqual({
      baseUrl: 'http://langflow:7860',
      apiKey: 'lf-key-1',
    });
    await expect(sources.resolve('nobody')).resolves.toBeUndefined();
  });

  it("follows from the log's end (a start scans no old events), and still finds and follows an older name", async () => {
    await defineSource('older', 1, 'http://older-1:7860');
    const [end] = await store.readAll({ direction: 'backwards', maxCount: 1 });
    const from: (bigint | undefined)[] = [];
    const { counted, reads } = counting(store);
    counted.subscribeToAll = (options) => {
      from.push(options?.fromPosition);
      return store.subscribeToAll(options);
    };
    const directory = directoryOn(counted);
    await eventually(async () => expect(from).toEqual([end!.position]));
    const sources = new DirectorySourceResolver(directory, opener);
    await expect(sources.resolve('older')).resolves.toEqual({ baseUrl: 'http://older-1:7860' });
    expect(reads).toEqual([sourceStreamName('older')]);
    await defineSource('older', 2, 'http://older-2:7860');
    await eventually(async () =>
      expect(await sources.resolve('older')).toEqual({ baseUrl: 'http://older-2:7860' }),
    );
    expect(reads).toEqual([sourceStreamName('older')]);
  });

  it('follows updates and removals as the gateway appends them, without reading the stream again', async () => {
    const { counted, reads } = counting(store);
    const directory = directoryOn(counted);
    const sources = new DirectorySourceResolver(directory, opener);
    await defineSource('agents', 10, 'http://agents-1:8881');
    await expect(sources.resolve('agents')).resolves.toEqual({ baseUrl: 'http://agents-1:8881' });
    await defineSource('agents', 11, 'http://agents-2:8881', 'ag-key');
    await eventually(async () =>
      expect(await sources.resolve('agents')).toEqual({ baseUrl: 'http://agents-2:8881', apiKey: 'ag-key' }),
    );
    const readsBefore = reads.filter((name) => name === sourceStreamName('agents')).length;
    for (let n = 0; n < 5; n++) await sources.resolve('agents');
    expect(reads.filter((name) => name === sourceStreamName('agents'))).toHaveLength(readsBefore);

    await remove(sourceStreamName('agents'), 'agents', 12, SOURCE_DIRECTORY_EVENTS.sourceRemoved);
    await eventually(async () => expect(await sources.resolve('agents')).toBeUndefined());
  });

  it('keeps the newest change of a name whatever order the appends land in', async () => {
    await defineSource('ordered', 21, 'http://newer');
    await defineSource('ordered', 20, 'http://older'); // a late append of an earlier change
    const followed = new DirectorySourceResolver(directoryOn(store), opener);
    const read = new DirectorySourceResolver(directoryOn(store, false), opener);
    await expect(read.resolve('ordered')).resolves.toEqual({ baseUrl: 'http://newer' });
    await eventually(async () =>
      expect(await followed.resolve('ordered')).toEqual({ baseUrl: 'http://newer' }),
    );
  });

  it('opens secrets sealed to a key it holds, and names the key it lacks (a rotation in progress)', async () => {
    const next = generateExecutorKeyPair();
    const nextSealer = new ExecutorSealer(parseExecutorPublicKey(next.publicKey));
    await store.appendToStream(
      secretStreamName('billing'),
      [
        {
          type: SOURCE_DIRECTORY_EVENTS.secretDefined,
          data: {
            name: 'billing',
            change: 30,
            value: { ...nextSealer.seal('tok-2', secretAssociatedData('billing')) },
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    const directory = directoryOn(store);
    await expect(new DirectorySecretResolver(directory, opener).resolve('billing')).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
      classification: 'non_retryable',
      message: expect.stringContaining(`executor key ${next.keyId}`),
    });
    await expect(new DirectorySecretResolver(directory, undefined).resolve('billing')).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
      message: expect.stringContaining('SPARK_EXECUTOR_PRIVATE_KEYS'),
    });
    const both = new ExecutorOpener([
      parseExecutorPrivateKey(next.privateKey),
      parseExecutorPrivateKey(keys.privateKey),
    ]);
    await expect(new DirectorySecretResolver(directory, both).resolve('billing')).resolves.toBe('tok-2');
    await remove(secretStreamName('billing'), 'billing', 31, SOURCE_DIRECTORY_EVENTS.secretRemoved);
    await eventually(async () =>
      expect(await new DirectorySecretResolver(directory, both).resolve('billing')).toBeUndefined(),
    );
  });

  it('a value moved to another name does not open (the name is the additional data)', async () => {
    const stolen = sealer.seal('lf-key-x', sourceKeyAssociatedData('one'));
    await store.appendToStream(
      sourceStreamName('two'),
      [
        {
          type: SOURCE_DIRECTORY_EVENTS.sourceDefined,
          data: { name: 'two', change: 40, kind: 'langflow', baseUrl: 'http://x', apiKey: { ...stolen } },
        },
      ],
      { expectedRevision: 'any' },
    );
    await expect(
      new DirectorySourceResolver(directoryOn(store, false), opener).resolve('two'),
    ).rejects.toMatchObject({ code: 'SOURCE_KEY_UNREADABLE' });
  });
});
