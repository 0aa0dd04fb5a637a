import { DEFAULT_NON_RETRYABLE_STATUS, parseStatusRule, StatusRuleError } from './status-rules';

describe('status rules', () => {
  it('match a status, a class, a range and lists of them', () => {
    expect(parseStatusRule(201)(201)).toBe(true);
    expect(parseStatusRule(201)(200)).toBe(false);
    expect(parseStatusRule('2xx')(299)).toBe(true);
    expect(parseStatusRule('2xx')(300)).toBe(false);
    expect(parseStatusRule('200-204')(204)).toBe(true);
    expect(parseStatusRule('200-204')(205)).toBe(false);
    const list = parseStatusRule([200, '404', '3xx']);
    expect([200, 404, 302, 201].map(list)).toEqual([true, true, true, false]);
    expect(parseStatusRule([])(200)).toBe(false);
  });

  it('treat every 4xx but 408 and 429 as non-retryable by default', () => {
    const nonRetryable = parseStatusRule(DEFAULT_NON_RETRYABLE_STATUS);
    expect([400, 401, 404, 409, 422, 499].every(nonRetryable)).toBe(true);
    expect([408, 429, 500, 503, 200].some(nonRetryable)).toBe(false);
  });

  it('reject what is not a rule', () => {
    for (const bad of ['2x', '300-200', 'ok', 20.5, {}]) {
      expect(() => parseStatusRule(bad)).toThrow(StatusRuleError);
    }
  });
});
