import { PROBLEM_TYPES } from '@spark/contracts';
import { toProblem } from './to-problem';

describe('toProblem', () => {
  it('answers 503 when no database connection came in time (an overloaded or absent database)', () => {
    const problem = toProblem(new Error('timeout exceeded when trying to connect'), 1024);
    expect(problem).toMatchObject({ status: 503, type: PROBLEM_TYPES.unavailable });
    expect(problem.detail).toContain('nothing was accepted, retry later');
  });

  it('answers 503 when the database refuses connections', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), {
      code: 'ECONNREFUSED',
    });
    expect(toProblem(refused, 1024).status).toBe(503);
  });

  it('keeps an unexpected error a 500 whose details stay in the log', () => {
    const problem = toProblem(new TypeError('x is undefined'), 1024);
    expect(problem).toMatchObject({ status: 500, type: PROBLEM_TYPES.internal });
    expect(problem.detail).not.toContain('undefined');
  });
});
