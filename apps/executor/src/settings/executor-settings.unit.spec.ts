import { BUILT_IN_HANDLERS } from '@spark/contracts';
import { serviceHelp } from '@spark/service-kit';
import { EXECUTOR_CONFIG_SCHEMA, loadExecutorSettings } from './executor-settings';

describe('executor settings', () => {
  it('default to the default queue, the spark-executor group and per-handler limits', () => {
    const settings = loadExecutorSettings({});
    expect(settings.queues).toEqual(['default']);
    expect(settings.groupId).toBe('spark-executor');
    expect(settings.commitMode).toBe('after-start');
    expect(['http', 'langflow', 'agent', 'transform', 'external:x'].map(settings.concurrencyOf)).toEqual([
      64, 8, 8, 128, 128,
    ]);
  });

  it('read queues, limits and the commit mode from the environment', () => {
    const settings = loadExecutorSettings({
      SPARK_EXECUTOR_QUEUES: 'default, llm',
      SPARK_EXECUTOR_CONCURRENCY_LANGFLOW: '2',
      SPARK_EXECUTOR_COMMIT: 'after-result',
    });
    expect(settings.queues).toEqual(['default', 'llm']);
    expect(settings.concurrencyOf('langflow')).toBe(2);
    expect(settings.commitMode).toBe('after-result');
  });

  it('refuse malformed values, naming the variable', () => {
    expect(() =>
      loadExecutorSettings({ SPARK_EXECUTOR_CONCURRENCY_HTTP: '0' }).concurrencyOf('http'),
    ).toThrow(/SPARK_EXECUTOR_CONCURRENCY_HTTP/);
    expect(() => loadExecutorSettings({ SPARK_EXECUTOR_QUEUES: 'a b' })).toThrow(/SPARK_EXECUTOR_QUEUES/);
    expect(() => loadExecutorSettings({ SPARK_EXECUTOR_COMMIT: 'never' })).toThrow(/SPARK_EXECUTOR_COMMIT/);
    expect(() => loadExecutorSettings({ SPARK_EXECUTOR_QUEUES: 'external.billing' })).toThrow(/external/);
  });

  it('are what `executor --help` prints, with the common settings and one concurrency per built-in handler', () => {
    const help = serviceHelp('executor', [EXECUTOR_CONFIG_SCHEMA]);
    for (const name of [
      'SPARK_EXECUTOR_PORT',
      'SPARK_TRACING',
      'SPARK_EXECUTOR_QUEUES',
      'SPARK_EXECUTOR_COMMIT',
    ])
      expect(help).toContain(name);
    for (const handler of BUILT_IN_HANDLERS)
      expect(help).toContain(`SPARK_EXECUTOR_CONCURRENCY_${handler.toUpperCase()}`);
    expect(help).toMatch(/SPARK_EXECUTOR_CONCURRENCY_HTTP\s+http tasks run at once \(default: 64\)/);
  });
});
