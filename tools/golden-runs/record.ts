// Records the golden run streams (libs/workflow-domain/src/run/golden/streams/*.json) from real runs:
// scheduler and executor as processes over the stack's Kafka and PostgreSQL (EngineHarness), the
// example workflow and a few others against a small local HTTP service. Run once, commit the files;
// the replay test then holds every later decider to these streams. See tools/golden-runs/README.md.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type RecordedEvent } from '@spark/event-store';
import { EngineHarness, json, RecordingHttpServer, WORKSPACE_ROOT } from '@spark/testing';
import { parse } from 'yaml';

const OUT = path.join(WORKSPACE_ROOT, 'libs/workflow-domain/src/run/golden/streams');

type Scenario = {
  file: string;
  about: string;
  definition: Record<string, unknown>;
  input: (shopUrl: string) => unknown;
  /** What to do while the run is under way (signal it, cancel it), after its first matching event. */
  during?: { after: string; act: (engine: EngineHarness, runId: string) => Promise<void> };
};

async function main(): Promise<void> {
  let charges = 0;
  const shop = new RecordingHttpServer((request, response) => {
    if (request.path === '/charge' && charges++ === 0) return json(response, 503, { error: 'busy' });
    if (request.path === '/broken') return json(response, 500, { error: 'always broken' });
    return json(response, 200, { ok: true, path: request.path });
  });
  const shopUrl = await shop.start();
  const engine = await EngineHarness.start();
  const scenarios: Scenario[] = [
    {
      file: 'order-fulfilment-completed.json',
      about:
        'examples/order-fulfilment.yaml: transform, a parallel pair of HTTP calls (charge retried once after a 503), a join',
      definition: parse(readFileSync(path.join(WORKSPACE_ROOT, 'examples/order-fulfilment.yaml'), 'utf8')),
      input: (url) => ({ orderId: '42', items: [{ sku: 'a', quantity: 2, price: 5 }], shopUrl: url }),
    },
    {
      file: 'saga-failed-compensated.json',
      about:
        'a step that always fails (two attempts, fixed backoff) after one with a compensation: the run compensates and fails',
      definition: {
        name: 'golden-saga',
        version: 1,
        steps: [
          {
            id: 'reserve',
            type: 'task',
            handler: 'http',
            config: { method: 'POST', url: '=input.shopUrl & "/reserve"' },
            compensate: { handler: 'http', config: { method: 'POST', url: '=input.shopUrl & "/release"' } },
          },
          {
            id: 'charge',
            type: 'task',
            needs: ['reserve'],
            handler: 'http',
            config: { method: 'POST', url: '=input.shopUrl & "/broken"' },
            retry: { maxAttempts: 2, backoff: 'fixed', initialInterval: '100ms' },
          },
        ],
      },
      input: (url) => ({ shopUrl: url }),
    },
    approvalScenario(
      'signal-switch-map-completed.json',
      'a signal step, a switch on its payload, a map over the input with a concurrency limit, a skipped branch',
      'golden-approval',
      { handler: 'transform', input: '=item', config: { expression: 'input * 10' } },
    ),
    approvalScenario(
      'signal-switch-map-item-failed.json',
      'as signal-switch-map-completed, but the map items are not numbers: the first item fails, its sibling is cancelled, the run fails',
      'golden-approval-broken',
      { handler: 'transform', config: { expression: 'input * 10' } },
    ),
    {
      file: 'wait-cancelled.json',
      about: 'a wait step of an hour, cancelled while it waits',
      definition: {
        name: 'golden-wait',
        version: 1,
        steps: [
          { id: 'pause', type: 'wait', duration: '1h' },
          { id: 'after', type: 'task', needs: ['pause'], handler: 'noop' },
        ],
      },
      input: () => ({}),
      during: {
        after: 'StepWaiting',
        act: (harness, runId) =>
          harness.send({
            type: 'CancelRun',
            ...newCommand(runId),
            reason: 'golden: cancelled while waiting',
          }),
      },
    },
  ];
  try {
    for (const scenario of scenarios) {
      await engine.register(scenario.definition);
      const runId = await engine.startRun(String(scenario.definition.name), scenario.input(shopUrl));
      if (scenario.during) {
        const { after, act } = scenario.during;
        await engine.waitForEvent(runId, (event) => event.type === after);
        await act(engine, runId);
      }
      const run = await engine.waitForRun(runId);
      writeFileSync(
        path.join(OUT, scenario.file),
        `${JSON.stringify({ about: scenario.about, outcome: run.outcome, events: run.events.map(toGolden) }, null, 2)}\n`,
      );
      console.log(`${scenario.file}: ${run.outcome}, ${run.events.length} events`);
    }
  } finally {
    await engine.stop();
    await shop.stop();
  }
}

/** A signal step, a switch on its payload and a map of `task` over the input's items, signalled once it waits. */
function approvalScenario(
  file: string,
  about: string,
  name: string,
  task: Record<string, unknown>,
): Scenario {
  return {
    file,
    about,
    definition: {
      name,
      version: 1,
      steps: [
        { id: 'approve', type: 'signal', signal: { name: 'approve', timeout: '1h' } },
        {
          id: 'route',
          type: 'switch',
          needs: ['approve'],
          branches: [{ name: 'yes', when: 'steps.approve.output.ok = true', steps: ['each'] }],
          default: ['reject'],
        },
        { id: 'each', type: 'map', needs: ['route'], items: 'input.items', concurrency: 2, task },
        { id: 'reject', type: 'task', needs: ['route'], handler: 'noop' },
      ],
      output: 'steps.each.output',
    },
    input: () => ({ items: [1, 2, 3] }),
    during: {
      after: 'StepWaiting',
      act: (harness, runId) =>
        harness.send({
          type: 'SignalRun',
          ...newCommand(runId),
          signalId: randomUUID(),
          name: 'approve',
          payload: { ok: true },
        }),
    },
  };
}

const newCommand = (runId: string) => ({
  commandId: randomUUID(),
  runId,
  issuedAt: new Date().toISOString(),
});

/** What the replay needs of a stored event: its type, data and the command (causation) that made it. */
function toGolden(event: RecordedEvent) {
  return {
    revision: Number(event.revision),
    type: event.type,
    causationId: event.metadata.causationId ?? null,
    data: event.data,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
