import { randomBytes, randomUUID } from 'node:crypto';
import { createSparkClient, type Run, type SparkApi, unwrap } from '@spark/client';
import { EngineHarness } from '@spark/testing';
import { Client as PgClient } from 'pg';

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';

/** The four services as processes with an admin key, for the console's bench and screenshots. */
export interface ConsoleStack {
  engine: EngineHarness;
  baseUrl: string;
  adminKey: string;
  admin: SparkApi;
  stop: () => Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const adminKey = `bench-console-${randomBytes(12).toString('hex')}`;
  const gatewaySchema = `bench_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const readModelSchema = `${gatewaySchema}_rm`;
  const engine = await EngineHarness.start({
    services: ['scheduler', 'executor', 'projector', 'gateway'],
    env: {
      SPARK_GATEWAY_SCHEMA: gatewaySchema,
      SPARK_READ_MODEL_SCHEMA: readModelSchema,
      SPARK_GATEWAY_BOOTSTRAP_KEY: adminKey,
      SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
      SPARK_LOG_LEVEL: 'warn',
    },
  });
  const baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
  return {
    engine,
    baseUrl,
    adminKey,
    admin: createSparkClient({ baseUrl, apiKey: adminKey }),
    stop: async () => {
      await engine.stop();
      const client = new PgClient({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${gatewaySchema} CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${readModelSchema} CASCADE`);
      await client.end();
    },
  };
}

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const runOf = (api: SparkApi, runId: string): Promise<Run> =>
  unwrap(api.GET('/api/v1/runs/{runId}', { params: { path: { runId } } }));

/** Runs of a workflow the read model lists (paged through). */
export async function countRuns(api: SparkApi, workflow: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api.GET('/api/v1/runs', { params: { query: { workflow, limit: 500, ...(cursor ? { cursor } : {}) } } }),
    );
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
