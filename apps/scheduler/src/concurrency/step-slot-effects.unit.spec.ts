import { type RecordedEvent } from '@spark/event-store';
import { stepSlotCommandOf, stepSlotEffectsOf } from './step-slot-effects';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const recorded = (type: string, data: Record<string, unknown>, streamName = 'run-r1'): RecordedEvent =>
  ({
    id: 'ev-1',
    streamName,
    type,
    data,
    metadata: {},
    revision: 0n,
    position: 42n,
    recordedAt: NOW.toISOString(),
  }) as unknown as RecordedEvent;

describe('step slot effects of relayed events', () => {
  const slot = { scope: 'step:model-a', key: 'model-a', limit: 2 };

  it('an attempt awaiting a slot asks its key, holding as runId/taskId at its attempt; its release gives it back', () => {
    expect(
      stepSlotCommandOf(recorded('TaskAwaitingSlot', { taskId: 'call', attempt: 3, slot }), 'r1', NOW),
    ).toEqual({
      scope: 'step:model-a',
      causationId: 'relay:ev-1',
      command: {
        type: 'AcquireSlot',
        data: {
          runId: 'r1/call',
          runAttempt: 3,
          key: 'model-a',
          limit: 2,
          strategy: 'queue',
          relayPosition: '42',
        },
        metadata: { now: NOW.toISOString() },
      },
    });
    expect(
      stepSlotCommandOf(
        recorded('TaskSlotReleased', {
          taskId: 'call',
          attempt: 3,
          stepId: 'call',
          scope: 'step:model-a',
          key: 'model-a',
        }),
        'r1',
        NOW,
      )?.command,
    ).toEqual({
      type: 'ReleaseSlot',
      data: { runId: 'r1/call', key: 'model-a', relayPosition: '42' },
      metadata: { now: NOW.toISOString() },
    });
    expect(stepSlotCommandOf(recorded('TaskDispatched', {}), 'r1', NOW)).toBeUndefined();
  });

  it("a key's grant and line position go to the attempt's run", () => {
    const facts = {
      runId: 'r7/call',
      runAttempt: 2,
      key: 'model-a',
      relayPosition: '42',
      at: NOW.toISOString(),
    };
    const stream = 'concurrency-step:model-a';
    expect(stepSlotEffectsOf(recorded('SlotGranted', { ...facts, limit: 2, inUse: 2 }, stream), NOW)).toEqual(
      [
        {
          kind: 'publish',
          topic: 'spark.commands',
          key: 'r7',
          headers: {},
          value: {
            type: 'StepSlot',
            commandId: 'ev-1:granted',
            runId: 'r7',
            taskId: 'call',
            attempt: 2,
            outcome: 'granted',
            issuedAt: NOW.toISOString(),
          },
        },
      ],
    );
    const [queued] = stepSlotEffectsOf(
      recorded('SlotQueued', { ...facts, limit: 2, inUse: 2, position: 5, strategy: 'queue' }, stream),
      NOW,
    );
    expect(queued).toMatchObject({
      key: 'r7',
      value: { outcome: 'queued', inUse: 2, limit: 2, position: 5 },
    });
    expect(stepSlotEffectsOf(recorded('SlotReleased', { ...facts, wasWaiting: false }, stream), NOW)).toEqual(
      [],
    );
  });
});
