import { json, RecordingHttpServer } from '@spark/testing';

/** The parts of an idempotency key `runId:stepId:attempt` (a map item's step id is `step[i]`). */
export function parseKey(key: string): { runId: string; stepId: string; attempt: number } | undefined {
  const parts = key.split(':');
  if (parts.length < 3) return undefined;
  const attempt = Number(parts.at(-1));
  return Number.isInteger(attempt)
    ? { runId: parts.slice(0, -2).join(':'), stepId: parts.at(-2)!, attempt }
    : undefined;
}

/**
 * The test HTTP service the chaos workload calls: it records every request with its `Idempotency-Key`
 * and applies each key's effect once (a repeated key gets the first answer again, as an idempotent API
 * answers). `/flaky/<n>` fails the first n attempts of a step with 503; `/missing` is a 404.
 */
export class EffectLedger {
  /** Requests per idempotency key (more than one: a redelivery). */
  readonly requests = new Map<string, number>();
  /** Keys whose effect was applied, per `runId:stepId`: more than one means the step's effect happened twice. */
  readonly appliedByStep = new Map<string, Set<string>>();
  readonly withoutKey: string[] = [];
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  private readonly server = new RecordingHttpServer((request, response) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') {
      this.withoutKey.push(request.path);
      return json(response, 400, { error: 'Idempotency-Key missing' });
    }
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const earlier = this.answers.get(key);
    if (earlier) return json(response, earlier.status, earlier.body);
    const answer = this.answer(request.path, key, request.body);
    if (answer.status < 300) {
      const parsed = parseKey(key);
      const step = parsed ? `${parsed.runId}:${parsed.stepId}` : key;
      const applied = this.appliedByStep.get(step) ?? new Set<string>();
      applied.add(key);
      this.appliedByStep.set(step, applied);
      this.answers.set(key, answer);
    }
    json(response, answer.status, answer.body);
  });

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get totalRequests(): number {
    return this.server.requests.length;
  }

  /** Requests beyond the first per key: deliveries Kafka or a restart repeated, absorbed by the key. */
  redeliveries(): number {
    let extra = 0;
    for (const count of this.requests.values()) extra += count - 1;
    return extra;
  }

  private answer(path: string, key: string, body: string): { status: number; body: unknown } {
    const sent = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (path.startsWith('/missing')) return { status: 404, body: { error: 'no courier' } };
    const flaky = /^\/flaky\/(\d+)$/.exec(path);
    if (flaky && (parseKey(key)?.attempt ?? 0) <= Number(flaky[1]))
      return { status: 503, body: { error: 'try again' } };
    const item = typeof sent.item === 'number' ? sent.item : undefined;
    return {
      status: 200,
      body: {
        key,
        echo: sent,
        ...(item === undefined ? {} : { doubled: item * 2 }),
        attempt: parseKey(key)?.attempt,
      },
    };
  }
}
