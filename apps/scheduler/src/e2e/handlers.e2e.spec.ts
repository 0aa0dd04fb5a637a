import { randomUUID } from 'node:crypto';
import { Topics, taskTopic, type TaskDispatch, type TaskResult } from '@spark/contracts';
import type { ConsumerHandle } from '@spark/messaging';
import { EngineHarness, json, RecordingHttpServer } from '@spark/testing';

// Step types and handlers end to end: a map of 100 with a concurrency limit, a switch, LangFlow and
// AutoMagik agent steps against local servers that speak those APIs, an external worker, and a retry
// of a failed run from where it failed. Scheduler and executor are separate processes.
describe('step types and handlers end to end', () => {
  let engine: EngineHarness;
  const LANGFLOW_KEY = `lf-key-${randomUUID().slice(0, 8)}`;
  const AGENTS_KEY = `ag-key-${randomUUID().slice(0, 8)}`;

  /** Answers each map item after a delay that shrinks with the index, so items finish out of order. */
  const items = new RecordingHttpServer(async (request, response) => {
    const { item, index } = JSON.parse(request.body) as { item: number; index: number };
    await new Promise((resolve) => setTimeout(resolve, 20 + ((100 - index) % 7) * 10));
    json(response, 200, { doubled: item * 2 });
  });
  const langflow = new RecordingHttpServer((request, response) =>
    json(response, 200, {
      session_id: JSON.parse(request.body).session_id,
      outputs: [
        {
          inputs: { input_value: JSON.parse(request.body).input_value },
          outputs: [{ results: { message: { text: 'Paris', sender: 'Machine' } } }],
        },
      ],
    }),
  );
  const agents = new RecordingHttpServer((_request, response) =>
    json(response, 200, { message: 'Booked.', session_id: 'agent-session-1', success: true }),
  );
  const target = new RecordingHttpServer((request, response) => json(response, 200, { path: request.path }));
  /** Down for its first two requests (503), then up. */
  let recoveringCalls = 0;
  const recovering = new RecordingHttpServer((_request, response) =>
    ++recoveringCalls <= 2 ? json(response, 503, { error: 'down' }) : json(response, 200, { up: true }),
  );

  beforeAll(async () => {
    await Promise.all([items.start(), langflow.start(), agents.start(), target.start(), recovering.start()]);
    engine = await EngineHarness.start({
      env: {
        // Secrets come from the executor's environment, never from the workflow text.
        SPARK_SOURCE_LANGFLOW_LOCAL_URL: langflow.url,
        SPARK_SOURCE_LANGFLOW_LOCAL_API_KEY: LANGFLOW_KEY,
        SPARK_SOURCE_AGENTS_URL: `${agents.url}/`,
        SPARK_SOURCE_AGENTS_API_KEY: AGENTS_KEY,
        // A circuit opens after two failed calls and lets a trial through after 1.5 s (only the
        // `recovering` server ever answers 5xx here).
        SPARK_EXECUTOR_CIRCUIT_VOLUME: '2',
        SPARK_EXECUTOR_CIRCUIT_RESET_MS: '1500',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await Promise.all([items.stop(), langflow.stop(), agents.stop(), target.stop(), recovering.stop()]);
  });

  const types = (events: { type: string }[]) => events.map((event) => event.type);
  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

  it('maps over 100 items, at most 10 in flight, keeping item order in the output', async () => {
    const name = unique('map');
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'fan',
          type: 'map',
          items: 'input.numbers',
          concurrency: 10,
          task: {
            handler: 'http',
            config: { method: 'POST', url: `${items.url}/item`, body: { item: '=item', index: '=index' } },
          },
        },
      ],
      output: 'steps.fan.output.body.doubled',
    });
    const numbers = Array.from({ length: 100 }, (_, index) => index + 1);
    const run = await engine.waitForRun(await engine.startRun(name, { numbers }), 180_000);
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toEqual(numbers.map((n) => n * 2));
    const keys = items.requests
      .filter((request) => String(request.headers['idempotency-key']).startsWith(`${run.runId}:`))
      .map((request) => String(request.headers['idempotency-key']));
    expect(new Set(keys).size).toBe(100);
    expect([...new Set(keys)].sort()).toEqual(
      numbers.map((_, index) => `${run.runId}:fan[${index}]:1`).sort(),
    );
    // The target never saw more than the limit at once, and did see items in parallel.
    expect(items.maxInFlight).toBeLessThanOrEqual(10);
    expect(items.maxInFlight).toBeGreaterThan(1);
    // The run's own history agrees: never more than 10 item tasks dispatched and not yet finished.
    let outstanding = 0;
    let mostOutstanding = 0;
    for (const event of run.events) {
      const taskId = (event.data as { taskId?: string }).taskId ?? '';
      if (!taskId.startsWith('fan[')) continue;
      if (event.type === 'TaskDispatched') outstanding++;
      if (['StepAttemptSucceeded', 'StepAttemptFailed', 'StepTimedOut'].includes(event.type)) outstanding--;
      mostOutstanding = Math.max(mostOutstanding, outstanding);
    }
    expect(mostOutstanding).toBe(10);
    expect(outstanding).toBe(0);
    // Items finished out of order, so the ordered output is the engine's doing, not luck.
    const finished = run.events
      .filter((event) => event.type === 'StepAttemptSucceeded')
      .map((event) => (event.data as { taskId: string }).taskId)
      .filter((taskId) => taskId.startsWith('fan['))
      .map((taskId) => Number(taskId.slice(4, -1)));
    expect(finished).toHaveLength(100);
    expect(finished).not.toEqual([...finished].sort((a, b) => a - b));
  }, 240_000);

  it('takes one switch branch, skips the other (branch-not-taken) and joins after it with noneFailed', async () => {
    const name = unique('switch');
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'route',
          type: 'switch',
          branches: [
            { name: 'big', when: 'input.amount > 100', steps: ['review'] },
            { name: 'small', when: 'input.amount <= 100', steps: ['autoApprove'] },
          ],
        },
        {
          id: 'review',
          type: 'task',
          handler: 'http',
          config: { method: 'POST', url: `${target.url}/review` },
        },
        {
          id: 'notifyReviewer',
          type: 'task',
          needs: ['review'],
          handler: 'http',
          config: { method: 'POST', url: `${target.url}/notify-reviewer` },
        },
        {
          id: 'autoApprove',
          type: 'task',
          handler: 'http',
          config: { method: 'POST', url: `${target.url}/auto-approve` },
        },
        {
          id: 'record',
          type: 'task',
          needs: ['review', 'autoApprove'],
          join: 'noneFailed',
          handler: 'transform',
          config: {
            expression: '{"branch": input.branch, "review": input.review, "auto": input.auto}',
          },
          input: {
            branch: '=steps.route.output.branch',
            review: '=steps.review.status',
            auto: '=steps.autoApprove.status',
          },
        },
      ],
      output: 'steps.record.output',
    });
    const run = await engine.waitForRun(await engine.startRun(name, { amount: 42 }));
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toEqual({ branch: 'small', review: 'skipped', auto: 'succeeded' });
    const skipped = run.events
      .filter((event) => event.type === 'StepSkipped')
      .map((event) => event.data as { stepId: string; reason: string });
    expect(skipped).toContainEqual({ stepId: 'review', reason: 'branch-not-taken' });
    // The untaken branch's allSucceeded dependant is skipped with it; the noneFailed join is not.
    expect(skipped.map((skip) => skip.stepId).sort()).toEqual(['notifyReviewer', 'review']);
    const paths = target.requests
      .filter((request) => String(request.headers['idempotency-key']).startsWith(`${run.runId}:`))
      .map((request) => request.path);
    expect(paths).toEqual(['/auto-approve']);
    const succeeded = run.events
      .filter((event) => event.type === 'StepSucceeded')
      .map((event) => (event.data as { stepId: string }).stepId);
    expect(succeeded).toEqual(expect.arrayContaining(['route', 'autoApprove', 'record']));
  });

  it('runs a LangFlow flow with the exact request LangFlow expects', async () => {
    const name = unique('langflow');
    const flowId = `flow-${randomUUID()}`;
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'ask',
          type: 'task',
          handler: 'langflow',
          config: {
            source: 'langflow-local',
            flowId,
            tweaks: { 'ChatInput-1': { should_store_message: false } },
          },
          input: '=input.question',
        },
      ],
      output: 'steps.ask.output.text',
    });
    const run = await engine.waitForRun(
      await engine.startRun(name, { question: 'What is the capital of France?' }),
    );
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toBe('Paris');
    const sent = langflow.requests.filter(
      (request) => request.headers['idempotency-key'] === `${run.runId}:ask:1`,
    );
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/api/v1/run/${flowId}`);
    expect(request!.search).toBe('?stream=false');
    expect(request!.headers['x-api-key']).toBe(LANGFLOW_KEY);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      input_value: 'What is the capital of France?',
      input_type: 'chat',
      output_type: 'chat',
      tweaks: { 'ChatInput-1': { should_store_message: false } },
      session_id: run.runId,
    });
    // The key is only in the executor's environment, never in the run's events.
    expect(JSON.stringify(run.events.map((event) => event.data))).not.toContain(LANGFLOW_KEY);
  });

  it('runs an AutoMagik agent with the exact request the agents API expects', async () => {
    const name = unique('agent');
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'book',
          type: 'task',
          handler: 'agent',
          config: { source: 'agents', agent: 'travel-agent', userId: 'user-7' },
          input: '=input.request',
        },
      ],
      output: 'steps.book.output',
    });
    const run = await engine.waitForRun(await engine.startRun(name, { request: 'Book a train to Lyon' }));
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toEqual({ message: 'Booked.', session_id: 'agent-session-1', success: true });
    const sent = agents.requests.filter(
      (request) => request.headers['idempotency-key'] === `${run.runId}:book:1`,
    );
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/api/v1/agent/travel-agent/run');
    expect(request!.search).toBe('');
    expect(request!.headers['x-api-key']).toBe(AGENTS_KEY);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      message_content: 'Book a train to Lyon',
      session_name: `spark-${run.runId}`,
      user_id: 'user-7',
      session_origin: 'automagik-spark',
    });
    expect(JSON.stringify(run.events.map((event) => event.data))).not.toContain(AGENTS_KEY);
  });

  it('hands a task to an external worker and uses its answer', async () => {
    const worker = unique('billing');
    const dispatches: { dispatch: TaskDispatch; headers: Record<string, string> }[] = [];
    const workerId = `e2e-worker-${process.pid}`;
    let consumer: ConsumerHandle | undefined;
    try {
      consumer = await engine.messaging.consume({
        groupId: `${worker}-worker`,
        topics: [taskTopic(`external.${worker}`)],
        fromBeginning: true,
        handle: async (message) => {
          const dispatch = JSON.parse(message.value!.toString('utf8')) as TaskDispatch;
          dispatches.push({ dispatch, headers: message.headers });
          const headers = message.headers.traceparent
            ? { traceparent: message.headers.traceparent }
            : undefined;
          const base = {
            version: 1 as const,
            idempotencyKey: dispatch.idempotencyKey,
            runId: dispatch.runId,
            stepId: dispatch.stepId,
            attempt: dispatch.attempt,
            workerId,
          };
          const started: TaskResult = { ...base, status: 'started', at: new Date().toISOString() };
          await engine.messaging.publish(Topics.taskResults, [
            { key: dispatch.runId, value: JSON.stringify(started), ...(headers ? { headers } : {}) },
          ]);
          const input = dispatch.input as { orderId: string; amount: number };
          const succeeded: TaskResult = {
            ...base,
            status: 'succeeded',
            at: new Date().toISOString(),
            output: {
              chargeId: `ch-${dispatch.idempotencyKey}`,
              amount: input.amount,
              currency: (dispatch.config as { currency: string }).currency,
            },
          };
          // Final result first on Kafka, then (on return) the dispatch's offset is committed.
          await engine.messaging.publish(Topics.taskResults, [
            { key: dispatch.runId, value: JSON.stringify(succeeded), ...(headers ? { headers } : {}) },
          ]);
        },
      });
      await consumer.ready;

      const name = unique('external');
      await engine.register({
        name,
        version: 1,
        steps: [
          {
            id: 'charge',
            type: 'task',
            handler: `external:${worker}`,
            config: { currency: 'EUR' },
            input: { orderId: '=input.orderId', amount: '=input.amount' },
          },
          {
            id: 'receipt',
            type: 'task',
            needs: ['charge'],
            handler: 'transform',
            config: { expression: '"receipt " & input.chargeId' },
            input: '=steps.charge.output',
          },
        ],
        output: '{"charge": steps.charge.output, "receipt": steps.receipt.output}',
      });
      const run = await engine.waitForRun(await engine.startRun(name, { orderId: 'o-1', amount: 4200 }));
      expect(run.outcome).toBe('RunCompleted');
      const key = `${run.runId}:charge:1`;
      expect(run.result.output).toEqual({
        charge: { chargeId: `ch-${key}`, amount: 4200, currency: 'EUR' },
        receipt: `receipt ch-${key}`,
      });
      const mine = dispatches.filter(({ dispatch }) => dispatch.runId === run.runId);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine[0]!.dispatch).toMatchObject({
        version: 1,
        idempotencyKey: key,
        runId: run.runId,
        stepId: 'charge',
        attempt: 1,
        workflow: { name, version: 1 },
        handler: `external:${worker}`,
        config: { currency: 'EUR' },
        input: { orderId: 'o-1', amount: 4200 },
      });
      // The worker's started result is recorded with its worker id.
      const started = run.events.find((event) => event.type === 'StepAttemptStarted')!;
      expect(started.data).toMatchObject({ taskId: 'charge', attempt: 1, workerId });
    } finally {
      await consumer?.stop();
    }
  });

  // The chaos run's finding: an open circuit failed runs whose retries came faster than it reopened.
  it('waits out an open circuit instead of spending the retries on it, then completes', async () => {
    const name = unique('circuit');
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'call',
          type: 'task',
          handler: 'http',
          config: { method: 'POST', url: `${recovering.url}/work` },
          retry: { maxAttempts: 5, backoff: 'fixed', initialInterval: '100ms' },
        },
      ],
    });
    const runId = await engine.startRun(name, {});
    const finished = await engine.waitForRun(runId);
    const events = await engine.events(runId);
    const failures = events.flatMap((event) =>
      event.type === 'StepAttemptFailed' ? [(event.data as { error: { code: string } }).error.code] : [],
    );
    const delays = events.flatMap((event) =>
      event.type === 'StepRetryScheduled' ? [(event.data as { delayMs: number }).delayMs] : [],
    );
    expect({ outcome: finished.outcome, failures }).toEqual({
      outcome: 'RunCompleted',
      failures: ['HTTP_503', 'HTTP_503', 'CIRCUIT_OPEN'],
    });
    // The retry after the refusal waited for the circuit's trial (about 1.5 s after it opened), not 100 ms.
    expect(delays[2]).toBeGreaterThan(1000);
    expect(recovering.requests).toHaveLength(3);
  });

  it('retries a failed run from where it failed: succeeded steps keep their outputs', async () => {
    const name = unique('resume');
    let inventoryUp = false;
    target.respondWith((request, response) => {
      if (request.path === '/ship' && !inventoryUp) return json(response, 422, { error: 'out of stock' });
      json(response, 200, { path: request.path });
    });
    try {
      await engine.register({
        name,
        version: 1,
        steps: [
          { id: 'pay', type: 'task', handler: 'http', config: { method: 'POST', url: `${target.url}/pay` } },
          {
            id: 'ship',
            type: 'task',
            needs: ['pay'],
            handler: 'http',
            config: { method: 'POST', url: `${target.url}/ship` },
          },
          {
            id: 'done',
            type: 'task',
            needs: ['ship'],
            handler: 'noop',
            input: '=[steps.pay.output.body.path, steps.ship.output.body.path]',
          },
        ],
        output: 'steps.done.output',
      });
      const runId = await engine.startRun(name, {});
      const failed = await engine.waitForRun(runId);
      expect(failed.outcome).toBe('RunFailed');
      expect(failed.result).toMatchObject({ failedStep: 'ship' });

      inventoryUp = true;
      await engine.send({
        type: 'RetryRun',
        commandId: randomUUID(),
        runId,
        issuedAt: new Date().toISOString(),
      });
      const events = await engine.waitForEvent(runId, (event) => event.type === 'RunCompleted');
      const completed = events.find((event) => event.type === 'RunCompleted')!;
      expect((completed.data as { output: unknown }).output).toEqual(['/pay', '/ship']);
      const order = types(events);
      expect(order.indexOf('RunFailed')).toBeLessThan(order.indexOf('RunResumed'));
      expect(order.indexOf('RunResumed')).toBeLessThan(order.indexOf('RunCompleted'));
      const resumed = events.find((event) => event.type === 'RunResumed')!;
      expect(resumed.data).toMatchObject({ runAttempt: 2 });
      expect((resumed.data as { resetSteps: string[] }).resetSteps).toEqual(['ship', 'done']);

      // pay ran once; ship ran again with a new attempt number, so a new idempotency key.
      const keys = target.requests
        .filter((request) => String(request.headers['idempotency-key']).startsWith(`${runId}:`))
        .map((request) => `${request.path} ${String(request.headers['idempotency-key'])}`);
      expect(keys).toEqual([`/pay ${runId}:pay:1`, `/ship ${runId}:ship:1`, `/ship ${runId}:ship:2`]);
    } finally {
      target.respondWith((request, response) => json(response, 200, { path: request.path }));
    }
  });
});
