import { randomUUID } from 'node:crypto';
import { createPgPool } from '@spark/postgres';
import { Client, type Pool } from 'pg';
import { PgStartClaims } from './start-claims';

// Two executors' claimers (each its own pool, as two processes) racing on one key in the real
// PostgreSQL (docs/adr/0127): whatever lateness comes before a claim, the stamped starts never put more
// than `limit` in any window of `per`, and a start is never earlier than its caller asked.
describe('PgStartClaims on the real PostgreSQL', () => {
  const url = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
  const schema = `int_claims_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const pools: Pool[] = [];
  let claimers: PgStartClaims[];

  beforeAll(() => {
    pools.push(createPgPool(url, 'int-claims-a'), createPgPool(url, 'int-claims-b'));
    claimers = pools.map((pool) => new PgStartClaims(pool, schema));
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  const rateLimit = (key: string) => ({ key, limit: 5, perMs: 1000 });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  const mostInAnyWindow = (times: number[], windowMs: number) => {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; j < sorted.length; j++) {
      while (sorted[j]! - sorted[i]! >= windowMs) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  };
  /** Claims a start at `at` or later the way the executor does: waits as told, asks again. */
  const startAt = async (claims: PgStartClaims, key: string, at: number, order: number) => {
    await sleep(at - Date.now());
    let waits = 0;
    let inLineAt: number | undefined;
    const claimer = { id: `${key}:${order}`, order };
    for (;;) {
      const claim = await claims.claim(rateLimit(key), claimer, () => new Date().toISOString());
      if (claim.granted) return { at: Date.parse(claim.startedAt), waits, inLineAt, order };
      // Refused: it is in the key's line from here on.
      inLineAt ??= Date.now();
      waits++;
      await sleep(claim.waitMs);
    }
  };

  /**
   * Order is kept among claimers in line: one that was waiting, in line, before another with a later
   * token started is not overtaken by it. (One that has not asked yet, e.g. its timer fired late, can
   * be: nothing knows of it.)
   */
  const expectLineKept = (starts: Array<{ at: number; inLineAt?: number; order: number }>) => {
    let pairs = 0;
    for (const a of starts)
      for (const b of starts)
        if (a.order < b.order && a.inLineAt !== undefined && a.inLineAt < b.at) {
          pairs++;
          expect(a.at).toBeLessThan(b.at);
        }
    return pairs;
  };

  it('starts on exact tokens with injected lateness: no 1 s window of actual starts holds a 6th', async () => {
    const key = `model-${randomUUID().slice(0, 8)}`;
    // Warm up (the table is made on the first claim) on another key.
    await Promise.all(
      claimers.map((claimer) => claimer.claim(rateLimit(`warm-${key}`), { id: 'w', order: 0 }, () => '')),
    );
    const t0 = Date.now() + 300;
    // Tokens one every 200 ms, as the scheduler hands them; every tenth start is 150 ms late.
    const tokens = Array.from({ length: 20 }, (_, i) => t0 + i * 200);
    const asked = tokens.map((token, i) => token + (i % 10 === 0 ? 150 : 0));
    // Without claims these starts would put 6 in a second (150 ms late, then the fifth token after).
    expect(mostInAnyWindow(asked, 1000)).toBe(6);

    const starts = await Promise.all(asked.map((at, i) => startAt(claimers[i % 2]!, key, at, tokens[i]!)));
    const times = starts.map((start) => start.at);
    // In their tokens' order, across both executors, once in line.
    expectLineKept(starts);
    for (const [i, time] of times.entries()) expect(time).toBeGreaterThanOrEqual(asked[i]!);
    expect(mostInAnyWindow(times, 1000)).toBeLessThanOrEqual(5);
    const sorted = [...times].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(200);
    for (let i = 5; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 5]!).toBeGreaterThanOrEqual(1000);
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThanOrEqual(19 * 200);
    // The lateness was carried forward, not squeezed out of the next gap: some starts had to wait.
    expect(starts.some((start) => start.waits > 0)).toBe(true);
  }, 30_000);

  it('a burst of 15 at once on two executors: one every 200 ms, the rest wait (not fail)', async () => {
    const key = `burst-${randomUUID().slice(0, 8)}`;
    const at = Date.now() + 100;
    const starts = await Promise.all(
      Array.from({ length: 15 }, (_, i) => startAt(claimers[i % 2]!, key, at, i)),
    );
    const times = starts.map((start) => start.at);
    // The first to lock the key's row starts; the others wait in line, in their order.
    expect(expectLineKept(starts)).toBeGreaterThan(0);
    const sorted = [...times].sort((a, b) => a - b);
    expect(mostInAnyWindow(sorted, 1000)).toBe(5);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(200);
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThanOrEqual(14 * 200);
    // Other keys are not held up by this one's backlog.
    const other = await startAt(claimers[0]!, `${key}-other`, Date.now(), 0);
    expect(other.waits).toBe(0);
  }, 30_000);
});
