import {
  choice,
  ConfigError,
  describeConfig,
  integer,
  optional,
  readConfig,
  schemaName,
  switchedOffBy,
  text,
} from './config-schema';
import { loadServiceConfig } from './service-config';

const schema = {
  SPARK_X_SIZE: integer('how many', 10, 1, 100),
  SPARK_X_MODE: choice('how', ['fast', 'safe'] as const, 'safe'),
  SPARK_X_SCHEMA: schemaName('where', 'x'),
  SPARK_X_NAME: optional(text('who')),
  SPARK_X_TRACING: switchedOffBy('tracing', 'off'),
  SPARK_X_TOKEN: text('required token'),
};

describe('config schemas', () => {
  it('reads defaults, values, optional and empty settings (empty is unset)', () => {
    expect(readConfig(schema, { SPARK_X_TOKEN: 't', SPARK_X_SIZE: '' })).toEqual({
      SPARK_X_SIZE: 10,
      SPARK_X_MODE: 'safe',
      SPARK_X_SCHEMA: 'x',
      SPARK_X_NAME: undefined,
      SPARK_X_TRACING: true,
      SPARK_X_TOKEN: 't',
    });
    expect(
      readConfig(schema, {
        SPARK_X_TOKEN: 't',
        SPARK_X_SIZE: '42',
        SPARK_X_MODE: 'fast',
        SPARK_X_NAME: 'n',
        SPARK_X_TRACING: 'off',
      }),
    ).toMatchObject({ SPARK_X_SIZE: 42, SPARK_X_MODE: 'fast', SPARK_X_NAME: 'n', SPARK_X_TRACING: false });
  });

  it('names every variable that does not hold, with its value and the problem, in one error', () => {
    let caught: unknown;
    try {
      readConfig(schema, { SPARK_X_SIZE: '1000', SPARK_X_MODE: 'quick', SPARK_X_SCHEMA: 'X"; drop' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual({
      SPARK_X_SIZE: '"1000" is not an integer between 1 and 100',
      SPARK_X_MODE: '"quick" is not one of fast, safe',
      SPARK_X_SCHEMA: '"X"; drop" is not a valid schema name',
      SPARK_X_TOKEN: 'is required',
    });
    expect((caught as Error).message).toContain('SPARK_X_SIZE: "1000" is not an integer between 1 and 100');
  });

  it('describes every setting with its default for --help', () => {
    const help = describeConfig(schema);
    expect(help.split('\n')).toHaveLength(Object.keys(schema).length);
    expect(help).toMatch(/SPARK_X_SIZE\s+how many \(default: 10\)/);
    expect(help).toMatch(/SPARK_X_TOKEN\s+required token \(default: required\)/);
    expect(help).toMatch(/SPARK_X_NAME\s+who \(default: unset\)/);
  });

  it('is what a service reads its common settings with', () => {
    const config = loadServiceConfig('scheduler', { SPARK_SCHEDULER_PORT: '9001', SPARK_TRACING: 'off' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9001 });
    expect(config.tracing.enabled).toBe(false);
    expect(() => loadServiceConfig('scheduler', { SPARK_SCHEDULER_PORT: '70000' })).toThrow(
      /SPARK_SCHEDULER_PORT: "70000" is not an integer between 0 and 65535/,
    );
  });
});
