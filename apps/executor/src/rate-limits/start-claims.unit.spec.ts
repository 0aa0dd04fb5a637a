import { executorSchema, nextStartAllowed } from './start-claims';

describe('nextStartAllowed', () => {
  const fivePerSecond = { key: 'k', limit: 5, perMs: 1000 };

  it('allows a first start at once', () => {
    expect(nextStartAllowed([], fivePerSecond)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('spaces starts one every per / limit after the last, however late the last one ran', () => {
    expect(nextStartAllowed([0], fivePerSecond)).toBe(201);
    expect(nextStartAllowed([0, 350], fivePerSecond)).toBe(551);
  });

  it('keeps at most limit starts in any window of per, for a key named with other settings too', () => {
    // Starts recorded by steps allowed 10 a second: this step's 5 per second counts them all.
    expect(nextStartAllowed([0, 100, 200, 300, 400], fivePerSecond)).toBe(1001);
    expect(nextStartAllowed([0, 100, 200, 300], fivePerSecond)).toBe(501);
  });
});

describe('executorSchema', () => {
  it('is `executor` unless told, and refuses a name that is not one', () => {
    expect(executorSchema({})).toBe('executor');
    expect(executorSchema({ SPARK_EXECUTOR_SCHEMA: 'e2e_ex_1' })).toBe('e2e_ex_1');
    expect(() => executorSchema({ SPARK_EXECUTOR_SCHEMA: 'x"; DROP' })).toThrow(/not a valid schema name/);
  });
});
