import { type RunResource } from '@spark/contracts';

export interface PendingStart {
  runId: string;
  workflow: { name: string; version: number };
  input: unknown;
  labels?: Record<string, string>;
  idempotencyKey?: string;
  acceptedAt: string;
  expiresAt: number;
}

/**
 * Starts this gateway accepted whose run stream may not exist yet: a GET right after a start answers
 * PENDING, never 404 ("read your own write"). Kept for a while, then dropped: by then the run's stream
 * (or the read model) answers. Another gateway instance falls back to the read model.
 */
export class PendingStarts {
  private readonly starts = new Map<string, PendingStart>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  remember(start: Omit<PendingStart, 'expiresAt'>): void {
    this.prune();
    this.starts.delete(start.runId);
    this.starts.set(start.runId, { ...start, expiresAt: this.clock() + this.ttlMs });
    if (this.starts.size > this.maxEntries) this.starts.delete(this.starts.keys().next().value!);
  }

  get(runId: string): PendingStart | undefined {
    const start = this.starts.get(runId);
    if (start && start.expiresAt <= this.clock()) {
      this.starts.delete(runId);
      return undefined;
    }
    return start;
  }

  /** The run as it looks before the scheduler has started it. */
  static toResource(start: PendingStart): RunResource {
    return {
      runId: start.runId,
      workflow: start.workflow,
      status: 'PENDING',
      input: start.input,
      ...(start.labels ? { labels: start.labels } : {}),
      ...(start.idempotencyKey ? { idempotencyKey: start.idempotencyKey } : {}),
      acceptedAt: start.acceptedAt,
      steps: [],
    };
  }

  private prune(): void {
    const now = this.clock();
    for (const [runId, start] of this.starts) {
      if (start.expiresAt > now) break; // insertion order = expiry order
      this.starts.delete(runId);
    }
  }
}
