import { deciderSpecification } from '../testing';
import { type WorkflowVersionRegistered, workflowVersionsDecider } from './workflow-versions';

const spec = deciderSpecification(workflowVersionsDecider);
const now = '2026-01-01T00:00:00.000Z';
const v1 = { name: 'orders', version: 1, steps: [{ id: 'a', type: 'task', handler: 'noop' }] };
const registered = (definition: typeof v1): WorkflowVersionRegistered => ({
  type: 'WorkflowVersionRegistered',
  data: {
    name: 'orders',
    version: definition.version,
    contentHash: expect.any(String) as unknown as string,
    definition: definition as never,
    registeredAt: now,
  },
});
const register = (definition: unknown) => ({
  type: 'RegisterWorkflowVersion' as const,
  data: { definition },
  metadata: { now },
});

describe('workflow versions', () => {
  it('registers a new version', async () => {
    const events = await spec.given([]).when(register(v1)).events();
    expect(events).toEqual([registered(v1)]);
  });

  it('is idempotent for the same content, whatever the key order', async () => {
    const [event] = await spec.given([]).when(register(v1)).events();
    const reordered = { steps: [{ handler: 'noop', type: 'task', id: 'a' }], version: 1, name: 'orders' };
    await spec.given([event!]).when(register(reordered)).thenNothing();
  });

  it('refuses other content under a registered version', async () => {
    const [event] = await spec.given([]).when(register(v1)).events();
    const changed = { ...v1, steps: [{ id: 'a', type: 'task', handler: 'http' }] };
    await spec.given([event!]).when(register(changed)).thenThrows('CONFLICT', 'DEFINITION_VERSION_IMMUTABLE');
    await spec
      .given([event!])
      .when(register({ ...changed, version: 2 }))
      .events();
  });

  it('refuses an invalid definition with every problem', async () => {
    await spec
      .given([])
      .when(register({ name: 'orders', version: 1, steps: [{ id: 'a', type: 'task' }] }))
      .thenThrows('VALIDATION_FAILED');
  });
});
