/** Gives back a slot; calling it more than once is harmless. */
export type Release = () => void;

/**
 * At most `limit` tasks of one handler type at once; the rest wait in arrival order. Keeps a slow
 * kind of target (LangFlow flows, agents) from taking every socket and all the memory.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly limit: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`bulkhead ${name}: limit must be a positive integer`);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async acquire(): Promise<Release> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      // The releasing task hands its slot over directly, so `active` never drops in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
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
}

/** One bulkhead per handler type, made on first use with that type's limit. */
export class Bulkheads {
  private readonly bulkheads = new Map<string, Bulkhead>();

  constructor(private readonly limitOf: (handler: string) => number) {}

  for(handler: string): Bulkhead {
    let bulkhead = this.bulkheads.get(handler);
    if (!bulkhead) {
      bulkhead = new Bulkhead(handler, this.limitOf(handler));
      this.bulkheads.set(handler, bulkhead);
    }
    return bulkhead;
  }

  /** Tasks in flight and waiting per handler type: the in-process figure later metrics read. */
  stats(): Record<string, BulkheadStats> {
    const stats: Record<string, BulkheadStats> = {};
    for (const [name, bulkhead] of this.bulkheads)
      stats[name] = { inFlight: bulkhead.inFlight, queued: bulkhead.queued };
    return stats;
  }
}
