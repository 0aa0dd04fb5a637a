import { InMemoryEventStore } from '@spark/event-store/testing';
import { type StartControlSettings } from '@spark/workflow-domain';
import { StartControlCoordinator } from './start-control-coordinator';
import { type StartScopeCommand } from './start-control-effects';

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms).toISOString();
let position = 0;
const request = (scope: string, runId: string, settings: StartControlSettings, ms = 0): StartScopeCommand => {
  const relayPosition = String(++position);
  return {
    scope,
    causationId: `relay:${relayPosition}`,
    command: {
      type: 'RequestStart',
      data: { runId, key: scope.split(':').slice(2).join(':'), settings, arrivedAt: at(ms), relayPosition },
      metadata: { now: at(ms) },
    },
  };
};

describe('start-control coordinator gauges', () => {
  it('count the runs waiting for their start time per control, workflow and key', async () => {
    let now = T0;
    const coordinator = new StartControlCoordinator(new InMemoryEventStore(), () => new Date(now));
    const throttle: StartControlSettings = { kind: 'throttle', limit: 2, periodMs: 1000 };
    const debounce: StartControlSettings = { kind: 'debounce', periodMs: 500 };
    await coordinator.decide([
      ...['r1', 'r2', 'r3', 'r4', 'r5'].map((runId) =>
        request('throttle:call-model:tenant:a', runId, throttle),
      ),
      // A burst of three debounced starts: the later ones supersede, one run stays pending.
      ...['d1', 'd2', 'd3'].map((runId, i) => request('debounce:reindex:doc-7', runId, debounce, i * 10)),
    ]);
    expect(coordinator.pending).toEqual([
      { control: 'throttle', workflow: 'call-model', key: 'tenant:a', pending: 3 },
      { control: 'debounce', workflow: 'reindex', key: 'doc-7', pending: 1 },
    ]);
    now = T0 + 1000;
    expect(coordinator.pending).toEqual([
      { control: 'throttle', workflow: 'call-model', key: 'tenant:a', pending: 1 },
    ]);
    now = T0 + 2000;
    expect(coordinator.pending).toEqual([]);
  });
});
