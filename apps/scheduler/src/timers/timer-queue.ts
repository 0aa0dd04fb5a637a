/** A table of durable timers the poller fires: run timers, schedule timers. */
export interface TimerQueue<Timer> {
  /** Timers due at `now`, earliest first. */
  due(now: Date, limit: number): Promise<Timer[]>;
  /** Carries the due timers out; they are forgotten only after this resolves. */
  fire(timers: Timer[], now: Date): Promise<void>;
  /** Forgets fired timers, unless one was moved meanwhile. */
  removeFired(timers: Timer[]): Promise<void>;
  nextFireAt(): Promise<Date | undefined>;
}
