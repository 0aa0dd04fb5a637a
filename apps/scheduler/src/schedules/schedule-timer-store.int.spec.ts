import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createPgPool, runPostgresMigrations } from '@spark/postgres';
import { type Pool } from 'pg';
import { ScheduleTimerStore } from './schedule-timer-store';

describe('ScheduleTimerStore on the real PostgreSQL', () => {
  const url = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
  const schema = `sch_timers_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let pool: Pool;
  let store: ScheduleTimerStore;

  beforeAll(async () => {
    await runPostgresMigrations({ connection: url, schema, dir: path.join(__dirname, '../migrations') });
    pool = createPgPool(url, 'schedule-timer-store-spec');
    store = new ScheduleTimerStore(pool, schema);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  const timer = (nominalTime: string, revision: bigint) => ({
    scheduleId: 's1',
    nominalTime,
    fireAt: new Date(nominalTime),
    revision,
  });
  const armed = async () =>
    (await store.due(new Date('2100-01-01T00:00:00.000Z'), 10)).map((t) => [t.nominalTime, t.revision]);

  it('a write from an older event (a relay behind the leader) never replaces or removes a newer timer', async () => {
    await store.upsert(timer('2026-11-24T10:00:02.000Z', 5n)); // the leader, as it decided the fire
    await store.upsert(timer('2026-11-24T10:00:01.000Z', 3n)); // the relay, catching up
    expect(await armed()).toEqual([['2026-11-24T10:00:02.000Z', 5n]]);
    await store.remove('s1', 4n); // an older pause, replayed
    expect(await armed()).toEqual([['2026-11-24T10:00:02.000Z', 5n]]);

    await store.upsert(timer('2026-11-24T10:00:03.000Z', 7n));
    expect(await armed()).toEqual([['2026-11-24T10:00:03.000Z', 7n]]);
    await store.remove('s1', 8n);
    expect(await armed()).toEqual([]);
  });

  it('forgets a fired timer only if it still holds the nominal time that fired', async () => {
    await store.upsert({ ...timer('2026-11-24T11:00:00.000Z', 20n), scheduleId: 's2' });
    const [fired] = (await store.due(new Date('2100-01-01T00:00:00.000Z'), 10)).filter(
      (t) => t.scheduleId === 's2',
    );
    await store.upsert({ ...timer('2026-11-24T11:00:01.000Z', 22n), scheduleId: 's2' });
    await store.removeFired([fired!]);
    expect(await store.count()).toBe(1);
  });
});
