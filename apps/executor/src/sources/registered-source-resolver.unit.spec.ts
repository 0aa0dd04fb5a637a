import { randomBytes } from 'node:crypto';
import { SecretBox } from '@spark/service-kit';
import { type Pool } from 'pg';
import { RegisteredSourceResolver, registeredSourcesTable } from './registered-source-resolver';

describe('sources registered through the gateway', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('lf-secret', 'langflow-prod');
  const rows: Record<string, object> = {
    'langflow-prod': {
      base_url: 'http://langflow:7860',
      api_key_iv: sealed.iv,
      api_key_cipher: sealed.ciphertext,
      api_key_tag: sealed.tag,
    },
    agents: { base_url: 'http://agents:8881', api_key_iv: null, api_key_cipher: null, api_key_tag: null },
  };
  const poolOf = (query: (name: string) => Promise<{ rows: object[] }>) => {
    const calls: string[] = [];
    const pool = {
      query: async (_sql: string, [name]: [string]) => {
        calls.push(name);
        return query(name);
      },
    } as unknown as Pool;
    return { pool, calls };
  };

  it('resolves the URL and the decrypted key, remembers answers for the TTL, and nothing for an unknown name', async () => {
    let now = 0;
    const { pool, calls } = poolOf(async (name) => ({ rows: rows[name] ? [rows[name]!] : [] }));
    const resolver = new RegisteredSourceResolver(pool, '"gateway"."sources"', box, 5_000, () => now);
    await expect(resolver.resolve('langflow-prod')).resolves.toEqual({
      baseUrl: 'http://langflow:7860',
      apiKey: 'lf-secret',
    });
    await expect(resolver.resolve('agents')).resolves.toEqual({ baseUrl: 'http://agents:8881' });
    await expect(resolver.resolve('nope')).resolves.toBeUndefined();
    now = 4_999;
    await resolver.resolve('langflow-prod');
    expect(calls).toEqual(['langflow-prod', 'agents', 'nope']);
    now = 5_001;
    await resolver.resolve('langflow-prod');
    expect(calls).toHaveLength(4);
  });

  it('fails non-retryably for a keyed source without SPARK_SECRETS_KEY, and treats a missing gateway table as no sources', async () => {
    const { pool } = poolOf(async (name) => ({ rows: [rows[name]!] }));
    await expect(
      new RegisteredSourceResolver(pool, 't', undefined).resolve('langflow-prod'),
    ).rejects.toMatchObject({
      code: 'SOURCE_KEY_UNREADABLE',
      classification: 'non_retryable',
    });
    const missing = poolOf(async () => {
      throw Object.assign(new Error('relation "gateway.sources" does not exist'), { code: '42P01' });
    });
    await expect(new RegisteredSourceResolver(missing.pool, 't', box).resolve('x')).resolves.toBeUndefined();
    const down = poolOf(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    await expect(new RegisteredSourceResolver(down.pool, 't', box).resolve('x')).rejects.toMatchObject({
      code: 'SOURCE_LOOKUP_FAILED',
      classification: 'retryable',
    });
  });

  it('names the table by the gateway schema, and refuses a schema name that is not one', () => {
    expect(registeredSourcesTable({})).toBe('"gateway"."sources"');
    expect(registeredSourcesTable({ SPARK_GATEWAY_SCHEMA: 'gw_2' })).toBe('"gw_2"."sources"');
    expect(() => registeredSourcesTable({ SPARK_GATEWAY_SCHEMA: 'x"; drop' })).toThrow(
      'not a valid schema name',
    );
  });
});
