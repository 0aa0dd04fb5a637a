import { runStreamName, scheduledRunId, scheduleStreamName } from '@spark/contracts';
import { Pool } from 'pg';
import { sleep } from './stats';

const FINAL = ['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut'];
const SCHEDULE_OUTCOMES = [
  'ScheduleFired',
  'ScheduleFireSkipped',
  'ScheduleFiresMissed',
  'ScheduleFireBuffered',
];

/** One ScheduleFired event. Times in epoch ms: nominal and firedAt from the event, recordedAt from the store. */
export interface Fire {
  scheduleId: string;
  nominalMs: number;
  firedAtMs: number;
  trigger: string;
  idempotencyKey: string;
}

export interface ScheduleHistory {
  fires: Fire[];
  skipped: number;
  missed: number;
  buffered: number;
}

/** What the store holds for one scheduled run (`run-<scheduledRunId(idempotencyKey)>`). */
export interface RunTimes {
  runStartedCount: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  outcome?: string;
}

/**
 * Reads the harness's event store tables directly with SQL (indexed by stream name), so a phase is read
 * back in a few queries instead of one readStream per schedule and per run.
 */
export class StoreObserver {
  private readonly pool: Pool;

  constructor(
    connectionString: string,
    private readonly schema: string,
    private readonly schedulerSchema: string,
  ) {
    for (const name of [schema, schedulerSchema])
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected schema name ${name}`);
    this.pool = new Pool({ connectionString, max: 2 });
  }

  async history(scheduleIds: readonly string[]): Promise<ScheduleHistory> {
    const { rows } = await this.pool.query<{
      stream_name: string;
      event_type: string;
      nominal: string | null;
      fired_at: string | null;
      trigger: string | null;
      key: string | null;
    }>(
      `SELECT stream_name, event_type, data->>'nominalTime' AS nominal, data->>'firedAt' AS fired_at,
              data->>'trigger' AS trigger, data->>'idempotencyKey' AS key
         FROM ${this.schema}.events
        WHERE stream_name = ANY($1::text[]) AND event_type = ANY($2::text[])
        ORDER BY position`,
      [scheduleIds.map(scheduleStreamName), SCHEDULE_OUTCOMES],
    );
    const count = (type: string) => rows.filter((row) => row.event_type === type).length;
    const fires = rows
      .filter((row) => row.event_type === 'ScheduleFired')
      .map((row) => ({
        scheduleId: row.stream_name.slice('schedule-'.length),
        nominalMs: Date.parse(row.nominal!),
        firedAtMs: Date.parse(row.fired_at!),
        trigger: row.trigger!,
        idempotencyKey: row.key!,
      }));
    return {
      fires,
      skipped: count('ScheduleFireSkipped'),
      missed: count('ScheduleFiresMissed'),
      buffered: count('ScheduleFireBuffered'),
    };
  }

  /** How many of the schedules have fired a nominal time at or after `nominalMs`. */
  async schedulesFiredSince(scheduleIds: readonly string[], nominalMs: number): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(DISTINCT stream_name) AS count FROM ${this.schema}.events
        WHERE stream_name = ANY($1::text[]) AND event_type = 'ScheduleFired'
          AND (data->>'nominalTime')::timestamptz >= $2`,
      [scheduleIds.map(scheduleStreamName), new Date(nominalMs)],
    );
    return Number(rows[0]!.count);
  }

  /** Start and end of the run each fire started, keyed by idempotency key. */
  async runs(fires: readonly Fire[]): Promise<Map<string, RunTimes>> {
    const keyByStream = new Map(
      fires.map((fire) => [runStreamName(scheduledRunId(fire.idempotencyKey)), fire.idempotencyKey]),
    );
    const { rows } = await this.pool.query<{ stream_name: string; event_type: string; recorded_at: Date }>(
      `SELECT stream_name, event_type, recorded_at FROM ${this.schema}.events
        WHERE stream_name = ANY($1::text[]) AND event_type = ANY($2::text[])
        ORDER BY position`,
      [[...keyByStream.keys()], ['RunStarted', ...FINAL]],
    );
    const runs = new Map<string, RunTimes>();
    for (const row of rows) {
      const key = keyByStream.get(row.stream_name)!;
      const run = runs.get(key) ?? { runStartedCount: 0 };
      if (row.event_type === 'RunStarted') {
        run.runStartedCount++;
        run.startedAtMs ??= row.recorded_at.getTime();
      } else if (run.finishedAtMs === undefined) {
        run.finishedAtMs = row.recorded_at.getTime();
        run.outcome = row.event_type;
      }
      runs.set(key, run);
    }
    return runs;
  }

  /** Waits until the run of every fire has a final event, or the deadline; returns how many have one. */
  async waitForRuns(fires: readonly Fire[], timeoutMs: number): Promise<number> {
    const streams = [...new Set(fires.map((fire) => runStreamName(scheduledRunId(fire.idempotencyKey))))];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await this.pool.query<{ count: string }>(
        `SELECT count(DISTINCT stream_name) AS count FROM ${this.schema}.events
          WHERE stream_name = ANY($1::text[]) AND event_type = ANY($2::text[])`,
        [streams, FINAL],
      );
      const finished = Number(rows[0]!.count);
      if (finished >= streams.length || Date.now() > deadline) return finished;
      await sleep(200);
    }
  }

  /**
   * Waits until the scheduler's outbox relay has passed every run end and schedule event stored so far
   * (its checkpoint in `relay_checkpoints`, the lowest if there are several); returns whether it did.
   */
  async waitForRelay(timeoutMs: number): Promise<boolean> {
    const { rows } = await this.pool.query<{ head: string | null }>(
      `SELECT max(position)::text AS head FROM ${this.schema}.events WHERE event_type = ANY($1::text[])`,
      [[...FINAL, 'ScheduleFired', 'ScheduleTimerSet', 'SchedulePaused']],
    );
    const head = BigInt(rows[0]!.head ?? '0');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoint = await this.pool.query<{ position: string | null }>(
        `SELECT min(position)::text AS position FROM ${this.schedulerSchema}.relay_checkpoints`,
      );
      if (BigInt(checkpoint.rows[0]!.position ?? '-1') >= head) return true;
      if (Date.now() > deadline) return false;
      await sleep(200);
    }
  }

  close() {
    return this.pool.end();
  }
}
