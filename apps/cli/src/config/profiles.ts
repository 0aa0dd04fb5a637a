import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { CliError, ExitCode } from '../cli/exit-codes';

export const SERVICES = ['gateway', 'scheduler', 'executor', 'projector'] as const;
export type Service = (typeof SERVICES)[number];

/** One installation of Spark: where its gateway is and the key to use. */
export interface Profile {
  url?: string;
  apiKey?: string;
  /** Base URLs of the other services' health endpoints, for `spark doctor`. */
  services?: Partial<Record<Service, string>>;
}

export interface ConfigFile {
  /** The profile used when none is named. */
  current?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** $SPARK_CONFIG, else $XDG_CONFIG_HOME/spark/config.yaml, else ~/.config/spark/config.yaml. */
export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.SPARK_CONFIG) return path.resolve(env.SPARK_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'spark', 'config.yaml');
}

export function readConfig(file: string): ConfigFile {
  if (!existsSync(file)) return { profiles: {} };
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(
      `cannot read the config file ${file}: ${(error as Error).message}`,
      ExitCode.usage,
      'fix or remove the file',
    );
  }
  const config = (value ?? {}) as Partial<ConfigFile>;
  if (typeof config !== 'object' || (config.profiles !== undefined && typeof config.profiles !== 'object'))
    throw new CliError(`the config file ${file} is not a mapping with "profiles"`, ExitCode.usage);
  return { ...(config.current ? { current: config.current } : {}), profiles: config.profiles ?? {} };
}

/** Written readable by its owner only: it holds API keys. */
export function writeConfig(file: string, config: ConfigFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, stringify(config), { mode: 0o600 });
  chmodSync(file, 0o600);
}

export interface ConnectionOptions {
  apiUrl?: string;
  apiKey?: string;
  profile?: string;
}

type Origin = 'flag' | 'env' | 'profile' | 'default' | 'none';

/** Where the CLI connects, and where each setting came from (shown by `spark config show`). */
export interface Connection {
  baseUrl: string;
  apiKey?: string;
  profile?: string;
  services: Partial<Record<Service, string>>;
  origin: { url: Origin; apiKey: Origin };
  configFile: string;
}

/** Flags win over SPARK_API_URL / SPARK_API_KEY, which win over the profile (--profile, SPARK_PROFILE, current). */
export function resolveConnection(options: ConnectionOptions, env: NodeJS.ProcessEnv): Connection {
  const configFile = configPath(env);
  const config = readConfig(configFile);
  const named = options.profile ?? env.SPARK_PROFILE;
  if (named !== undefined && !config.profiles[named]) {
    const known = Object.keys(config.profiles);
    throw new CliError(
      `no profile "${named}" in ${configFile}`,
      ExitCode.usage,
      known.length
        ? `known profiles: ${known.join(', ')}`
        : 'create one with `spark config set-profile NAME --url URL`',
    );
  }
  const profileName =
    named ?? (config.current && config.profiles[config.current] ? config.current : undefined);
  const profile: Profile = profileName ? config.profiles[profileName]! : {};
  const pick = (flag?: string, fromEnv?: string, fromProfile?: string): [string | undefined, Origin] =>
    flag
      ? [flag, 'flag']
      : fromEnv
        ? [fromEnv, 'env']
        : fromProfile
          ? [fromProfile, 'profile']
          : [undefined, 'none'];
  const [url, urlOrigin] = pick(options.apiUrl, env.SPARK_API_URL, profile.url);
  const [apiKey, keyOrigin] = pick(options.apiKey, env.SPARK_API_KEY, profile.apiKey);
  const baseUrl = (url ?? DEFAULT_API_URL).replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError(`the API URL "${baseUrl}" is not a URL`, ExitCode.usage, 'e.g. http://127.0.0.1:8080');
  }
  return {
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    ...(profileName ? { profile: profileName } : {}),
    services: profile.services ?? {},
    origin: { url: url ? urlOrigin : 'default', apiKey: keyOrigin },
    configFile,
  };
}

export const maskKey = (key: string | undefined): string =>
  key ? `${key.slice(0, 6)}…(${key.length} chars)` : '(none)';
