import { randomUUID } from 'node:crypto';
import { type FireTimerCommand, Topics } from '@spark/contracts';
import { type KafkaMessaging } from '@spark/messaging';
import type { Logger } from 'pino';
import { type StoredTimer, type TimerStore } from './timer-store';

const BATCH = 500;
const IDLE_RECHECK_MS = 1000;

/**
 * Fires due timers: sends a FireTimer command per timer to `spark.commands` (keyed by run), then
 * forgets them. It sleeps until the earliest timer is due; `nudge` wakes it early when the relay
 * stores a sooner one. A crash between sending and forgetting fires a timer twice, which the run
 * decider ignores (the timer is no longer live).
 */
export class TimerPoller {
  private running = false;
  private wake: () => void = () => undefined;
  private sleepingUntil = Number.POSITIVE_INFINITY;
  /** The earliest timer stored since the poller last looked at the table. */
  private nudgedFor = Number.POSITIVE_INFINITY;
  private loop?: Promise<void>;

  constructor(
    private readonly store: TimerStore,
    private readonly messaging: KafkaMessaging,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
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

  private async run(): Promise<void> {
    while (this.running) {
      this.nudgedFor = Number.POSITIVE_INFINITY;
      try {
        const fired = await this.fireDue();
        if (fired === BATCH) continue;
        const next = await this.store.nextFireAt();
        const now = this.clock().getTime();
        const wakeAt = Math.min(next?.getTime() ?? Number.POSITIVE_INFINITY, now + IDLE_RECHECK_MS);
        await this.sleepUntil(wakeAt);
      } catch (error) {
        this.logger.error({ err: error }, 'timer poller failed; retrying');
        await this.sleepUntil(this.clock().getTime() + IDLE_RECHECK_MS);
      }
    }
  }

  private async fireDue(): Promise<number> {
    const now = this.clock();
    const due = await this.store.due(now, BATCH);
    if (due.length === 0) return 0;
    await this.messaging.publish(
      Topics.commands,
      due.map((timer) => toMessage(timer, now)),
    );
    await this.store.removeFired(due);
    this.logger.debug({ count: due.length }, 'fired timers');
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

function toMessage(timer: StoredTimer, now: Date) {
  const command: FireTimerCommand = {
    type: 'FireTimer',
    commandId: randomUUID(),
    runId: timer.runId,
    issuedAt: now.toISOString(),
    timerId: timer.timerId,
    dueAt: timer.fireAt.toISOString(),
  };
  return {
    key: timer.runId,
    value: JSON.stringify(command),
    ...(timer.traceparent ? { headers: { traceparent: timer.traceparent } } : {}),
  };
}
