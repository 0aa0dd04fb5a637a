import { sleep } from './timing';

export class GatewayError extends Error {}

/**
 * The workload's client of the gateways' REST API: requests go round-robin to the instances, and one
 * that cannot be reached (killed, restarting) or answers 5xx is retried on the next, with the same
 * Idempotency-Key, until the deadline.
 */
export class GatewayApi {
  private next = 0;

  constructor(
    private readonly urls: readonly string[],
    private readonly apiKey: string,
  ) {}

  /** Requests that failed and were retried (a gateway down, a 5xx while a dependency restarts). */
  retries = 0;

  async call<T>(
    method: string,
    path: string,
    body: unknown,
    options: { idempotencyKey?: string; accept: number[]; timeoutMs?: number },
  ): Promise<{ status: number; body: T }> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let problem = '';
    for (;;) {
      const base = this.urls[this.next++ % this.urls.length]!;
      try {
        const response = await fetch(`${base}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.apiKey}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        if (options.accept.includes(response.status)) {
          return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
        }
        problem = `HTTP ${response.status} ${text.slice(0, 300)}`;
        if (response.status < 500 && response.status !== 404 && response.status !== 409) {
          throw new GatewayError(`${method} ${path}: ${problem}`);
        }
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        problem = String(error);
      }
      this.retries++;
      if (Date.now() > deadline) throw new GatewayError(`${method} ${path}: gave up, last: ${problem}`);
      await sleep(200);
    }
  }
}
