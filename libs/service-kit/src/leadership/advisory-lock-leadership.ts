import { Client } from 'pg';
import type { Logger } from 'pino';

export type LeaderWork = () => Promise<() => Promise<void>>;

/**
 * Makes one instance of a service the leader for some work, with a PostgreSQL session advisory lock
 * held on a dedicated connection. A standby waits in `pg_advisory_lock` on its own connection, so when
 * the leader dies (its connection drops and the lock is released) the standby leads at once, not at its
 * next poll. Losing the connection stops the work at once; a failed attempt is tried again after `retryMs`.
 */
export class AdvisoryLockLeadership {
  private stopped = false;
  private loop?: Promise<void>;
  private wakeStandby: () => void = () => undefined;
  private isLeader = false;

  constructor(
    private readonly connectionString: string,
    private readonly lockName: string,
    private readonly logger: Logger,
    private readonly retryMs = 2000,
  ) {}

  get leading(): boolean {
    return this.isLeader;
  }

  start(work: LeaderWork): void {
    this.loop = this.campaign(work);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeStandby();
    await this.loop;
  }

  private async campaign(work: LeaderWork): Promise<void> {
    while (!this.stopped) {
      const client = new Client({
        connectionString: this.connectionString,
        application_name: `spark-${this.lockName}`,
      });
      let lost: () => void = () => undefined;
      const connectionLost = new Promise<void>((resolve) => (lost = resolve));
      client.on('error', (error) => {
        this.logger.warn({ err: error, lock: this.lockName }, 'leadership connection lost');
        lost();
      });
      try {
        await client.connect();
        // Blocks while another instance leads; stop() ends the connection, which ends the wait. A
        // server-wide statement or lock timeout would end it too, every few seconds: not on this session.
        await client.query('SET statement_timeout = 0; SET lock_timeout = 0');
        const waiting = client.query('SELECT pg_advisory_lock(hashtext($1))', [this.lockName]);
        this.wakeStandby = () => void client.end().catch(() => undefined);
        await Promise.race([
          waiting,
          connectionLost.then(() => Promise.reject(new Error('connection lost'))),
        ]);
        if (!this.stopped) {
          this.isLeader = true;
          this.logger.info({ lock: this.lockName }, 'became leader');
          const stopWork = await work();
          await Promise.race([connectionLost, new Promise<void>((resolve) => (this.wakeStandby = resolve))]);
          this.isLeader = false;
          await stopWork();
          this.logger.info({ lock: this.lockName }, 'stopped leading');
        }
      } catch (error) {
        this.isLeader = false;
        if (!this.stopped) this.logger.warn({ err: error, lock: this.lockName }, 'leadership attempt failed');
      } finally {
        await client.end().catch(() => undefined);
      }
      if (!this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.retryMs);
          this.wakeStandby = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
