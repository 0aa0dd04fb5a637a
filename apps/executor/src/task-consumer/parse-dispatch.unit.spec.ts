import { aDispatch } from '../test-support';
import { MalformedDispatchError, parseDispatch } from './parse-dispatch';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseDispatch', () => {
  it('accepts a TaskDispatch', () => {
    const dispatch = aDispatch({ handler: 'http', config: { url: 'http://x' } });
    expect(parseDispatch(encode(dispatch))).toEqual(dispatch);
  });

  it.each([
    ['an empty message', null],
    ['not JSON', Buffer.from('{oops')],
    ['an array', encode([])],
    ['another version', encode({ ...aDispatch(), version: 2 })],
    ['no run id', encode({ ...aDispatch(), runId: '' })],
    ['attempt 0', encode({ ...aDispatch(), attempt: 0 })],
    ['config not an object', encode({ ...aDispatch(), config: 'x' })],
    ['no start-to-close timeout', encode({ ...aDispatch(), timeouts: {} })],
    ['a key that is not runId:stepId:attempt', encode({ ...aDispatch(), idempotencyKey: 'other' })],
  ])('rejects %s', (_, value) => {
    expect(() => parseDispatch(value)).toThrow(MalformedDispatchError);
  });

  it('names every problem', () => {
    expect(() => parseDispatch(encode({ version: 1, attempt: 1 }))).toThrow(/runId.*stepId.*handler/);
  });
});
