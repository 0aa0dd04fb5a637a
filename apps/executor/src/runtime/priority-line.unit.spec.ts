import { PriorityLine } from './priority-line';

describe('priority line', () => {
  let clock = 0;
  const line = () => new PriorityLine<string>(1000, () => clock);
  const drain = (waiting: PriorityLine<string>): string[] => {
    const out: string[] = [];
    for (let item = waiting.shift(); item !== undefined; item = waiting.shift()) out.push(item);
    return out;
  };
  beforeEach(() => (clock = 0));

  it('lets the highest priority out first, equals in arrival order', () => {
    const waiting = line();
    waiting.push('a5', 5);
    waiting.push('b9', 9);
    waiting.push('c5', 5);
    waiting.push('d0', 0);
    waiting.push('e9', 9);
    expect(waiting.countsByPriority()).toEqual({ 0: 1, 5: 2, 9: 2 });
    expect(drain(waiting)).toEqual(['b9', 'e9', 'a5', 'c5', 'd0']);
  });

  it('ages a waiter one level per agingMs, so a low priority is not starved forever', () => {
    const waiting = line();
    waiting.push('low', 0);
    clock = 8_000;
    waiting.push('fresh-9-after-8s', 9); // low has aged to 8
    expect(waiting.shift()).toBe('fresh-9-after-8s');
    clock = 9_500;
    waiting.push('fresh-9-after-9.5s', 9); // low has aged to 9.5
    expect(drain(waiting)).toEqual(['low', 'fresh-9-after-9.5s']);
  });

  it('refuses a non-positive aging period', () => {
    expect(() => new PriorityLine(0)).toThrow(/aging/);
  });
});
