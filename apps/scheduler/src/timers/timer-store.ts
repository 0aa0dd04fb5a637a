import { type Pool } from 'pg';

export interface StoredTimer {
  runId: string;
  timerId: string;
  fireAt: Date;
  /** The trace context of the decision that scheduled it; the fired command carries it on. */
  traceparent?: string;
}

/** The `timers` table: every live timer of every run, written by the relay from TimerScheduled events. */
export class TimerStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Schedules or moves a timer. */
  async upsert(timer: StoredTimer): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.timers (run_id, timer_id, fire_at, traceparent) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, timer_id) DO UPDATE SET fire_at = EXCLUDED.fire_at, traceparent = EXCLUDED.traceparent`,
      [timer.runId, timer.timerId, timer.fireAt, timer.traceparent ?? null],
    );
  }

  async remove(runId: string, timerId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.timers WHERE run_id = $1 AND timer_id = $2`, [
      runId,
      timerId,
    ]);
  }

  async removeRun(runId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.timers WHERE run_id = $1`, [runId]);
  }

  /** Timers due at `now`, earliest first. */
  async due(now: Date, limit: number): Promise<StoredTimer[]> {
    const { rows } = await this.pool.query<{
      run_id: string;
      timer_id: string;
      fire_at: Date;
      traceparent: string | null;
    }>(
      `SELECT run_id, timer_id, fire_at, traceparent FROM ${this.schema}.timers WHERE fire_at <= $1 ORDER BY fire_at LIMIT $2`,
      [now, limit],
    );
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
    await this.pool.query(
      `DELETE FROM ${this.schema}.timers t USING unnest($1::text[], $2::text[], $3::timestamptz[]) AS f(run_id, timer_id, fire_at)
       WHERE t.run_id = f.run_id AND t.timer_id = f.timer_id AND t.fire_at = f.fire_at`,
      [
        timers.map((timer) => timer.runId),
        timers.map((timer) => timer.timerId),
        timers.map((timer) => timer.fireAt),
      ],
    );
  }

  async nextFireAt(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ next: Date | null }>(
      `SELECT min(fire_at) AS next FROM ${this.schema}.timers`,
    );
    return rows[0]?.next ?? undefined;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.schema}.timers`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}
