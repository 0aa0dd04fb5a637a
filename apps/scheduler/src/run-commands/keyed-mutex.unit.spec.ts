import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs work for one key in arrival order and different keys side by side', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} end`);
    };
    await Promise.all([
      mutex.run('a', step('a1', 20)),
      mutex.run('a', step('a2', 1)),
      mutex.run('b', step('b1', 5)),
    ]);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    expect(mutex.size).toBe(0);
  });

  it('keeps going after a failure', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 'next')).resolves.toBe('next');
  });

  it('holds several keys at once: work waits for every key it names, and others pass', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} end`);
    };
    await Promise.all([
      mutex.run('a', step('a', 20)),
      mutex.runAll(['b', 'a', 'b'], step('ab', 1)),
      mutex.run('b', step('b', 1)),
      mutex.run('c', step('c', 1)),
    ]);
    expect(log.indexOf('a end')).toBeLessThan(log.indexOf('ab start'));
    expect(log.indexOf('ab end')).toBeLessThan(log.indexOf('b start'));
    expect(log.indexOf('c end')).toBeLessThan(log.indexOf('a end'));
    expect(mutex.size).toBe(0);
  });
});
