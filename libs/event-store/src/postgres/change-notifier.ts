import { Client, type ClientConfig } from 'pg';

/**
 * One LISTEN connection per store, shared by its subscriptions. Every notification (and every
 * reconnect, when notifications may have been lost) bumps `generation`; a subscription remembers the
 * generation before it reads and, once caught up, waits for a newer one or a timeout.
 */
export class ChangeNotifier {
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clientConfig: ClientConfig,
    private readonly channel: string,
  ) {}

  get currentGeneration(): number {
    return this.generation;
  }

  /** Starts listening (once); resolves when LISTEN is in place, or on failure (polling covers it). */
  start(): Promise<void> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  /** Resolves when the generation moves past `seen` or after `timeoutMs`, whichever comes first. */
  waitForChange(seen: number, timeoutMs: number): Promise<void> {
    if (this.generation !== seen || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Wakes every waiter, e.g. when a subscription is closed. */
  wakeAll(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client(this.clientConfig);
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.reconnectLater(client));
    client.on('end', () => this.reconnectLater(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(this.channel)}`);
      this.client = client;
      this.wakeAll();
    } catch {
      this.reconnectLater(client);
    }
  }

  private reconnectLater(failed: Client): void {
    if (this.closed || this.retryTimer) return;
    if (this.client === failed) this.client = undefined;
    failed.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, 1000);
    this.retryTimer.unref();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
