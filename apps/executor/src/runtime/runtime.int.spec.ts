import type { TaskDispatch, TaskResult } from '@spark/contracts';
import { HandlerRegistry, HttpHandler, OutboundHttp } from '../handlers';
import { aDispatch, json, RecordingHttpServer, silentLogger } from '../test-support';
import { Bulkheads } from './bulkhead';
import { CircuitBreakers } from './circuit-breakers';
import { type ResultSink, TaskRunner } from './task-runner';

class RecordingSink implements ResultSink {
  readonly results: TaskResult[] = [];
  async publish(result: TaskResult, _dispatch: TaskDispatch) {
    this.results.push(result);
  }
  final(runId: string) {
    return this.results.find((r) => r.runId === runId && (r.status === 'succeeded' || r.status === 'failed'));
  }
}

// The runtime around real HTTP calls: bulkheads, start-to-close timeouts, cancellation, circuits.
describe('executor runtime against local HTTP servers', () => {
  const slow = new RecordingHttpServer((_request, response) => {
    setTimeout(() => json(response, 200, { ok: true }), 100).unref();
  });
  const failing = new RecordingHttpServer((_request, response) => json(response, 503, { error: 'down' }));
  const healthy = new RecordingHttpServer((_request, response) => json(response, 200, { ok: true }));
  const circuits = new CircuitBreakers({
    errorThresholdPercentage: 50,
    volumeThreshold: 4,
    rollingCountTimeoutMs: 10_000,
    resetTimeoutMs: 300,
  });
  let aborted = 0;

  function aRunner(httpLimit: number) {
    const sink = new RecordingSink();
    const runner = new TaskRunner(
      new HandlerRegistry([new HttpHandler(new OutboundHttp(circuits))]),
      new Bulkheads(() => httpLimit),
      sink,
      { workerId: 'int', startedReportDelayMs: 0, heartbeatThrottleMs: 1000 },
      silentLogger,
    );
    return { runner, sink };
  }

  async function runAll(runner: TaskRunner, dispatches: TaskDispatch[]) {
    const started = await Promise.all(dispatches.map((dispatch) => runner.start(dispatch)));
    await Promise.all(started.map(({ completion }) => completion));
  }

  const httpTo = (url: string, startToCloseMs = 10_000) =>
    aDispatch({ handler: 'http', config: { url }, timeouts: { startToCloseMs } });

  beforeAll(async () => {
    await Promise.all([slow.start(), failing.start(), healthy.start()]);
  });
  afterAll(async () => {
    circuits.shutdown();
    await Promise.all([slow.stop(), failing.stop(), healthy.stop()]);
  });

  it('never runs more tasks of a handler type at once than its bulkhead allows', async () => {
    const { runner, sink } = aRunner(3);
    const dispatches = Array.from({ length: 12 }, () => httpTo(`${slow.url}/work`));
    await runAll(runner, dispatches);
    expect(slow.maxInFlight).toBe(3);
    expect(dispatches.every((dispatch) => sink.final(dispatch.runId)?.status === 'succeeded')).toBe(true);
  });

  it('fails with TIMEOUT_START_TO_CLOSE after start-to-close and aborts the request in flight', async () => {
    const { runner, sink } = aRunner(10);
    slow.respondWith((_request, response) => {
      response.on('close', () => !response.writableFinished && aborted++);
      setTimeout(() => json(response, 200, {}), 1000).unref();
    });
    const dispatch = httpTo(`${slow.url}/too-slow`, 80);
    const before = Date.now();
    await runAll(runner, [dispatch]);
    expect(Date.now() - before).toBeLessThan(900);
    expect(sink.final(dispatch.runId)).toMatchObject({
      status: 'failed',
      error: { code: 'TIMEOUT_START_TO_CLOSE', classification: 'timeout' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(aborted).toBe(1);
  });

  it('cancels a running HTTP task: the request is aborted and the attempt fails as CANCELLED', async () => {
    const { runner, sink } = aRunner(10);
    const dispatch = httpTo(`${slow.url}/cancel-me`);
    const { completion } = await runner.start(dispatch);
    await new Promise((resolve) => setTimeout(resolve, 30));
    runner.cancel(dispatch.runId);
    await completion;
    expect(sink.final(dispatch.runId)).toMatchObject({
      error: { code: 'CANCELLED', classification: 'cancelled' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(aborted).toBe(2);
  });

  it('opens the circuit of a failing host after repeated failures, leaves other hosts alone, and closes it again', async () => {
    const { runner, sink } = aRunner(1);
    const failures = Array.from({ length: 4 }, () => httpTo(`${failing.url}/x`));
    await runAll(runner, failures);
    expect(failures.map((d) => (sink.final(d.runId) as { error: { code: string } }).error.code)).toEqual(
      Array(4).fill('HTTP_503'),
    );
    expect(circuits.state(new URL(failing.url).host)).toBe('open');

    const requestsBefore = failing.requests.length;
    const rejected = httpTo(`${failing.url}/x`);
    const otherHost = httpTo(`${healthy.url}/y`);
    await runAll(runner, [rejected, otherHost]);
    const refusal = sink.final(rejected.runId) as { error: { retryAfterMs: number } };
    expect(refusal).toMatchObject({ error: { code: 'CIRCUIT_OPEN', classification: 'retryable' } });
    // The retry is told to wait for the rest of the open time (300 ms here), not to burn an attempt now.
    expect(refusal.error.retryAfterMs).toBeGreaterThan(0);
    expect(refusal.error.retryAfterMs).toBeLessThanOrEqual(300);
    expect(failing.requests.length).toBe(requestsBefore);
    expect(sink.final(otherHost.runId)).toMatchObject({ status: 'succeeded' });

    failing.respondWith((_request, response) => json(response, 200, { back: true }));
    await new Promise((resolve) => setTimeout(resolve, 350));
    const trial = httpTo(`${failing.url}/x`);
    await runAll(runner, [trial]);
    expect(sink.final(trial.runId)).toMatchObject({ status: 'succeeded' });
    expect(circuits.state(new URL(failing.url).host)).toBe('closed');
  });
});
