import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { AdvisoryLockLeadership } from './advisory-lock-leadership';

const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const logger = pino({ level: 'silent' });

/** Resolves when `check` holds, polling; rejects after `timeoutMs`. */
async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('AdvisoryLockLeadership', () => {
  // A retry interval far beyond the test's wait: only a standby blocked in the lock can take over in time.
  const RETRY_MS = 120_000;
  const lockName = `leadership-test-${randomUUID()}`;
  const working: string[] = [];
  const candidate = () => new AdvisoryLockLeadership(connectionString, lockName, logger, RETRY_MS);
  const work = (name: string) => async () => {
    working.push(name);
    return async () => {
      working.splice(working.indexOf(name), 1);
    };
  };

  it('hands the work to the standby as soon as the leader dies, not at its next retry', async () => {
    const first = candidate();
    const second = candidate();
    first.start(work('first'));
    await eventually(() => first.leading, 'the first candidate leads');
    second.start(work('second'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect({ first: first.leading, second: second.leading, working }).toEqual({
      first: true,
      second: false,
      working: ['first'],
    });

    // The leader's process dies: its connection is cut from the database's side.
    const admin = new Client({ connectionString });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = $1 AND state = 'idle' AND pid <> pg_backend_pid()`,
        [`spark-${lockName}`],
      );
    } finally {
      await admin.end();
    }
    await eventually(() => second.leading, 'the standby leads');
    await eventually(() => !working.includes('first'), 'the old leader stopped its work');
    expect(working).toEqual(['second']);

    await Promise.all([first.stop(), second.stop()]);
    expect(working).toEqual([]);
  });

  it('stops a standby that is waiting for the lock at once', async () => {
    const leader = candidate();
    const standby = candidate();
    leader.start(work('leader'));
    await eventually(() => leader.leading, 'the leader leads');
    standby.start(work('standby'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await standby.stop();
    expect(standby.leading).toBe(false);
    await leader.stop();
    expect(working).toEqual([]);
  });
});
