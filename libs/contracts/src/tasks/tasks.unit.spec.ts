import {
  downcastTaskDispatch,
  type TaskDispatch,
  type TaskDispatchV1,
  taskIdParts,
  upcastTaskDispatch,
} from './index';

const common = {
  idempotencyKey: 'r1:lines[3]:1',
  runId: 'r1',
  attempt: 1,
  workflow: { name: 'orders', version: 2 },
  handler: 'noop',
  config: {},
  input: null,
  timeouts: { startToCloseMs: 1000 },
  priority: 5,
  dispatchedAt: '2026-12-01T00:00:00.000Z',
};

describe('task dispatch versions', () => {
  it('reads what a task id says', () => {
    expect(taskIdParts('charge')).toEqual({ stepId: 'charge', purpose: 'step' });
    expect(taskIdParts('lines[3]')).toEqual({ stepId: 'lines', itemIndex: 3, purpose: 'step' });
    expect(taskIdParts('charge#compensate')).toEqual({ stepId: 'charge', purpose: 'compensation' });
    expect(taskIdParts('odd[x]')).toEqual({ stepId: 'odd[x]', purpose: 'step' });
  });

  it('upcasts version 1 (the task id in stepId) and downcasts back to the same message', () => {
    const v1: TaskDispatchV1 = { version: 1, ...common, stepId: 'lines[3]' };
    const v2: TaskDispatch = {
      version: 2,
      ...common,
      taskId: 'lines[3]',
      stepId: 'lines',
      itemIndex: 3,
      purpose: 'step',
    };
    expect(upcastTaskDispatch(v1)).toEqual(v2);
    expect(downcastTaskDispatch(v2)).toEqual(v1);
  });
});
