import fc from 'fast-check';
import { Client } from 'pg';
import { jsonTextArray } from './json-text-array';
import { createTestPostgresStore, testConnectionString } from './postgres-test-store';

// The array literal is read by the real server: whatever JSON text goes in comes back unchanged.
describe('jsonTextArray against PostgreSQL', () => {
  const client = new Client({ connectionString: testConnectionString });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  // Strings with quotes, backslashes, braces, commas, control characters and non-BMP characters.
  const awkward = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom('"', '\\', '\\"', '{', '}', ',', 'NULL', ' ', '\n', '\t', '\u0001', '😀', '\\u0000'),
  );
  const jsonValue = fc
    .jsonValue({ maxDepth: 3 })
    .chain((value) =>
      fc
        .tuple(fc.constant(value), fc.array(awkward, { maxLength: 4 }))
        .map(([base, strings]) => ({ base, strings })),
    );

  it('is read back as the same texts, element by element', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonValue, { minLength: 1, maxLength: 8 }), async (values) => {
        const texts = values.map((value) => JSON.stringify(value));
        const { rows } = await client.query<{ texts: string[] }>('SELECT $1::text[] AS texts', [
          jsonTextArray(texts),
        ]);
        expect(rows[0]!.texts).toEqual(texts);
      }),
      { numRuns: 200 },
    );
  });

  it('carries event data through an append unchanged', async () => {
    const { store, dispose } = await createTestPostgresStore();
    try {
      const data = {
        quote: '"',
        backslash: '\\',
        escaped: '\\u0041',
        newline: 'a\nb',
        emoji: '😀',
        braces: '{,}',
      };
      await store.appendToStreams([
        { streamName: 'json-a', expectedRevision: 'no_stream', events: [{ type: 'T', data }] },
        {
          streamName: 'json-b',
          expectedRevision: 'no_stream',
          events: [{ type: 'T', data: [data, 'NULL'] }],
        },
      ]);
      const [a] = await store.readStream('json-a');
      const [b] = await store.readStream('json-b');
      expect(a!.data).toEqual(data);
      expect(b!.data).toEqual([data, 'NULL']);
    } finally {
      await store.close();
      await dispose();
    }
  });
});
