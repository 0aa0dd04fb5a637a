import { deterministicEventId } from './event-ids';

describe('deterministicEventId', () => {
  it('is a UUID that depends only on the causation, the stream and the index', () => {
    const id = deterministicEventId('kafka:spark.commands:0:42', 'run-1', 3);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('kafka:spark.commands:0:42', 'run-1', 3)).toBe(id);
    expect(deterministicEventId('kafka:spark.commands:0:42', 'run-1', 4)).not.toBe(id);
    expect(deterministicEventId('kafka:spark.commands:0:43', 'run-1', 3)).not.toBe(id);
    expect(deterministicEventId('kafka:spark.commands:0:42', 'run-2', 3)).not.toBe(id);
  });
});
