import type { Logger } from 'pino';
import { type TimerQueue } from './timer-queue';

const BATCH = 500;
const IDLE_RECHECK_MS = 1000;

/**
 * Fires due timers of one queue, then forgets them. It sleeps until the earliest timer is due;
 * `nudge` wakes it early when the relay stores a sooner one. A crash between firing and forgetting
 * fires a timer twice, so firing must be safe to repeat.
 */
export class TimerPoller<Timer = unknown> {
  private running = false;
  private wake: () => void = () => undefined;
  private sleepingUntil = Number.POSITIVE_INFINITY;
  /** The earliest timer stored since the poller last looked at the table. */
  private nudgedFor = Number.POSITIVE_INFINITY;
  private loop?: Promise<void>;

  constructor(
    private readonly queue: TimerQueue<Timer>,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly name = 'timer',
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** A timer at `fireAt` was stored: wake up if it is sooner than the current sleep. */
  nudge(fireAt: Date): void {
    // Remembered as well as signalled: a nudge that arrives while the poller is querying (not yet
    // asleep) must still shorten the sleep that follows, or the timer fires up to a recheck late.
    this.nudgedFor = Math.min(this.nudgedFor, fireAt.getTime());
    if (fireAt.getTime() < this.sleepingUntil) this.wake();
  }

  /** `nudge` for the earliest of several new timers (none: nothing to do). */
  nudgeForEarliest(fireAts: readonly Date[]): void {
    if (fireAts.length > 0) this.nudge(new Date(Math.min(...fireAts.map((fireAt) => fireAt.getTime()))));
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudgedFor = Number.POSITIVE_INFINITY;
      try {
        const fired = await this.fireDue();
        if (fired === BATCH) continue;
        const next = await this.queue.nextFireAt();
        const now = this.clock().getTime();
        const wakeAt = Math.min(next?.getTime() ?? Number.POSITIVE_INFINITY, now + IDLE_RECHECK_MS);
        await this.sleepUntil(wakeAt);
      } catch (error) {
        this.logger.error({ err: error, poller: this.name }, 'timer poller failed; retrying');
        await this.sleepUntil(this.clock().getTime() + IDLE_RECHECK_MS);
      }
    }
  }

  private async fireDue(): Promise<number> {
    const now = this.clock();
    const due = await this.queue.due(now, BATCH);
    if (due.length === 0) return 0;
    await this.queue.fire(due, now);
    await this.queue.removeFired(due);
    this.logger.debug({ count: due.length, poller: this.name }, 'fired timers');
    return due.length;
  }

  private async sleepUntil(wakeAt: number): Promise<void> {
    const delay = Math.max(0, Math.min(wakeAt, this.nudgedFor) - this.clock().getTime());
    if (delay === 0 || !this.running) return;
    this.sleepingUntil = wakeAt;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.sleepingUntil = Number.POSITIVE_INFINITY;
    this.wake = () => undefined;
  }
}
