import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EngineHarness, json, RecordingHttpServer } from '@spark/testing';

// Observability end to end (issue 8): a three-step run with one retry, started over REST, is ONE trace
// in Jaeger through gateway, scheduler, executor and projector; /metrics counts it; its log lines
// carry its trace id. The services export to the stack's Jaeger under names with a suffix of their own.

const JAEGER = (process.env.SPARK_JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686').replace(/\/$/, '');
const OTLP = process.env.SPARK_OTLP_ENDPOINT ?? 'http://127.0.0.1:14318';
const SUFFIX = `-e2e-${randomBytes(4).toString('hex')}`;
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const SERVICES = ['gateway', 'scheduler', 'executor', 'projector'] as const;
const serviceName = (service: string) => `spark-${service}${SUFFIX}`;

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: { key: string; value: unknown }[];
  processID: string;
}

interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

interface Span extends JaegerSpan {
  service: string;
  instance: string;
  parent?: string;
}

async function jaeger<T>(path: string): Promise<T | undefined> {
  const response = await fetch(`${JAEGER}${path}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger ${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: T }).data;
}

function spansOf(trace: JaegerTrace): Span[] {
  return trace.spans.map((span) => ({
    ...span,
    service: trace.processes[span.processID]!.serviceName.replace(SUFFIX, '').replace(/^spark-/, ''),
    instance: String(
      trace.processes[span.processID]!.tags.find((t) => t.key === 'service.instance.id')?.value ?? '',
    ),
    parent: span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
  }));
}

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('observability: one run is one trace, counted in /metrics, its logs carry the trace id', () => {
  let engine: EngineHarness;
  let target: RecordingHttpServer;
  let writerKey = '';
  let baseUrl = '';
  const workflow = `observed-${randomUUID().slice(0, 8)}`;
  let runId = '';
  let traceId = '';
  let spans: Span[] = [];

  beforeAll(async () => {
    let calls = 0;
    target = new RecordingHttpServer((_request, response) =>
      // The first call fails with a retryable status, the second succeeds.
      ++calls === 1 ? json(response, 503, { error: 'try again' }) : json(response, 200, { ok: true }),
    );
    await target.start();
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_OTLP_ENDPOINT: OTLP,
        SPARK_SERVICE_NAME_SUFFIX: SUFFIX,
        SPARK_TRACE_SAMPLE_RATIO: '1',
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
      },
    });
    baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
    const key = await fetch(`${baseUrl}/api/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e-observability', scopes: ['write', 'read'] }),
    });
    expect(key.status).toBe(201);
    writerKey = ((await key.json()) as { key: string }).key;
  });

  afterAll(async () => {
    await engine?.stop();
    await target?.stop();
  });

  const api = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a three-step run with one retry, started over REST, is one trace through all four services in causal order', async () => {
    const registered = await api('/api/v1/workflows', {
      name: workflow,
      version: 1,
      steps: [
        { id: 'prepare', type: 'task', handler: 'noop' },
        {
          id: 'call',
          type: 'task',
          needs: ['prepare'],
          handler: 'http',
          config: { method: 'POST', url: `${target.url}/call` },
          retry: { maxAttempts: 3, initialInterval: '200ms' },
        },
        { id: 'finish', type: 'task', needs: ['call'], handler: 'noop' },
      ],
      output: 'steps.call.output.status',
    });
    expect(registered.status).toBe(201);
    const started = await api('/api/v1/runs', { workflow, input: {} });
    expect(started.status).toBe(202);
    runId = ((await started.json()) as { runId: string }).runId;
    const finished = await engine.waitForRun(runId);
    expect(finished.outcome).toBe('RunCompleted');
    expect(target.requests).toHaveLength(2);

    // Every event of the run carries a traceparent of one trace.
    const traceIds = new Set(finished.events.map((event) => String(event.metadata.traceparent).slice(3, 35)));
    expect(traceIds.size).toBe(1);
    traceId = [...traceIds][0]!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // Jaeger has it once every service has exported its part (batches every 500 ms; the projector
    // projects shortly after the run ends).
    spans = await until('the whole trace in Jaeger', async () => {
      const traces = await jaeger<JaegerTrace[]>(`/api/traces/${traceId}`);
      const found = traces?.[0] ? spansOf(traces[0]) : [];
      const attempts = found.filter((span) => span.operationName === 'spark.step.attempt');
      const complete =
        SERVICES.every((service) => found.some((span) => span.service === service)) &&
        attempts.length === 4 &&
        found.some((span) => span.operationName === 'spark.project') &&
        // The start, four results (quick tasks report no separate `started`) and the retry timer.
        found.filter((span) => span.operationName === 'spark.decide').length >= 6;
      return complete ? found : undefined;
    });

    const byId = new Map(spans.map((span) => [span.spanID, span]));
    const ancestors = (span: Span): Span[] => {
      const chain: Span[] = [];
      for (let at = span.parent ? byId.get(span.parent) : undefined; at;) {
        chain.push(at);
        at = at.parent ? byId.get(at.parent) : undefined;
      }
      return chain;
    };
    // One root: the gateway's start; every other span hangs under it.
    const roots = spans.filter((span) => !span.parent);
    expect(roots.map((span) => `${span.service}:${span.operationName}`)).toEqual(['gateway:spark.run.start']);
    const root = roots[0]!;
    expect(tag(root, 'spark.run.id')).toBe(runId);
    expect(tag(root, 'spark.workflow')).toBe(workflow);
    for (const span of spans) if (span !== root) expect(ancestors(span)).toContain(root);

    // Causal order: start -> decide -> attempt (a dispatch the deciding instance sends ahead of the log
    // carries its decision's context; one the log-following relay sends hangs under a spark.relay span);
    // the retry's attempt descends from the failed one (through its result, the decision, the retry
    // timer and the new dispatch).
    const attempts = spans.filter((span) => span.operationName === 'spark.step.attempt');
    const attemptOf = (stepId: string, attempt: number) =>
      attempts.find(
        (span) => tag(span, 'spark.step.id') === stepId && tag(span, 'spark.attempt') === attempt,
      )!;
    const [prepare, call1, call2, finish] = [
      attemptOf('prepare', 1),
      attemptOf('call', 1),
      attemptOf('call', 2),
      attemptOf('finish', 1),
    ];
    for (const span of [prepare, call1, call2, finish]) {
      expect(span).toBeDefined();
      expect(span.service).toBe('executor');
      const chain = ancestors(span).map((at) => `${at.service}:${at.operationName}`);
      const sentBy = chain.find((name) => !name.endsWith(' publish'));
      expect(['scheduler:spark.decide', 'scheduler:spark.relay']).toContain(sentBy);
      expect(chain).toContain('scheduler:spark.decide');
      expect(span.startTime).toBeGreaterThanOrEqual(root.startTime);
    }
    expect(ancestors(call1)).toContain(prepare);
    expect(ancestors(call2)).toContain(call1);
    expect(ancestors(finish)).toContain(call2);
    expect(ancestors(call2).some((span) => tag(span, 'spark.command') === 'FireTimer')).toBe(true);
    expect(call2.startTime).toBeGreaterThan(call1.startTime + call1.duration);
    const project = spans.filter((span) => span.operationName === 'spark.project');
    expect(project.every((span) => span.service === 'projector')).toBe(true);
    expect(project.every((span) => ancestors(span).some((at) => at.operationName === 'spark.decide'))).toBe(
      true,
    );

    // ONE trace: the run's spans found by service and run id belong to no other trace.
    for (const service of SERVICES) {
      const tags = encodeURIComponent(JSON.stringify({ 'spark.run.id': runId }));
      const traces = await jaeger<JaegerTrace[]>(
        `/api/traces?service=${serviceName(service)}&tags=${tags}&limit=20&lookback=1h`,
      );
      expect(new Set((traces ?? []).map((trace) => trace.traceID))).toEqual(new Set([traceId]));
    }

    // The summary for the issue note.
    const start = root.startTime;
    const lines = [...spans]
      .sort((a, b) => a.startTime - b.startTime)
      .map((span) => {
        const depth = ancestors(span).length;
        const attrs = ['spark.step.id', 'spark.attempt', 'spark.command', 'spark.event.type']
          .map((key) =>
            tag(span, key) === undefined ? '' : `${key.replace('spark.', '')}=${String(tag(span, key))}`,
          )
          .filter(Boolean)
          .join(' ');
        return `${`+${((span.startTime - start) / 1000).toFixed(1)}ms`.padStart(10)} ${`${(span.duration / 1000).toFixed(1)}ms`.padStart(9)}  ${'  '.repeat(Math.min(depth, 30))}${span.service} ${span.operationName}${attrs ? ` (${attrs})` : ''}`;
      });
    const counts = SERVICES.map(
      (service) => `${service}: ${spans.filter((span) => span.service === service).length}`,
    ).join(', ');
    console.log(
      `Jaeger trace ${traceId} of run ${runId}: ${spans.length} spans (${counts}), ${((Math.max(...spans.map((s) => s.startTime + s.duration)) - start) / 1000).toFixed(0)} ms\n${lines.join('\n')}`,
    );
  });

  it('counts the run in the scheduler /metrics, and the step latency in the executor /metrics', async () => {
    expect(runId).not.toBe('');
    const scrape = async (service: 'scheduler' | 'executor' | 'projector' | 'gateway', key?: string) => {
      const response = await fetch(`http://127.0.0.1:${engine.ports[service]}/metrics`, {
        ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      return response.text();
    };
    const value = (text: string, metric: string, labels: Record<string, string>) => {
      const line = text
        .split('\n')
        .find(
          (candidate) =>
            candidate.startsWith(`${metric}{`) &&
            Object.entries(labels).every(([key, val]) => candidate.includes(`${key}="${val}"`)),
        );
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const scheduler = await scrape('scheduler');
    expect(value(scheduler, 'spark_runs_started_total', { workflow })).toBe(1);
    expect(value(scheduler, 'spark_runs_completed_total', { workflow })).toBe(1);
    expect(value(scheduler, 'spark_runs_failed_total', { workflow })).toBeUndefined();
    expect(value(scheduler, 'spark_event_store_append_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(scheduler).toMatch(/^spark_timers_pending\{[^}]*\} \d+$/m);

    const executor = await scrape('executor');
    expect(value(executor, 'spark_step_duration_seconds_count', { handler: 'http', outcome: 'failed' })).toBe(
      1,
    );
    expect(
      value(executor, 'spark_step_duration_seconds_count', { handler: 'http', outcome: 'succeeded' }),
    ).toBe(1);
    expect(
      value(executor, 'spark_step_duration_seconds_count', { handler: 'noop', outcome: 'succeeded' }),
    ).toBe(2);
    expect(executor).toContain('# TYPE spark_tasks_in_flight gauge');
    expect(executor).toContain('# TYPE spark_circuit_breaker_state gauge');
    expect(value(executor, 'spark_circuit_breaker_state', { host: new URL(target.url).host })).toBe(0);

    // The projector keeps its lag gauges, now next to the shared ones.
    const projector = await scrape('projector');
    expect(projector).toMatch(/^spark_projection_lag_events\{checkpoint="[^"]+"\} \d+$/m);
    expect(projector).toContain('spark_process_cpu_seconds_total');
    // The gateway faces users: its /metrics needs an admin API key (as every route without a scope).
    expect((await fetch(`http://127.0.0.1:${engine.ports.gateway}/metrics`)).status).toBe(401);
    expect(await scrape('gateway', BOOTSTRAP_KEY)).toContain('spark_nodejs_heap_size_used_bytes');
  });

  it('log lines of the run carry its trace id', async () => {
    expect(traceId).not.toBe('');
    const linesOf = (service: 'scheduler' | 'executor') =>
      readFileSync(engine.processes.get(service)!.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const decided = linesOf('scheduler').filter((line) => line.runId === runId && line.msg === 'decided');
    expect(decided.length).toBeGreaterThan(0);
    expect(decided.every((line) => line.trace_id === traceId && typeof line.span_id === 'string')).toBe(true);
    const failed = linesOf('executor').find(
      (line) => line['spark.run.id'] === runId && line.msg === 'task failed',
    );
    expect(failed).toMatchObject({ trace_id: traceId, 'spark.step.id': 'call', attempt: 1 });
  });

  it('a scheduler restart (kill -9) in the middle of a run does not break its trace', async () => {
    const name = `restarted-${randomUUID().slice(0, 8)}`;
    const registered = await api('/api/v1/workflows', {
      name,
      version: 1,
      steps: [
        { id: 'slow', type: 'task', handler: 'sleep', config: { durationMs: 4000 } },
        { id: 'after', type: 'task', needs: ['slow'], handler: 'noop' },
      ],
    });
    expect(registered.status).toBe(201);
    const started = await api('/api/v1/runs', { workflow: name, input: {} });
    expect(started.status).toBe(202);
    const restartedRun = ((await started.json()) as { runId: string }).runId;
    await engine.waitForEvent(restartedRun, (event) => event.type === 'TaskDispatched');
    // Let the scheduler export its spans so far (batches every 500 ms), then crash it mid-step.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await engine.kill('scheduler');
    await engine.startService('scheduler');
    const finished = await engine.waitForRun(restartedRun);
    expect(finished.outcome).toBe('RunCompleted');
    const restartedTrace = String(finished.events[0]!.metadata.traceparent).slice(3, 35);
    expect(new Set(finished.events.map((event) => String(event.metadata.traceparent).slice(3, 35)))).toEqual(
      new Set([restartedTrace]),
    );

    const found = await until('the restarted run in Jaeger', async () => {
      const traces = await jaeger<JaegerTrace[]>(`/api/traces/${restartedTrace}`);
      const all = traces?.[0] ? spansOf(traces[0]) : [];
      const after = all.find(
        (span) => span.operationName === 'spark.step.attempt' && tag(span, 'spark.step.id') === 'after',
      );
      return after && all.some((span) => span.operationName === 'spark.project') ? all : undefined;
    });
    const byId = new Map(found.map((span) => [span.spanID, span]));
    const rootOf = (span: Span): Span => {
      let at = span;
      while (at.parent && byId.has(at.parent)) at = byId.get(at.parent)!;
      return at;
    };
    const roots = found.filter((span) => !span.parent);
    expect(roots.map((span) => span.operationName)).toEqual(['spark.run.start']);
    // Decisions from both scheduler processes, in the one trace. Spans the killed process had not
    // exported yet are lost with it (SIGKILL leaves no time to flush), so a span whose parent was one of
    // those hangs from the trace without a path to the root: the trace stays one, its tree may have holes.
    const schedulers = new Set(
      found.filter((span) => span.operationName === 'spark.decide').map((span) => span.instance),
    );
    expect(schedulers.size).toBe(2);
    for (const span of found) {
      const top = rootOf(span);
      // Either connected to the root, or cut off only by a parent span that never reached Jaeger.
      expect(top === roots[0] || (top.parent !== undefined && !byId.has(top.parent))).toBe(true);
    }
  });
});
