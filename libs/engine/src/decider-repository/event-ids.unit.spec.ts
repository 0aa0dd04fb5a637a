import { deterministicEventId } from './event-ids';

describe('deterministicEventId', () => {
  const event = { type: 'TimerScheduled', data: { timerId: 't', fireAt: '2026-12-01T00:00:15.000Z' } };

  it('is a UUID that depends on the causation, the stream, the index and the event', () => {
    const id = deterministicEventId('kafka:spark.commands:0:42', 'run-1', 3, event);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('kafka:spark.commands:0:42', 'run-1', 3, { ...event })).toBe(id);
    expect(deterministicEventId('kafka:spark.commands:0:42', 'run-1', 4, event)).not.toBe(id);
    expect(deterministicEventId('kafka:spark.commands:0:43', 'run-1', 3, event)).not.toBe(id);
    expect(deterministicEventId('kafka:spark.commands:0:42', 'run-2', 3, event)).not.toBe(id);
  });

  it('differs when the same message was decided differently (a later now, a later timer)', () => {
    const later = { ...event, data: { ...event.data, fireAt: '2026-12-01T00:00:55.000Z' } };
    expect(deterministicEventId('c', 'run-1', 0, later)).not.toBe(
      deterministicEventId('c', 'run-1', 0, event),
    );
    expect(deterministicEventId('c', 'run-1', 0, { ...event, type: 'Other' })).not.toBe(
      deterministicEventId('c', 'run-1', 0, event),
    );
  });

  it('stays the same from one release to the next: a message redelivered after an upgrade is a replay', () => {
    expect(
      deterministicEventId('kafka:spark.commands:0:42', 'run-1', 3, {
        type: 'StepSucceeded',
        data: { stepId: 's', output: { n: 1, u: 'é😀' } },
      }),
    ).toBe('96343e72-1f6c-8068-96fc-19c49b0e742e');
    expect(deterministicEventId('c', 'run-1', 0, { type: 'X', data: undefined })).toBe(
      'e9aa7dea-34a2-8d6e-91d6-adf075845af0',
    );
  });
});
