/** The priority a dispatch has when it names none (the definition's default). */
export const DEFAULT_TASK_PRIORITY = 5;

interface Entry<T> {
  item: T;
  priority: number;
  /** priority − time in line / agingMs at entry: the order, fixed once in line (see below). */
  rank: number;
}

/**
 * A waiting line that lets the highest priority out first and, among equals, the longest waiting.
 * Against starvation a waiter gains one priority level for every `agingMs` in line, so a priority-0
 * task waits at most about 9 × `agingMs` behind a stream of priority-9 ones (docs/adr/0121). Every
 * waiter ages at the same rate, so the order of two waiters never changes once both are in line: the
 * rank is computed once, at entry, and the line stays sorted by it.
 */
export class PriorityLine<T> {
  private readonly entries: Entry<T>[] = [];

  constructor(
    private readonly agingMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(agingMs > 0)) throw new Error('priority aging must be a positive number of milliseconds');
  }

  get length(): number {
    return this.entries.length;
  }

  push(item: T, priority = DEFAULT_TASK_PRIORITY): void {
    const entry: Entry<T> = { item, priority, rank: priority - this.now() / this.agingMs };
    // After every entry of a rank at least as high: equal ranks leave in arrival order.
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.rank >= entry.rank) low = middle + 1;
      else high = middle;
    }
    this.entries.splice(low, 0, entry);
  }

  shift(): T | undefined {
    return this.entries.shift()?.item;
  }

  /** Waiters per priority they asked with (not their aged one). */
  countsByPriority(): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const { priority } of this.entries) counts[priority] = (counts[priority] ?? 0) + 1;
    return counts;
  }
}
