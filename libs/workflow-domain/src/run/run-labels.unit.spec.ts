import { type WorkflowDefinition } from '@spark/contracts';
import { decide } from './decide';
import { initialRunState } from './state';

const definition: WorkflowDefinition = {
  name: 'w',
  version: 1,
  steps: [{ id: 'a', type: 'task', handler: 'noop' }],
};
const start = (labels?: Record<string, string>) =>
  decide(
    {
      type: 'StartRun',
      data: { runId: 'r1', definition, input: {}, ...(labels ? { labels } : {}) },
      metadata: { now: '2026-11-24T10:00:00.000Z' },
    },
    initialRunState(),
  );

describe('run labels', () => {
  it('given a start with labels, RunStarted carries them', async () => {
    const [started] = await start({ team: 'payments', env: 'prod' });
    expect(started).toMatchObject({
      type: 'RunStarted',
      data: { labels: { team: 'payments', env: 'prod' } },
    });
  });

  it('given a start without labels (or empty ones), RunStarted has none', async () => {
    for (const labels of [undefined, {}]) {
      const [started] = await start(labels);
      expect(started!.type === 'RunStarted' && 'labels' in started.data).toBe(false);
    }
  });
});
