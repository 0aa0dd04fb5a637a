/**
 * Turns a task's heartbeat calls into at most one published heartbeat per `intervalMs` (the latest
 * progress wins), and, when the dispatch asks for heartbeats, beats on its own every `autoEveryMs`
 * so a handler that just awaits a slow target still shows the scheduler it is alive.
 */
export class HeartbeatThrottle {
  private lastSentAt = 0;
  private pending: { progress: unknown } | undefined;
  private trailing: NodeJS.Timeout | undefined;
  private readonly automatic: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly send: (progress: unknown) => void,
    private readonly intervalMs: number,
    autoEveryMs?: number,
    private readonly now: () => number = Date.now,
  ) {
    if (autoEveryMs !== undefined) {
      this.automatic = setInterval(() => {
        if (this.now() - this.lastSentAt >= autoEveryMs) this.beat(this.pending?.progress);
      }, autoEveryMs);
      this.automatic.unref();
    }
  }

  beat(progress?: unknown): void {
    if (this.stopped) return;
    this.pending = { progress };
    const wait = this.lastSentAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.flush();
    } else if (!this.trailing) {
      this.trailing = setTimeout(() => this.flush(), wait);
      this.trailing.unref();
    }
  }

  /** Stops for good: nothing is sent after the task's final result. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.trailing);
    clearInterval(this.automatic);
  }

  private flush(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    if (this.stopped || !this.pending) return;
    const { progress } = this.pending;
    this.pending = undefined;
    this.lastSentAt = this.now();
    this.send(progress);
  }
}
