import { type Pool } from 'pg';

export interface ScheduleTimer {
  scheduleId: string;
  nominalTime: string;
  fireAt: Date;
  /** Revision of the ScheduleTimerSet event in the schedule's stream. */
  revision: bigint;
  traceparent?: string;
}

/** The `schedule_timers` table: each active schedule's next fire, written by the relay. */
export class ScheduleTimerStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Arms the schedule's timer, replacing the one it had unless that one was armed by a newer event. */
  async upsert(timer: ScheduleTimer): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.schedule_timers (schedule_id, nominal_time, fire_at, traceparent, revision)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (schedule_id) DO UPDATE
         SET nominal_time = EXCLUDED.nominal_time, fire_at = EXCLUDED.fire_at,
             traceparent = EXCLUDED.traceparent, revision = EXCLUDED.revision
         WHERE ${this.schema}.schedule_timers.revision < EXCLUDED.revision`,
      [
        timer.scheduleId,
        timer.nominalTime,
        timer.fireAt,
        timer.traceparent ?? null,
        timer.revision.toString(),
      ],
    );
  }

  /** Disarms the schedule's timer, unless it was armed by an event newer than `revision`. */
  async remove(scheduleId: string, revision: bigint): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.schema}.schedule_timers WHERE schedule_id = $1 AND revision < $2`,
      [scheduleId, revision.toString()],
    );
  }

  async due(now: Date, limit: number): Promise<ScheduleTimer[]> {
    const { rows } = await this.pool.query<{
      schedule_id: string;
      nominal_time: string;
      fire_at: Date;
      traceparent: string | null;
      revision: string;
    }>(
      `SELECT schedule_id, nominal_time, fire_at, traceparent, revision FROM ${this.schema}.schedule_timers
       WHERE fire_at <= $1 ORDER BY fire_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({
      scheduleId: row.schedule_id,
      nominalTime: row.nominal_time,
      fireAt: row.fire_at,
      revision: BigInt(row.revision),
      ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    }));
  }

  /** Forgets fired timers, unless the relay armed the next one meanwhile. */
  async removeFired(timers: ScheduleTimer[]): Promise<void> {
    if (timers.length === 0) return;
    await this.pool.query(
      `DELETE FROM ${this.schema}.schedule_timers t USING unnest($1::text[], $2::text[]) AS f(schedule_id, nominal_time)
       WHERE t.schedule_id = f.schedule_id AND t.nominal_time = f.nominal_time`,
      [timers.map((timer) => timer.scheduleId), timers.map((timer) => timer.nominalTime)],
    );
  }

  async nextFireAt(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ next: Date | null }>(
      `SELECT min(fire_at) AS next FROM ${this.schema}.schedule_timers`,
    );
    return rows[0]?.next ?? undefined;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.schema}.schedule_timers`,
    );
    return Number(rows[0]?.count ?? 0);
  }
}
