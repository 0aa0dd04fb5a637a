import { preparedStatement } from '@spark/postgres';
import { type Pool } from 'pg';
import { type TimerWrites } from './timer-writes';

export interface StoredTimer {
  runId: string;
  timerId: string;
  fireAt: Date;
  /** The trace context of the decision that scheduled it; the fired command carries it on. */
  traceparent?: string;
}

/** The `timers` table: every live timer of every run, written by the relay from TimerScheduled events. */
export class TimerStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.sql = statements(schema);
  }

  /** A relay batch's timer changes: removed runs first, then single removals, then upserts. */
  async apply(writes: TimerWrites): Promise<void> {
    if (writes.removedRuns.size > 0)
      await this.pool.query({ ...this.sql.removeRuns, values: [[...writes.removedRuns]] });
    const removals = writes.removals;
    if (removals.length > 0)
      await this.pool.query({
        ...this.sql.remove,
        values: [removals.map((removal) => removal.runId), removals.map((removal) => removal.timerId)],
      });
    const upserts = writes.upserts;
    if (upserts.length > 0)
      await this.pool.query({
        ...this.sql.upsert,
        values: [
          upserts.map((timer) => timer.runId),
          upserts.map((timer) => timer.timerId),
          upserts.map((timer) => timer.fireAt),
          upserts.map((timer) => timer.traceparent ?? null),
        ],
      });
  }

  /** Timers due at `now`, earliest first. */
  async due(now: Date, limit: number): Promise<StoredTimer[]> {
    const { rows } = await this.pool.query<{
      run_id: string;
      timer_id: string;
      fire_at: Date;
      traceparent: string | null;
    }>({ ...this.sql.due, values: [now, limit] });
    return rows.map((row) => ({
      runId: row.run_id,
      timerId: row.timer_id,
      fireAt: row.fire_at,
      ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    }));
  }

  /** Forgets fired timers, unless one was moved meanwhile (its fire_at changed). */
  async removeFired(timers: StoredTimer[]): Promise<void> {
    if (timers.length === 0) return;
    await this.pool.query({
      ...this.sql.removeFired,
      values: [
        timers.map((timer) => timer.runId),
        timers.map((timer) => timer.timerId),
        timers.map((timer) => timer.fireAt),
      ],
    });
  }

  async nextFireAt(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ next: Date | null }>(this.sql.nextFireAt);
    return rows[0]?.next ?? undefined;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.schema}.timers`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}

/** The relay and the poller run these for every batch: parsed and planned once per connection. */
function statements(schema: string) {
  const timers = `${schema}.timers`;
  return {
    removeRuns: preparedStatement(`DELETE FROM ${timers} WHERE run_id = ANY($1::text[])`),
    remove: preparedStatement(
      `DELETE FROM ${timers} t USING unnest($1::text[], $2::text[]) AS r(run_id, timer_id)
       WHERE t.run_id = r.run_id AND t.timer_id = r.timer_id`,
    ),
    upsert: preparedStatement(
      `INSERT INTO ${timers} (run_id, timer_id, fire_at, traceparent)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
       ON CONFLICT (run_id, timer_id) DO UPDATE SET fire_at = EXCLUDED.fire_at, traceparent = EXCLUDED.traceparent`,
    ),
    due: preparedStatement(
      `SELECT run_id, timer_id, fire_at, traceparent FROM ${timers} WHERE fire_at <= $1 ORDER BY fire_at LIMIT $2`,
    ),
    removeFired: preparedStatement(
      `DELETE FROM ${timers} t USING unnest($1::text[], $2::text[], $3::timestamptz[]) AS f(run_id, timer_id, fire_at)
       WHERE t.run_id = f.run_id AND t.timer_id = f.timer_id AND t.fire_at = f.fire_at`,
    ),
    nextFireAt: preparedStatement(`SELECT min(fire_at) AS next FROM ${timers}`),
  };
}
