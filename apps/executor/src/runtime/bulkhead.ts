import { DEFAULT_TASK_PRIORITY, PriorityLine } from './priority-line';

/** How long a waiter takes to gain one priority level, unless the executor is told otherwise. */
export const DEFAULT_PRIORITY_AGING_MS = 1000;

/** Gives back a slot; calling it more than once is harmless. */
export type Release = () => void;

/**
 * At most `limit` tasks of one handler type at once; the rest wait by priority, then arrival order
 * (a `PriorityLine`). Keeps a slow kind of target (LangFlow flows, agents) from taking every socket
 * and all the memory.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: PriorityLine<() => void>;

  constructor(
    readonly name: string,
    readonly limit: number,
    priorityAgingMs = DEFAULT_PRIORITY_AGING_MS,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`bulkhead ${name}: limit must be a positive integer`);
    this.waiting = new PriorityLine(priorityAgingMs);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waiters by the priority they asked with. */
  queuedByPriority(): Record<number, number> {
    return this.waiting.countsByPriority();
  }

  async acquire(priority = DEFAULT_TASK_PRIORITY): Promise<Release> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      // The releasing task hands its slot over directly, so `active` never drops in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve, priority));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

export interface BulkheadStats {
  inFlight: number;
  queued: number;
  queuedByPriority: Record<number, number>;
}

/** One bulkhead per handler type, made on first use with that type's limit. */
export class Bulkheads {
  private readonly bulkheads = new Map<string, Bulkhead>();

  constructor(
    private readonly limitOf: (handler: string) => number,
    private readonly priorityAgingMs = DEFAULT_PRIORITY_AGING_MS,
  ) {}

  for(handler: string): Bulkhead {
    let bulkhead = this.bulkheads.get(handler);
    if (!bulkhead) {
      bulkhead = new Bulkhead(handler, this.limitOf(handler), this.priorityAgingMs);
      this.bulkheads.set(handler, bulkhead);
    }
    return bulkhead;
  }

  /** Tasks in flight and waiting per handler type: the in-process figure later metrics read. */
  stats(): Record<string, BulkheadStats> {
    const stats: Record<string, BulkheadStats> = {};
    for (const [name, bulkhead] of this.bulkheads)
      stats[name] = {
        inFlight: bulkhead.inFlight,
        queued: bulkhead.queued,
        queuedByPriority: bulkhead.queuedByPriority(),
      };
    return stats;
  }
}
