import { cleanEnv, makeExactValidator, type ValidatorSpec } from 'envalid';

/**
 * One setting read from the environment: what it means (printed by `--help`), its default, and how
 * a raw value is checked. An empty value counts as unset, as it always has in Spark.
 */
export interface Setting<T> {
  desc: string;
  /** Absent: the setting is required, unless it is `optional`. */
  default?: T;
  /** Unset means undefined. */
  optional?: true;
  /** Never repeated in an error message (keys, passwords). */
  secret?: true;
  /** How the default reads in `--help` when it is not the value itself (e.g. "the run's host"). */
  defaultText?: string;
  /** Returns the value or throws an Error saying what is wrong with `raw` (without the variable's name). */
  parse: (raw: string) => T;
}

export type ConfigSchema = Record<string, Setting<unknown>>;
export type ConfigOf<S extends ConfigSchema> = {
  -readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

/** Settings that do not hold: every variable with its problem, one a line. */
export class ConfigError extends Error {
  constructor(readonly problems: Record<string, string>) {
    super(
      Object.entries(problems)
        .map(([name, problem]) => `${name}: ${problem}`)
        .join('; '),
    );
    this.name = 'ConfigError';
  }
}

/** Reads and checks every setting of `schema` (envalid does the reading); throws one ConfigError for all problems. */
export function readConfig<S extends ConfigSchema>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const specs: Record<string, ValidatorSpec<unknown>> = {};
  const values: Record<string, string | undefined> = {};
  for (const [name, setting] of Object.entries(schema)) {
    const raw = env[name];
    values[name] = raw === '' ? undefined : raw;
    const validator = makeExactValidator<unknown>((input) => {
      try {
        return setting.parse(input);
      } catch (error) {
        const problem = (error as Error).message;
        throw new Error(setting.secret ? problem : `"${input}" ${problem}`);
      }
    });
    specs[name] = validator(
      setting.default !== undefined
        ? { desc: setting.desc, default: setting.default as NonNullable<unknown> }
        : setting.optional
          ? { desc: setting.desc, default: undefined }
          : { desc: setting.desc },
    );
  }
  const cleaned = cleanEnv(values, specs, {
    reporter: ({ errors }) => {
      const problems: Record<string, string> = {};
      for (const [name, error] of Object.entries(errors))
        if (error) problems[name] = error.name === 'EnvMissingError' ? 'is required' : error.message;
      if (Object.keys(problems).length > 0) throw new ConfigError(problems);
    },
  }) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(schema).map((name) => [name, cleaned[name]])) as ConfigOf<S>;
}

/** The settings as `--help` prints them: name, default, meaning. */
export function describeConfig(schema: ConfigSchema): string {
  const rows = Object.entries(schema).map(([name, setting]) => {
    const fallback =
      setting.defaultText ??
      (setting.default !== undefined
        ? JSON.stringify(setting.default)
        : setting.optional
          ? 'unset'
          : 'required');
    return [name, fallback, setting.desc] as const;
  });
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows
    .map(([name, fallback, desc]) => `  ${name.padEnd(width)}  ${desc} (default: ${fallback})`)
    .join('\n');
}

// The kinds of settings Spark has.

export const integer = (
  desc: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): Setting<number> => ({
  desc,
  default: fallback,
  parse: (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(
        max === Number.MAX_SAFE_INTEGER
          ? `is not an integer ≥ ${min}`
          : `is not an integer between ${min} and ${max}`,
      );
    return value;
  },
});

export const positive = (desc: string, fallback: number): Setting<number> => integer(desc, fallback, 1);

export const ratio = (desc: string, fallback: number): Setting<number> => ({
  desc,
  default: fallback,
  parse: (raw) => {
    const value = Number(raw);
    if (!(value >= 0 && value <= 1)) throw new Error('is not a number between 0 and 1');
    return value;
  },
});

export const text = (
  desc: string,
  fallback?: string,
  pattern?: { regex: RegExp; says: string },
): Setting<string> => ({
  desc,
  ...(fallback === undefined ? {} : { default: fallback }),
  parse: (raw) => {
    if (pattern && !pattern.regex.test(raw)) throw new Error(`is not ${pattern.says}`);
    return raw;
  },
});

/** An optional value with no default (absent when unset). */
export const optional = <T>(setting: Omit<Setting<T>, 'default' | 'optional'>): Setting<T | undefined> => ({
  ...setting,
  optional: true,
  defaultText: setting.defaultText ?? 'unset',
});

export const choice = <T extends string>(desc: string, choices: readonly T[], fallback: T): Setting<T> => ({
  desc,
  default: fallback,
  parse: (raw) => {
    if (!(choices as readonly string[]).includes(raw)) throw new Error(`is not one of ${choices.join(', ')}`);
    return raw as T;
  },
});

/** On unless set to `value` (e.g. SPARK_TRACING=off). */
export const switchedOffBy = (desc: string, value: string): Setting<boolean> => ({
  desc,
  default: true,
  defaultText: `on; "${value}" turns it off`,
  parse: (raw) => raw !== value,
});

/** A schema name for PostgreSQL. */
export const schemaName = (desc: string, fallback: string): Setting<string> =>
  text(desc, fallback, { regex: /^[a-z_][a-z0-9_]{0,47}$/, says: 'a valid schema name' });
