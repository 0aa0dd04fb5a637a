import { isDependencyUnavailable } from './dependency-errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:55432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['PostgreSQL starting up (57P03)', withCode('the database system is starting up', '57P03')],
    [
      'PostgreSQL fast shutdown (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['the broker away', Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' })],
    [
      'an outage wrapped by the caller',
      new Error('append failed', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }),
    ],
  ])('%s: yes', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a bad message', new Error('cannot parse this')],
    ['a constraint violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s: no', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
