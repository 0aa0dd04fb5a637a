import { type EventStore } from '@spark/event-store';
import {
  rateLimitDecider,
  rateLimitStreamName,
  type RateLimitCommand,
  type RateLimitEvent,
  type RateLimitState,
} from '@spark/workflow-domain';
import { ScopeCoordinator } from '../scopes';
import { type RateLimitScopeCommand } from './rate-limit-effects';

/** Task attempts whose token's time has not come yet, per rate-limit key. */
export interface RateLimitGauge {
  key: string;
  waiting: number;
}

/** The lead before the first hop is measured, the most it can grow to, and how many hops count. */
const DEFAULT_LEAD_MS = 250;
const MAX_LEAD_MS = 1000;
const HOPS_KEPT = 32;
const MAX_TOKENS_IN_FLIGHT = 100_000;

/**
 * Decides the relay's token requests against the rate-limit keys' streams (`rate-limit-<key>`,
 * docs/adr/0123) with the shared scope machinery, and remembers the token times it handed out that
 * are still ahead (the gauge of what waits).
 */
export class RateLimitCoordinator {
  /** Per key, the start times (epoch ms) of the tokens this leader handed out, earliest first. */
  private readonly ahead = new Map<string, number[]>();
  /** When each token still on its way to its run was decided (epoch ms), by `runId/taskId/attempt`. */
  private readonly inFlight = new Map<string, number>();
  /** The last hops measured from a token's decision to its run hearing of it (ms). */
  private readonly hops: number[] = [];
  private readonly scopesOf: ScopeCoordinator<RateLimitState, RateLimitCommand, RateLimitEvent>;

  constructor(
    store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.scopesOf = new ScopeCoordinator(
      store,
      { decider: rateLimitDecider, streamNameOf: rateLimitStreamName, snapshotSchemaVersion: 1 },
      (scope, _state, events) => this.observe(scope, events),
    );
  }

  reset(): void {
    this.scopesOf.reset();
    this.ahead.clear();
    this.inFlight.clear();
  }

  /**
   * How far ahead of its decision a token is due: half again the longest recent round trip (the token
   * to its run, the run's timer back to the relay), so every attempt goes out on its run's timer, set
   * before its time, and all of them are equally late (docs/adr/0123).
   */
  get leadMs(): number {
    if (this.hops.length === 0) return DEFAULT_LEAD_MS;
    return Math.min(MAX_LEAD_MS, Math.ceil(1.5 * Math.max(...this.hops)));
  }

  /** The run's answer to a token (its wait or its dispatch) reached the relay at `at`. */
  tokenArrived(runId: string, taskId: string, attempt: number, at: Date): void {
    const id = `${runId}/${taskId}/${attempt}`;
    const decidedAt = this.inFlight.get(id);
    if (decidedAt === undefined) return;
    this.inFlight.delete(id);
    this.hops.push(Math.max(0, at.getTime() - decidedAt));
    if (this.hops.length > HOPS_KEPT) this.hops.shift();
  }

  decide(commands: readonly RateLimitScopeCommand[]): Promise<void> {
    return this.scopesOf.decide(commands);
  }

  /** Keys with a task attempt waiting for its token's time, as this leader decided them. */
  get keys(): RateLimitGauge[] {
    const now = this.clock().getTime();
    const gauges: RateLimitGauge[] = [];
    for (const [key, times] of this.ahead) {
      const firstAhead = times.findIndex((time) => time > now);
      if (firstAhead === -1) {
        // A key with nothing waiting is not reported: its series disappears rather than showing 0.
        this.ahead.delete(key);
        continue;
      }
      times.splice(0, firstAhead);
      gauges.push({ key, waiting: times.length });
    }
    return gauges;
  }

  private observe(scope: string, events: readonly RateLimitEvent[]): void {
    for (const event of events) {
      const { runId, taskId, attempt, decidedAt } = event.data;
      this.inFlight.set(`${runId}/${taskId}/${attempt}`, Date.parse(decidedAt));
      if (this.inFlight.size > MAX_TOKENS_IN_FLIGHT) this.inFlight.delete(this.inFlight.keys().next().value!);
      const times = this.ahead.get(scope) ?? [];
      times.push(Date.parse(event.data.startAt));
      this.ahead.set(scope, times);
    }
  }
}
