import { downcastTaskDispatch } from '@spark/contracts';
import { aDispatch } from '../test-support';
import { MalformedDispatchError, parseDispatch } from './parse-dispatch';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseDispatch', () => {
  it('accepts a version 2 TaskDispatch as it is', () => {
    const dispatch = aDispatch({ handler: 'http', config: { url: 'http://x' } });
    expect(dispatch.version).toBe(2);
    expect(parseDispatch(encode(dispatch))).toEqual(dispatch);
  });

  it('reads a version 1 dispatch (written before the upgrade) as version 2: its stepId is the task id', () => {
    const v1 = {
      version: 1,
      idempotencyKey: 'r1:lines[3]:2',
      runId: 'r1',
      stepId: 'lines[3]',
      attempt: 2,
      workflow: { name: 'orders', version: 4 },
      handler: 'transform',
      config: { expression: 'input' },
      input: { a: 1 },
      timeouts: { startToCloseMs: 1000, heartbeatMs: 500 },
      priority: 7,
      dispatchedAt: '2026-12-01T00:00:00.000Z',
    };
    expect(parseDispatch(encode(v1))).toEqual({
      ...v1,
      version: 2,
      taskId: 'lines[3]',
      stepId: 'lines',
      itemIndex: 3,
      purpose: 'step',
    });
    const compensation = { ...v1, stepId: 'charge#compensate', idempotencyKey: 'r1:charge#compensate:2' };
    expect(parseDispatch(encode(compensation))).toMatchObject({
      taskId: 'charge#compensate',
      stepId: 'charge',
      purpose: 'compensation',
    });
  });

  it('reads back what it would write as version 1', () => {
    const dispatch = aDispatch({ taskId: 'lines[0]', handler: 'noop' });
    expect(parseDispatch(encode(downcastTaskDispatch(dispatch)))).toEqual(dispatch);
  });

  it.each([
    ['an empty message', null],
    ['not JSON', Buffer.from('{oops')],
    ['an array', encode([])],
    ['another version', encode({ ...aDispatch(), version: 3 })],
    ['no version', encode({ ...aDispatch(), version: undefined })],
    ['no run id', encode({ ...aDispatch(), runId: '' })],
    ['version 2 without a task id', encode({ ...aDispatch(), taskId: undefined })],
    ['version 2 without a step id', encode({ ...aDispatch(), stepId: '' })],
    ['version 1 without a step id', encode({ ...downcastTaskDispatch(aDispatch()), stepId: undefined })],
    ['attempt 0', encode({ ...aDispatch(), attempt: 0 })],
    ['config not an object', encode({ ...aDispatch(), config: 'x' })],
    ['no start-to-close timeout', encode({ ...aDispatch(), timeouts: {} })],
    ['a key that is not runId:taskId:attempt', encode({ ...aDispatch(), idempotencyKey: 'other' })],
    [
      'a version 2 key made of the step id',
      (() => {
        const item = aDispatch({ taskId: 'lines[1]' });
        return encode({ ...item, idempotencyKey: `${item.runId}:lines:1` });
      })(),
    ],
  ])('rejects %s', (_, value) => {
    expect(() => parseDispatch(value)).toThrow(MalformedDispatchError);
  });

  it('takes a notBefore that is an ISO time (docs/adr/0126), and refuses one that is not', () => {
    const held = aDispatch({ handler: 'noop', notBefore: '2026-01-01T00:00:01.000Z' });
    expect(parseDispatch(encode(held)).notBefore).toBe('2026-01-01T00:00:01.000Z');
    expect(() => parseDispatch(encode({ ...held, notBefore: 'soon' }))).toThrow(
      /notBefore must be an ISO 8601 time/,
    );
    // Never written to an external worker (version 1 knows no notBefore).
    expect(downcastTaskDispatch(held)).not.toHaveProperty('notBefore');
  });

  it('takes a rate limit to claim starts of (docs/adr/0127), and refuses a malformed one', () => {
    const limited = aDispatch({ handler: 'noop', rateLimit: { key: 'model-x', limit: 5, perMs: 1000 } });
    expect(parseDispatch(encode(limited)).rateLimit).toEqual({ key: 'model-x', limit: 5, perMs: 1000 });
    for (const rateLimit of [{ key: 'model-x', limit: 0, perMs: 1000 }, { key: 7, limit: 1, perMs: 1 }, 'x'])
      expect(() => parseDispatch(encode({ ...limited, rateLimit }))).toThrow(/rateLimit must be/);
    expect(downcastTaskDispatch(limited)).not.toHaveProperty('rateLimit');
  });

  it('names every problem', () => {
    expect(() => parseDispatch(encode({ version: 2, attempt: 1 }))).toThrow(/runId.*taskId.*handler.*stepId/);
    expect(() => parseDispatch(encode({ version: 1, attempt: 1 }))).toThrow(/runId.*stepId.*handler/);
  });
});
