import { summariseRate } from './rates';
import { parseResults, type VegetaResult } from './vegeta';

const answer = (runId: string, sentAt: number, code = 202, latencyMs = 5): VegetaResult => ({
  sentAt,
  answeredAt: sentAt + latencyMs,
  latencyMs,
  code,
  error: code === 0 ? 'connection refused' : '',
  body: code === 202 ? JSON.stringify({ runId }) : '',
});

describe('summariseRate', () => {
  it('counts completions inside window + drain, their latency from the answer, and errors by status', () => {
    const answered = [
      answer('a', 0),
      answer('b', 100),
      answer('c', 200),
      answer('', 300, 503),
      answer('', 400, 0),
      answer('d', 500),
    ];
    const summary = summariseRate({
      rate: 10,
      seconds: 1,
      drainSeconds: 1,
      answered,
      windowEnd: 1000,
      // a: 45 ms after its answer; b: 95 ms; c: after the drain (2000 ms); d never
      completedAt: new Map([
        ['a', 50],
        ['b', 200],
        ['c', 2500],
      ]),
      storeCompletedAt: new Map([
        ['a', 20],
        ['b', 150],
        ['c', 1900],
      ]),
      failed: new Set(['d']),
    });
    expect(summary.requests).toBe(6);
    expect(summary.accepted).toBe(4);
    expect(summary.completed).toBe(2);
    expect(summary.completedShare).toBe(0.5);
    expect(summary.acceptedToCompleted.p50Ms).toBe(45);
    expect(summary.acceptedToCompleted.p99Ms).toBe(95);
    expect(summary.completedPerSecond).toBeCloseTo(2 / 0.2);
    expect(summary.storeCompletedShare).toBe(0.75);
    expect(summary.errors).toEqual({ '503': 1, '0': 1 });
    expect(summary.transportErrors).toEqual(['connection refused']);
    expect(summary.failedRuns).toBe(1);
  });
});

describe('parseResults', () => {
  it("reads vegeta's JSON lines: nanosecond timestamps and latencies, base64 bodies", () => {
    const line = JSON.stringify({
      code: 202,
      timestamp: '2026-12-01T11:26:26.572129777Z',
      latency: 2_500_000,
      error: '',
      body: Buffer.from('{"runId":"r1"}').toString('base64'),
    });
    const [result] = parseResults(`${line}\n`);
    expect(result!.sentAt).toBeCloseTo(Date.parse('2026-12-01T11:26:26.572Z') + 0.129777, 5);
    expect(result!.latencyMs).toBe(2.5);
    expect(result!.answeredAt - result!.sentAt).toBeCloseTo(2.5, 5);
    expect(result!.body).toBe('{"runId":"r1"}');
  });
});
