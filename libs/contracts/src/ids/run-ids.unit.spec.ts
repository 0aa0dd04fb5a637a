import { runIdFor, scheduledRunId } from './run-ids';

// Ids already handed out name stored runs and schedule fires: they may never change. These were
// computed by the hand-written UUIDv5 this module had before it used the `uuid` package.
describe('run ids', () => {
  it('derives the same UUIDv5 from a workflow and an idempotency key as it always has', () => {
    expect(runIdFor('orders', 'order-42')).toBe('23956de5-13f0-50b6-bd54-3fd2d324e4de');
    expect(runIdFor('ünï', 'ключ 🔑')).toBe('f7b2ebfe-2a0b-51b9-8b74-9f44dc423732');
    expect(scheduledRunId('nightly:2026-01-11T01:30:00.000Z')).toBe('f665c789-4898-5d70-b919-acd62e04016e');
  });

  it('tells keys of different workflows apart, and makes a random v4 id without a key', () => {
    expect(runIdFor('a', 'k')).not.toBe(runIdFor('b', 'k'));
    expect(runIdFor('orders')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(runIdFor('orders')).not.toBe(runIdFor('orders'));
  });
});
