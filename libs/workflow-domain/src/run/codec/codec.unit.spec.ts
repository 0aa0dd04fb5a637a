import { decodeRunEvent, decodeRunStream, RUN_EVENT_SCHEMA_VERSION, RunEventDecodeError } from '.';

const dispatchV1 = {
  taskId: 'a',
  stepId: 'a',
  purpose: 'step',
  attempt: 1,
  idempotencyKey: 'r1:a:1',
  handler: 'noop',
  config: {},
  input: null,
  queue: 'default',
  priority: 5,
  timeouts: { startToCloseMs: 1000 },
  dispatchedAt: '2026-12-01T10:00:00.000Z',
};
const workflow = { name: 'w', version: 3 };

describe('decodeRunEvent', () => {
  it('reads an event without a schema version as version 1 and upcasts a TaskDispatched to name its workflow', () => {
    const decoded = decodeRunEvent({ type: 'TaskDispatched', data: dispatchV1, metadata: {} }, { workflow });
    expect(decoded).toEqual({ type: 'TaskDispatched', data: { ...dispatchV1, workflow } });
  });

  it('leaves a current event as written, whatever the reader knows', () => {
    const data = { ...dispatchV1, workflow: { name: 'other', version: 1 } };
    const metadata = { schemaVersion: RUN_EVENT_SCHEMA_VERSION };
    expect(decodeRunEvent({ type: 'TaskDispatched', data, metadata }, { workflow })).toEqual({
      type: 'TaskDispatched',
      data,
    });
  });

  it('refuses what is not a run event it can read, naming the problem', () => {
    expect(() => decodeRunEvent({ type: 'Snapshot', data: {} })).toThrow(/"Snapshot" is not a run event/);
    expect(() => decodeRunEvent({ type: 'RunCompleted', data: 'x' })).toThrow(/not an object/);
    expect(() =>
      decodeRunEvent({
        type: 'RunCompleted',
        data: {},
        metadata: { schemaVersion: RUN_EVENT_SCHEMA_VERSION + 1 },
      }),
    ).toThrow(RunEventDecodeError);
    expect(() =>
      decodeRunEvent({ type: 'RunCompleted', data: {}, metadata: { schemaVersion: 'two' } }),
    ).toThrow(/not a positive integer/);
    expect(() => decodeRunEvent({ type: 'RunCompleted', data: {} }, {}, {})).toThrow(/no upcaster/);
  });

  it('decodes a stream with the workflow of its RunStarted', () => {
    const [, dispatched] = decodeRunStream([
      {
        type: 'RunStarted',
        data: { runId: 'r1', workflow, definition: { name: 'w', version: 3, steps: [] } },
      },
      { type: 'TaskDispatched', data: dispatchV1 },
    ]);
    expect(dispatched).toEqual({ type: 'TaskDispatched', data: { ...dispatchV1, workflow } });
  });
});
