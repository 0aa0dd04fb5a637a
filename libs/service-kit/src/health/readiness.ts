/** A dependency the service needs before it can do useful work (Kafka, the event store...). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; rejects with a message saying what is wrong. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

/** Ready once the Kafka consumer has joined its consumer group. */
export function consumerJoinedCheck(
  name: string,
  consumer: () => { joined: boolean } | undefined,
): ReadinessCheck {
  return {
    name,
    check: async () => {
      if (!consumer()?.joined) throw new Error(`${name} has not joined its consumer group yet`);
    },
  };
}

/** Collects the checks that readiness runs; services add their own at start-up. */
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async report(timeoutMs = 2000): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
          return [name, { status: 'up' as const }] as const;
        } catch (error) {
          return [
            name,
            { status: 'down' as const, error: error instanceof Error ? error.message : String(error) },
          ] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const allUp = results.every(([, result]) => result.status === 'up');
    return { status: allUp ? 'ready' : 'not_ready', checks };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
