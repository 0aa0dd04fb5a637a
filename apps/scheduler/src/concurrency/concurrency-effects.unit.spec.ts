import { type RecordedEvent } from '@spark/event-store';
import { type RunConcurrency } from '@spark/workflow-domain';
import { concurrencyEffectsOf, scopeCommandOf } from './concurrency-effects';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const concurrency: RunConcurrency = {
  scope: 'run:ingest:tenant-a',
  key: 'tenant-a',
  limit: 3,
  strategy: 'queue',
};

const recorded = (type: string, data: Record<string, unknown>, position = 42n): RecordedEvent =>
  ({
    id: 'ev-1',
    streamName: 'x',
    type,
    data,
    metadata: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    revision: 0n,
    position,
    recordedAt: NOW.toISOString(),
  }) as unknown as RecordedEvent;

describe('concurrency effects of relayed events', () => {
  it('a run with a key asks for a slot when it starts and when it is retried, with its attempt and relay position', () => {
    expect(scopeCommandOf(recorded('RunStarted', {}), 'r1', concurrency, NOW)).toEqual({
      scope: 'run:ingest:tenant-a',
      causationId: 'relay:ev-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      command: {
        type: 'AcquireSlot',
        data: {
          runId: 'r1',
          runAttempt: 1,
          key: 'tenant-a',
          limit: 3,
          strategy: 'queue',
          relayPosition: '42',
        },
        metadata: { now: NOW.toISOString() },
      },
    });
    expect(
      scopeCommandOf(recorded('RunResumed', { runAttempt: 2 }), 'r1', concurrency, NOW)?.command.data,
    ).toMatchObject({ runAttempt: 2 });
  });

  it.each(['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut'])(
    'every final state gives the slot back (%s)',
    (type) => {
      expect(scopeCommandOf(recorded(type, {}), 'r1', concurrency, NOW)?.command).toEqual({
        type: 'ReleaseSlot',
        data: { runId: 'r1', key: 'tenant-a', relayPosition: '42' },
        metadata: { now: NOW.toISOString() },
      });
    },
  );

  it('runs without a key and other events ask nothing', () => {
    expect(scopeCommandOf(recorded('RunStarted', {}), 'r1', undefined, NOW)).toBeUndefined();
    expect(scopeCommandOf(recorded('TaskDispatched', {}), 'r1', concurrency, NOW)).toBeUndefined();
  });

  it("a scope's grant and line position go to the run; a refusal or a displaced holder is cancelled", () => {
    const facts = { runId: 'r7', runAttempt: 1, key: 'tenant-a', relayPosition: '42', at: NOW.toISOString() };
    expect(concurrencyEffectsOf(recorded('SlotGranted', { ...facts, limit: 3, inUse: 3 }), NOW)).toEqual([
      {
        kind: 'publish',
        topic: 'spark.commands',
        key: 'r7',
        headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        value: {
          type: 'ConcurrencySlot',
          commandId: 'ev-1:granted',
          runId: 'r7',
          runAttempt: 1,
          outcome: 'granted',
          issuedAt: NOW.toISOString(),
        },
      },
    ]);
    const [queued] = concurrencyEffectsOf(
      recorded('SlotQueued', { ...facts, limit: 3, inUse: 3, position: 4, strategy: 'queue' }),
      NOW,
    );
    expect(queued).toMatchObject({ value: { outcome: 'queued', inUse: 3, limit: 3, position: 4 } });
    for (const type of ['SlotRefused', 'SlotHolderCancellationRequested']) {
      const [cancel] = concurrencyEffectsOf(
        recorded(type, { ...facts, limit: 3, inUse: 3, reason: 'full' }),
        NOW,
      );
      expect(cancel).toMatchObject({ key: 'r7', value: { type: 'CancelRun', runId: 'r7', reason: 'full' } });
    }
    expect(concurrencyEffectsOf(recorded('SlotReleased', { ...facts, wasWaiting: false }), NOW)).toEqual([]);
  });
});
