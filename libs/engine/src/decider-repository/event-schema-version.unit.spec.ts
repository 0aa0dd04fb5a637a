import { runStreamName, type WorkflowDefinition } from '@spark/contracts';
import { NO_STREAM } from '@spark/event-store';
import { InMemoryEventStore } from '@spark/event-store/testing';
import {
  RUN_EVENT_SCHEMA_VERSION,
  runDecider,
  type RunCommand,
  type RunEvent,
  type RunState,
} from '@spark/workflow-domain';
import { DeciderRepository } from './decider-repository';

const definition: WorkflowDefinition = {
  name: 'w',
  version: 3,
  steps: [{ id: 'a', type: 'task', handler: 'noop' }],
};
const now = '2026-12-01T10:00:00.000Z';
const repository = (store: InMemoryEventStore) =>
  new DeciderRepository<RunState, RunCommand, RunEvent>(store, runDecider, runStreamName);

describe('the decider repository and event schema versions', () => {
  it('records the schema version of the events it appends in their metadata', async () => {
    const store = new InMemoryEventStore();
    await repository(store).handle(
      'r1',
      { type: 'StartRun', data: { runId: 'r1', definition, input: {} }, metadata: { now } },
      { causationId: 'c1' },
    );
    const stored = await store.readStream(runStreamName('r1'));
    expect(stored.map((event) => event.metadata.schemaVersion)).toEqual(
      stored.map(() => RUN_EVENT_SCHEMA_VERSION),
    );
  });

  it('reads a stream written before versions (v1) through the upcaster: its dispatch names the workflow', async () => {
    const store = new InMemoryEventStore();
    const started = await runDecider.decide(
      { type: 'StartRun', data: { runId: 'r1', definition, input: {} }, metadata: { now } },
      runDecider.initialState(),
    );
    const v1 = started.map(({ type, data }) => {
      if (type !== 'TaskDispatched') return { type, data };
      const { workflow: _workflow, ...old } = data;
      return { type, data: old };
    });
    expect(v1.some((event) => event.type === 'TaskDispatched' && !('workflow' in event.data))).toBe(true);
    await store.appendToStream(
      runStreamName('r1'),
      v1.map((event, index) => ({
        id: `00000000-0000-4000-8000-00000000000${index}`,
        type: event.type,
        data: event.data as never,
        metadata: {},
      })),
      { expectedRevision: NO_STREAM },
    );
    const { state } = await repository(store).load('r1');
    expect(state.status === 'running' && state.tasks.a?.dispatch).toEqual({
      kind: 'task',
      task: expect.objectContaining({ taskId: 'a', workflow: { name: 'w', version: 3 } }),
    });
  });
});
