import { type Pool } from 'pg';
import { type ScheduleTimerWrites } from './schedule-timer-writes';

export interface ScheduleTimer {
  scheduleId: string;
  nominalTime: string;
  fireAt: Date;
  /** Revision of the ScheduleTimerSet event in the schedule's stream. */
  revision: bigint;
  traceparent?: string;
}

/**
 * The `schedule_timers` table: each active schedule's next fire, written by the leader's relay and
 * timer poller. Their writes go one at a time, rows in schedule id order: two multi-row statements
 * on the same rows side by side could otherwise deadlock.
 */
export class ScheduleTimerStore {
  private lastWrite: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Arms the schedule's timer, replacing the one it had unless that one was armed by a newer event. */
  async upsert(timer: ScheduleTimer): Promise<void> {
    await this.upsertAll([timer]);
  }

  /** Arms several schedules' timers in one statement (each schedule at most once), as `upsert` does. */
  async upsertAll(unordered: readonly ScheduleTimer[]): Promise<void> {
    if (unordered.length === 0) return;
    const timers = [...unordered].sort(byScheduleId);
    await this.write(
      `INSERT INTO ${this.schema}.schedule_timers (schedule_id, nominal_time, fire_at, traceparent, revision)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[])
       ON CONFLICT (schedule_id) DO UPDATE
         SET nominal_time = EXCLUDED.nominal_time, fire_at = EXCLUDED.fire_at,
             traceparent = EXCLUDED.traceparent, revision = EXCLUDED.revision
         WHERE ${this.schema}.schedule_timers.revision < EXCLUDED.revision`,
      [
        timers.map((timer) => timer.scheduleId),
        timers.map((timer) => timer.nominalTime),
        timers.map((timer) => timer.fireAt),
        timers.map((timer) => timer.traceparent ?? null),
        timers.map((timer) => timer.revision.toString()),
      ],
    );
  }

  /** Disarms the schedule's timer, unless it was armed by an event newer than `revision`. */
  async remove(scheduleId: string, revision: bigint): Promise<void> {
    await this.removeAll([{ scheduleId, revision }]);
  }

  /** `remove` for several schedules in one statement. */
  async removeAll(unordered: readonly { scheduleId: string; revision: bigint }[]): Promise<void> {
    if (unordered.length === 0) return;
    const removals = [...unordered].sort(byScheduleId);
    await this.write(
      `DELETE FROM ${this.schema}.schedule_timers t USING unnest($1::text[], $2::bigint[]) AS r(schedule_id, revision)
       WHERE t.schedule_id = r.schedule_id AND t.revision < r.revision`,
      [removals.map((removal) => removal.scheduleId), removals.map((removal) => removal.revision.toString())],
    );
  }

  /** A batch's timer changes: one statement for the arms, one for the disarms. */
  async apply(writes: ScheduleTimerWrites): Promise<void> {
    await this.upsertAll(writes.upserts);
    await this.removeAll(writes.removals);
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
  async removeFired(unordered: ScheduleTimer[]): Promise<void> {
    if (unordered.length === 0) return;
    const timers = [...unordered].sort(byScheduleId);
    await this.write(
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

  /** One statement after the other (see the class comment). */
  private write(sql: string, values: unknown[]): Promise<unknown> {
    const done = this.lastWrite.then(() => this.pool.query(sql, values));
    this.lastWrite = done.catch(() => undefined);
    return done;
  }
}

const byScheduleId = (a: { scheduleId: string }, b: { scheduleId: string }): number =>
  a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0;
